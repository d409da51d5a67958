package portal

import (
	_ "embed"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/store"
)

//go:embed openapi.json
var openapi []byte

// apiVersion is a submission as the API lists it.
type apiVersion struct {
	Region   string `json:"region"`
	Version  int    `json:"version"`
	By       string `json:"submitted_by"`
	At       string `json:"submitted_at"`
	FileName string `json:"file_name"`
	Format   string `json:"format"`
	Status   string `json:"status"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Infos    int    `json:"infos"`
}

func apiSubmission(s store.Submission) apiVersion {
	return apiVersion{s.Region, s.Version, s.By, s.At.Format("2006-01-02T15:04:05.000000000Z07:00"), s.FileName, s.Format, s.Status, s.Errors, s.Warnings, s.Infos}
}

func (s *Server) apiRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapi)
	})
	m.HandleFunc("GET /api/v1/rules", s.api(func(w http.ResponseWriter, r *http.Request, _ *Person) {
		writeJSON(w, http.StatusOK, s.cfg.Checker.Rules())
	}))
	m.HandleFunc("POST /api/v1/check", s.api(func(w http.ResponseWriter, r *http.Request, p *Person) {
		if up, ok := s.apiUpload(w, r); ok {
			s.sendReport(w, r, []upload{up}, false)
		}
	}))
	m.HandleFunc("POST /api/v1/submit", s.api(func(w http.ResponseWriter, r *http.Request, p *Person) {
		up, ok := s.apiUpload(w, r)
		if !ok || !s.acquire(w, r) {
			return
		}
		sub, _, err := s.submit(r.Context(), p, up)
		s.release()
		var se submitError
		if errors.As(err, &se) {
			writeJSON(w, http.StatusForbidden, apiError{Error: se.msg})
			return
		} else if err != nil {
			s.internal(w, r, err)
			return
		}
		// Answered only now: the submission is committed.
		writeJSON(w, http.StatusCreated, apiSubmission(sub))
	}))
	m.HandleFunc("GET /api/v1/regions/{region}/versions", s.api(func(w http.ResponseWriter, r *http.Request, p *Person) {
		region, ok := s.regionAllowed(w, r, p)
		if !ok {
			return
		}
		subs, err := s.cfg.Store.Versions(r.Context(), region)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		out := []apiVersion{}
		for _, sub := range subs {
			out = append(out, apiSubmission(sub))
		}
		writeJSON(w, http.StatusOK, out)
	}))
	m.HandleFunc("GET /api/v1/regions/{region}/versions/{version}", s.api(func(w http.ResponseWriter, r *http.Request, p *Person) {
		sub, ok := s.storedVersion(w, r, p)
		if !ok {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(sub.Report)
	}))
	m.HandleFunc("GET /api/v1/regions/{region}/versions/{version}/plan", s.api(func(w http.ResponseWriter, r *http.Request, p *Person) {
		sub, ok := s.storedVersion(w, r, p)
		if !ok {
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", "attachment; filename=\""+cleanName(sub.FileName)+"\"")
		w.Write(sub.Plan)
	}))
	m.HandleFunc("GET /api/v1/rollup", s.api(func(w http.ResponseWriter, r *http.Request, p *Person) {
		if !p.mayReview() {
			writeJSON(w, http.StatusForbidden, apiError{Error: "the national roll-up is for reviewers"})
			return
		}
		latest, err := s.cfg.Store.Latest(r.Context())
		if err != nil {
			s.internal(w, r, err)
			return
		}
		plans := rollupPlans(latest)
		if len(plans) == 0 {
			writeJSON(w, http.StatusOK, checker.NewReport([]checker.FileResult{}))
			return
		}
		s.sendReport(w, r, plans, true)
	}))
}

// apiUpload reads a plan sent as the request body, named by the
// ?name= query parameter (its extension says the format).
func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request) (upload, bool) {
	name := cleanName(r.URL.Query().Get("name"))
	if planFormat(name) == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "name the plan with ?name=FILE ending in .yaml, .yml, .json or .xlsx"})
		return upload{}, false
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		s.uploadError(w, r, err)
		return upload{}, false
	}
	return upload{name: name, data: data}, true
}

// rollupPlans names each region's latest plan by region and version,
// for the roll-up report.
func rollupPlans(latest []store.Submission) []upload {
	var plans []upload
	for _, sub := range latest {
		plans = append(plans, upload{name: cleanName(sub.Region) + "-v" + strconv.Itoa(sub.Version) + "." + planFormat(sub.FileName), data: sub.Plan})
	}
	return plans
}
