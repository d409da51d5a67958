package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/report"
	"github.com/hee-rdp/rdpcheck/store"
)

// planFormat is the format of a plan file by its name: yaml, json or
// xlsx; "" when rdpcheck does not read that kind of file.
func planFormat(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".xlsx":
		return "xlsx"
	}
	return ""
}

// cleanName is the upload's base name with anything but letters,
// digits, dots, dashes and underscores replaced, so that it is safe as a
// file name and in a report.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if len(s) > 100 {
		s = s[len(s)-100:]
	}
	if s == "" {
		s = "plan"
	}
	return s
}

// checked is the outcome of checking uploaded plans.
type checked struct {
	report *checker.Report
	files  map[string][]byte // the plans by the name the report gives them
}

// checkPlans checks plans (name → bytes) with the store's waivers applied,
// as the roll-up when rollup is set. The files are written to a private
// temporary directory for the checker and removed after; the report
// names them by their upload names.
func (s *Server) checkPlans(ctx context.Context, plans []upload, rollup bool) (*checked, error) {
	dir, err := os.MkdirTemp("", "rdpcheck-upload-")
	if err != nil {
		return nil, fmt.Errorf("preparing the check: %w", err)
	}
	defer os.RemoveAll(dir)
	out := &checked{files: map[string][]byte{}}
	var paths []string
	byPath := map[string]string{}
	for i, p := range plans {
		sub := filepath.Join(dir, fmt.Sprint(i))
		if err := os.Mkdir(sub, 0o700); err != nil {
			return nil, err
		}
		path := filepath.Join(sub, p.name)
		if err := os.WriteFile(path, p.data, 0o600); err != nil {
			return nil, fmt.Errorf("preparing the check: %w", err)
		}
		paths = append(paths, path)
		byPath[path] = p.name
		out.files[p.name] = p.data
	}
	var r *checker.Report
	if rollup {
		r, err = s.cfg.Checker.Rollup(ctx, paths, nil)
	} else {
		r, err = s.cfg.Checker.Run(ctx, paths, nil)
	}
	if err != nil {
		return nil, err
	}
	for i := range r.Files {
		if name, ok := byPath[r.Files[i].Path]; ok {
			r.Files[i].Path = name
		}
	}
	if err := s.applyWaivers(ctx, r); err != nil {
		return nil, err
	}
	out.report = r
	return out, nil
}

// applyWaivers applies the store's waivers that are in force (not
// ended, not expired) to a report and counts it again.
func (s *Server) applyWaivers(ctx context.Context, r *checker.Report) error {
	ws, err := s.cfg.Store.Waivers(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	var active []checker.Waiver
	for _, w := range ws {
		if !w.EndedAt.IsZero() || w.Expires < today {
			continue
		}
		active = append(active, checker.Waiver{Rule: w.Rule, Region: w.Region, Objective: w.Objective, Path: w.Path,
			Justification: w.Justification, ApprovedBy: w.ApprovedBy, Expires: w.Expires, Source: fmt.Sprintf("portal waiver %d", w.ID)})
	}
	if len(active) == 0 {
		return nil
	}
	n := len(r.Files)
	// Stale waivers are a reviewer's matter, not a finding about this
	// plan: the findings about the waivers themselves are dropped.
	// The waivers are judged against the regions of this report's plans
	// only: another region's waiver is neither stale nor expired here.
	scope := checker.WaiverScope{Regions: map[string]bool{}}
	for _, f := range r.Files {
		if f.Region != "" {
			scope.Regions[f.Region] = true
		}
	}
	files := checker.ApplyWaivers(r.Files, active, today, scope)[:n]
	counted := checker.NewReport(files)
	r.Files, r.Summary = counted.Files, counted.Summary
	return nil
}

func (s *Server) today() string {
	if s.cfg.Today != "" {
		return s.cfg.Today
	}
	return time.Now().UTC().Format(time.DateOnly)
}

// render writes a report in a format, reading html excerpts from the
// checked plans.
func (s *Server) render(c *checked, format string) ([]byte, error) {
	rep, err := report.New(format, report.Options{FailOn: checker.SeverityError, ToolVersion: s.cfg.Version,
		ReadSource: func(path string) ([]byte, error) {
			if b, ok := c.files[path]; ok {
				return b, nil
			}
			return nil, os.ErrNotExist
		}})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := rep.Write(&b, s.view(c.report)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (s *Server) view(r *checker.Report) *report.View {
	return report.NewView(r, s.cfg.Checker.Objectives(), s.cfg.Checker.Rules())
}

// status is a checked plan's state: unchecked, error, warning, info or pass.
func status(f checker.FileResult) (st string, errs, warns, infos int) {
	if f.Error != nil {
		return "unchecked", 0, 0, 0
	}
	for _, x := range f.Findings {
		if x.Waiver != nil {
			continue
		}
		switch x.Severity {
		case checker.SeverityError:
			errs++
		case checker.SeverityWarning:
			warns++
		case checker.SeverityInfo:
			infos++
		}
	}
	switch {
	case errs > 0:
		st = "error"
	case warns > 0:
		st = "warning"
	case infos > 0:
		st = "info"
	default:
		st = "pass"
	}
	return st, errs, warns, infos
}

// submitError is a submission refused for a reason the person can fix.
type submitError struct{ msg string }

func (e submitError) Error() string { return e.msg }

// submit checks a plan and stores it as its region's next version. A
// region's team may submit only its own region's plan, and only a plan
// that could be checked. The submission is returned once committed.
func (s *Server) submit(ctx context.Context, p *Person, up upload) (store.Submission, *checked, error) {
	if p.Role != RoleRegion && p.Role != RoleAdmin {
		return store.Submission{}, nil, submitError{"Only a region's planning team (or an admin) can submit a plan; reviewers can check plans but not submit them."}
	}
	c, err := s.checkPlans(ctx, []upload{up}, false)
	if err != nil {
		return store.Submission{}, nil, err
	}
	f := c.report.Files[0]
	if f.Error != nil {
		return store.Submission{}, c, submitError{"This plan could not be checked, so it cannot be submitted: " + f.Error.Message}
	}
	if f.Region == "" {
		return store.Submission{}, c, submitError{"The plan does not say which region it is for; fill in its region and check it again."}
	}
	if p.Role == RoleRegion && f.Region != p.Region {
		return store.Submission{}, c, submitError{fmt.Sprintf("This plan is for %s, but you are signed in for %s; you can only submit %s's plan.", f.Region, p.Region, p.Region)}
	}
	js, err := s.render(c, report.FormatJSON)
	if err != nil {
		return store.Submission{}, c, err
	}
	st, e, w, i := status(f)
	sub, err := s.cfg.Store.Submit(ctx, store.Submission{Region: f.Region, By: p.Name, FileName: up.name, Format: planFormat(up.name),
		Status: st, Errors: e, Warnings: w, Infos: i, Plan: up.data, Report: js})
	return sub, c, err
}

// storedReport reads a submission's JSON report.
func storedReport(sub store.Submission) (*checker.Report, error) {
	var r checker.Report
	if err := json.Unmarshal(sub.Report, &r); err != nil {
		return nil, fmt.Errorf("the stored report of %s version %d cannot be read: %w", sub.Region, sub.Version, err)
	}
	return &r, nil
}

// diff compares a submission's report with the previous version's:
// how many findings are new, resolved and unchanged (as --baseline does).
func diff(cur, prev *checker.Report) (newN, resolved, unchanged int) {
	if cur == nil || prev == nil || len(cur.Files) == 0 {
		return 0, 0, 0
	}
	files := make([]checker.FileResult, len(cur.Files))
	for i, f := range cur.Files {
		f.Findings = append([]checker.Finding(nil), f.Findings...)
		for j := range f.Findings {
			f.Findings[j].Change = ""
		}
		f.Resolved = nil
		files[i] = f
	}
	// A region's one plan is matched by region, whatever the file is called.
	checker.CompareWithBaseline(files, prev)
	for _, f := range files {
		for _, x := range f.Findings {
			if x.Change == checker.ChangeNew {
				newN++
			} else {
				unchanged++
			}
		}
		resolved += len(f.Resolved)
	}
	return newN, resolved, unchanged
}
