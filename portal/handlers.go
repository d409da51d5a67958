package portal

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/report"
	"github.com/hee-rdp/rdpcheck/store"
)

//go:embed templates/*.tmpl static/*
var assets embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"cellState": func(fv report.FileView, objective string) string { st, _ := fv.Status(objective).State(); return st },
	"cellCount": func(fv report.FileView, objective string) int { _, n := fv.Status(objective).State(); return n },
}).ParseFS(assets, "templates/*.tmpl"))

// nationalCSS styles the national picture on the dashboard: the html
// report's own rules, served as a stylesheet because the portal's
// Content-Security-Policy allows no inline style.
var nationalCSS = report.NationalStylesheet()

// downloadFormats are the report formats offered for download.
var downloadFormats = []string{"html", "json", "sarif", "markdown"}

var contentTypes = map[string]string{"html": "text/html; charset=utf-8", "json": "application/json", "sarif": "application/sarif+json", "markdown": "text/markdown; charset=utf-8"}
var extensions = map[string]string{"html": "html", "json": "json", "sarif": "sarif", "markdown": "md"}

func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /static/", http.FileServerFS(assets))
	m.HandleFunc("GET /static/national.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		io.WriteString(w, nationalCSS)
	})
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.cfg.Store.SchemaVersion(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	m.HandleFunc("GET /{$}", s.home)
	m.HandleFunc("POST /signin", s.signInForm)
	m.HandleFunc("POST /signout", s.page(func(w http.ResponseWriter, r *http.Request, _ *session) {
		s.signOut(w, r)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}))
	m.HandleFunc("GET /check", s.page(s.checkForm))
	m.HandleFunc("POST /check", s.page(s.checkUpload))
	m.HandleFunc("GET /check/report/{format}", s.page(s.checkDownload))
	m.HandleFunc("POST /submit", s.page(s.submitPending))
	m.HandleFunc("GET /region/{region}", s.page(s.regionPage))
	m.HandleFunc("GET /region/{region}/{version}", s.page(s.versionPage))
	m.HandleFunc("GET /region/{region}/{version}/report/{format}", s.page(s.versionDownload))
	m.HandleFunc("GET /review", s.page(s.reviewPage))
	m.HandleFunc("POST /waivers", s.page(s.addWaiver))
	m.HandleFunc("POST /waivers/{id}/end", s.page(s.endWaiver))
	s.apiRoutes()
}

// pageData is what every page template gets.
type pageData struct {
	Title   string
	Person  *Person
	CSRF    string
	Message string
	Data    any
}

func (s *Server) show(w http.ResponseWriter, r *http.Request, ss *session, code int, name, title string, data any) {
	pd := pageData{Title: title, Data: data}
	if ss != nil {
		pd.Person, pd.CSRF = ss.person, ss.csrf
	}
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, pd); err != nil {
		log.Printf("rdpcheck serve: page %s: %v", name, err)
		http.Error(w, "internal error showing this page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	io.WriteString(w, b.String())
}

// fail shows an error page (or JSON for the API) with a plain message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, code, apiError{Error: msg})
		return
	}
	s.show(w, r, s.session(r), code, "error.tmpl", http.StatusText(code), msg)
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	log.Printf("rdpcheck serve: %s %s: %v", r.Method, r.URL.Path, err)
	s.fail(w, r, http.StatusInternalServerError, "Something went wrong on the server; nothing was stored. Please try again, and tell the national team if it keeps happening.")
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ss := s.session(r)
	if ss == nil {
		s.showSignIn(w, r, http.StatusOK, "")
		return
	}
	if ss.person.mayReview() {
		http.Redirect(w, r, "/review", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/check", http.StatusSeeOther)
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if !signInFormValid(r) {
		s.showSignIn(w, r, http.StatusForbidden, "This sign-in form had expired or did not come from this site, so you were not signed in. Please sign in again here.")
		return
	}
	p := s.cfg.Access.Find(strings.TrimSpace(r.FormValue("token")))
	if p == nil {
		s.showSignIn(w, r, http.StatusUnauthorized, "That token is not recognised. Check that you pasted all of it, or ask the national team for a new one.")
		return
	}
	if err := s.signIn(w, r, p); err != nil {
		s.internal(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// checkView is what the check and version pages show.
type checkView struct {
	View       *report.View
	FileName   string
	Status     string
	Region     string
	Formats    []string
	Download   string // URL prefix for downloads
	CanSubmit  bool
	Submission *store.Submission
	Problem    string
}

func (s *Server) checkForm(w http.ResponseWriter, r *http.Request, ss *session) {
	s.show(w, r, ss, http.StatusOK, "check.tmpl", "Check a plan", checkView{})
}

// readUpload reads the plan file of a check form.
func (s *Server) readUpload(r *http.Request) (upload, error) {
	f, h, err := r.FormFile("plan")
	if err != nil {
		return upload{}, submitError{"Choose a plan file (.yaml, .json or .xlsx) to upload."}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxFileSize+1))
	if err != nil {
		return upload{}, err
	}
	if int64(len(data)) > s.cfg.MaxFileSize {
		return upload{}, &http.MaxBytesError{Limit: s.cfg.MaxFileSize}
	}
	name := cleanName(h.Filename)
	if planFormat(name) == "" {
		return upload{}, submitError{fmt.Sprintf("%q is not a plan file rdpcheck reads: upload a .yaml, .json or .xlsx file (an Excel workbook saved as .xlsx).", name)}
	}
	return upload{name: name, data: data}, nil
}

func (s *Server) uploadProblem(w http.ResponseWriter, r *http.Request, ss *session, err error) {
	var se submitError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		s.show(w, r, ss, http.StatusUnprocessableEntity, "check.tmpl", "Check a plan", checkView{Problem: se.msg})
	case errors.As(err, &tooBig):
		s.uploadError(w, r, err)
	default:
		s.internal(w, r, err)
	}
}

func (s *Server) checkUpload(w http.ResponseWriter, r *http.Request, ss *session) {
	up, err := s.readUpload(r)
	if err != nil {
		s.uploadProblem(w, r, ss, err)
		return
	}
	c, ok := s.checkTurn(w, r, []upload{up}, false)
	if !ok {
		return
	}
	if err := s.cfg.Store.SetPending(r.Context(), ss.id, up.name, up.data); err != nil {
		s.internal(w, r, err)
		return
	}
	f := c.report.Files[0]
	st, _, _, _ := status(f)
	s.show(w, r, ss, http.StatusOK, "check.tmpl", "Findings for "+up.name, checkView{View: s.view(c.report), FileName: up.name, Status: st, Region: f.Region,
		Formats: downloadFormats, Download: "/check/", CanSubmit: f.Error == nil && (ss.person.Role == RoleAdmin || (ss.person.Role == RoleRegion && f.Region == ss.person.Region))})
}

// pending is the plan last checked in the session, or nil.
func (s *Server) pending(r *http.Request, ss *session) *upload {
	name, data, err := s.cfg.Store.Pending(r.Context(), ss.id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			log.Printf("rdpcheck serve: %v", err)
		}
		return nil
	}
	return &upload{name: name, data: data}
}

func (s *Server) checkDownload(w http.ResponseWriter, r *http.Request, ss *session) {
	up := s.pending(r, ss)
	if up == nil {
		s.fail(w, r, http.StatusNotFound, "There is no checked plan to download; upload one on the Check page first.")
		return
	}
	s.download(w, r, *up, r.PathValue("format"), strings.TrimSuffix(up.name, "."+planFormat(up.name)))
}

// checkTurn checks plans when a check slot is free (see checkPlans),
// answering the request itself when it is busy or the check fails.
func (s *Server) checkTurn(w http.ResponseWriter, r *http.Request, plans []upload, rollup bool) (*checked, bool) {
	if !s.acquire(w, r) {
		return nil, false
	}
	c, err := s.checkPlans(r.Context(), plans, rollup)
	s.release()
	if err != nil {
		s.internal(w, r, err)
		return nil, false
	}
	return c, true
}

// sendReport checks plans and sends the JSON report.
func (s *Server) sendReport(w http.ResponseWriter, r *http.Request, plans []upload, rollup bool) {
	c, ok := s.checkTurn(w, r, plans, rollup)
	if !ok {
		return
	}
	b, err := s.render(c, report.FormatJSON)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// download checks a plan again and sends its report in a format.
func (s *Server) download(w http.ResponseWriter, r *http.Request, up upload, format, base string) {
	if contentTypes[format] == "" {
		s.fail(w, r, http.StatusNotFound, "Reports can be downloaded as html, json, sarif or markdown.")
		return
	}
	c, ok := s.checkTurn(w, r, []upload{up}, false)
	if !ok {
		return
	}
	b, err := s.render(c, format)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentTypes[format])
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", cleanName(base+"-report."+extensions[format])))
	w.Write(b)
}

func (s *Server) submitPending(w http.ResponseWriter, r *http.Request, ss *session) {
	up := s.pending(r, ss)
	if up == nil {
		s.fail(w, r, http.StatusConflict, "There is no checked plan to submit; upload it on the Check page first.")
		return
	}
	if !s.acquire(w, r) {
		return
	}
	sub, c, err := s.submit(r.Context(), ss.person, *up)
	s.release()
	var se submitError
	if errors.As(err, &se) {
		cv := checkView{Problem: se.msg}
		if c != nil {
			cv.View, cv.FileName = s.view(c.report), up.name
		}
		s.show(w, r, ss, http.StatusForbidden, "check.tmpl", "Not submitted", cv)
		return
	} else if err != nil {
		s.internal(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/region/%s/%d", pathEscape(sub.Region), sub.Version), http.StatusSeeOther)
}

func pathEscape(s string) string { return strings.ReplaceAll(template.URLQueryEscaper(s), "+", "%20") }

// versionRow is a line of the region page.
type versionRow struct {
	store.Submission
	New, Resolved, Unchanged int
	First                    bool
}

// regionAllowed answers 404 for a region the person may not read, so a
// region's team cannot even learn which other regions have submitted.
func (s *Server) regionAllowed(w http.ResponseWriter, r *http.Request, p *Person) (string, bool) {
	region := r.PathValue("region")
	if !p.mayRead(region) {
		s.fail(w, r, http.StatusNotFound, "There is no such page for you. A region's team can see only its own region's plans.")
		return "", false
	}
	return region, true
}

func (s *Server) versionRows(r *http.Request, region string) ([]versionRow, error) {
	subs, err := s.cfg.Store.Versions(r.Context(), region)
	if err != nil {
		return nil, err
	}
	rows := make([]versionRow, len(subs))
	var prev *checker.Report
	for i, sub := range subs {
		full, err := s.cfg.Store.Submission(r.Context(), region, sub.Version)
		if err != nil {
			return nil, err
		}
		cur, err := storedReport(full)
		if err != nil {
			return nil, err
		}
		rows[i] = versionRow{Submission: sub, First: prev == nil}
		rows[i].New, rows[i].Resolved, rows[i].Unchanged = diff(cur, prev)
		prev = cur
	}
	// Newest first.
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Version > rows[j].Version })
	return rows, nil
}

func (s *Server) regionPage(w http.ResponseWriter, r *http.Request, ss *session) {
	region, ok := s.regionAllowed(w, r, ss.person)
	if !ok {
		return
	}
	rows, err := s.versionRows(r, region)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	events, err := s.cfg.Store.Audit(r.Context(), region)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.show(w, r, ss, http.StatusOK, "region.tmpl", region, struct {
		Region string
		Rows   []versionRow
		Events []store.Event
	}{region, rows, events})
}

func (s *Server) storedVersion(w http.ResponseWriter, r *http.Request, p *Person) (store.Submission, bool) {
	region, ok := s.regionAllowed(w, r, p)
	if !ok {
		return store.Submission{}, false
	}
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || v < 1 {
		s.fail(w, r, http.StatusNotFound, "There is no such version.")
		return store.Submission{}, false
	}
	sub, err := s.cfg.Store.Submission(r.Context(), region, v)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("%s has no version %d.", region, v))
		return sub, false
	} else if err != nil {
		s.internal(w, r, err)
		return sub, false
	}
	return sub, true
}

func (s *Server) versionPage(w http.ResponseWriter, r *http.Request, ss *session) {
	sub, ok := s.storedVersion(w, r, ss.person)
	if !ok {
		return
	}
	rep, err := storedReport(sub)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.show(w, r, ss, http.StatusOK, "check.tmpl", fmt.Sprintf("%s version %d", sub.Region, sub.Version), checkView{View: s.view(rep), FileName: sub.FileName,
		Status: sub.Status, Region: sub.Region, Formats: downloadFormats, Download: fmt.Sprintf("/region/%s/%d/", pathEscape(sub.Region), sub.Version), Submission: &sub})
}

func (s *Server) versionDownload(w http.ResponseWriter, r *http.Request, ss *session) {
	sub, ok := s.storedVersion(w, r, ss.person)
	if !ok {
		return
	}
	format := r.PathValue("format")
	base := fmt.Sprintf("%s-v%d", sub.Region, sub.Version)
	if format == "json" { // the report as it was stored with the submission
		w.Header().Set("Content-Type", contentTypes[format])
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", cleanName(base+"-report.json")))
		w.Write(sub.Report)
		return
	}
	s.download(w, r, upload{name: sub.FileName, data: sub.Plan}, format, base)
}

// dashboard is the reviewer's page.
type dashboard struct {
	Latest []store.Submission
	View   *report.View // the latest submissions' reports together
	Rollup *report.View
	// National is the roll-up's national picture, charts and figures,
	// as the html report draws it.
	National template.HTML
	Waivers  []store.Waiver
	Today    string
	Problem  string
}

func (s *Server) dashboardData(r *http.Request) (*dashboard, error) {
	latest, err := s.cfg.Store.Latest(r.Context())
	if err != nil {
		return nil, err
	}
	d := &dashboard{Latest: latest, Today: s.today()}
	combined := &checker.Report{Version: checker.ReportVersion}
	for _, sub := range latest {
		rep, err := storedReport(sub)
		if err != nil {
			return nil, err
		}
		combined.Files = append(combined.Files, rep.Files...)
	}
	plans := rollupPlans(latest)
	combined = checker.NewReport(combined.Files)
	d.View = s.view(combined)
	if len(plans) > 0 {
		c, err := s.checkPlans(r.Context(), plans, true)
		if err != nil {
			return nil, err
		}
		var national []checker.FileResult // the findings about the plans together
		for _, f := range c.report.Files {
			if f.Kind != "" {
				national = append(national, f)
			}
		}
		d.Rollup = s.view(checker.NewReport(national))
		d.National = report.NationalHTML(c.report.National)
	}
	d.Waivers, err = s.cfg.Store.Waivers(r.Context())
	return d, err
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, ss *session) {
	if !ss.person.mayReview() {
		s.fail(w, r, http.StatusForbidden, "The reviewers' dashboard is for the national quality-assurance reviewers. Your region's plans are on your region's page.")
		return
	}
	if !s.acquire(w, r) {
		return
	}
	d, err := s.dashboardData(r)
	s.release()
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.show(w, r, ss, http.StatusOK, "review.tmpl", "Reviewers' dashboard", d)
}

func (s *Server) addWaiver(w http.ResponseWriter, r *http.Request, ss *session) {
	if !ss.person.mayReview() {
		s.fail(w, r, http.StatusForbidden, "Only reviewers can add waivers.")
		return
	}
	wv := store.Waiver{Rule: strings.TrimSpace(r.FormValue("rule")), Region: strings.TrimSpace(r.FormValue("region")),
		Objective: strings.TrimSpace(r.FormValue("objective")), Path: strings.TrimSpace(r.FormValue("path")),
		Justification: strings.TrimSpace(r.FormValue("justification")), ApprovedBy: strings.TrimSpace(r.FormValue("approved_by")),
		Expires: strings.TrimSpace(r.FormValue("expires")), CreatedBy: ss.person.Name}
	if _, err := s.cfg.Store.AddWaiver(r.Context(), wv); err != nil {
		s.fail(w, r, http.StatusUnprocessableEntity, "The waiver was not added: "+err.Error()+". Every waiver needs the rule, a justification, who approved it and the last day it applies (YYYY-MM-DD).")
		return
	}
	http.Redirect(w, r, "/review#waivers", http.StatusSeeOther)
}

func (s *Server) endWaiver(w http.ResponseWriter, r *http.Request, ss *session) {
	if !ss.person.mayReview() {
		s.fail(w, r, http.StatusForbidden, "Only reviewers can end waivers.")
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.cfg.Store.EndWaiver(r.Context(), id, ss.person.Name); errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "There is no such waiver.")
		return
	} else if err != nil {
		s.fail(w, r, http.StatusConflict, err.Error())
		return
	}
	http.Redirect(w, r, "/review#waivers", http.StatusSeeOther)
}

type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
