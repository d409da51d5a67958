package checker

import (
	"errors"
	"fmt"
	pathpkg "path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/schemas"
)

// Waiver accepts findings knowingly: which rule (and optionally which
// region, objective and path), why, who approved it and until when.
type Waiver struct {
	Rule      string `json:"rule"`
	Region    string `json:"region,omitempty"`
	Objective string `json:"objective,omitempty"`
	Path      string `json:"path,omitempty"`
	// Subject, when set, limits the waiver to findings about one thing:
	// a METIP programme, budget line code, KPI id or provider, by name.
	Subject       string `json:"subject,omitempty"`
	Justification string `json:"justification"`
	ApprovedBy    string `json:"approved_by"`
	// Expires is the last day (YYYY-MM-DD) the waiver applies.
	Expires string `json:"expires"`
	// Source is where the waiver is written: file:line.
	Source string `json:"source"`

	file         string
	line, column int
}

// Rule ids of the findings about waivers themselves.
const (
	WaiverExpiredRule = "WAIVER-EXPIRED"
	WaiverStaleRule   = "WAIVER-STALE"
)

// waiverPackage is the Package of the waiver rules.
const waiverPackage = "waivers"

// waiverRules document the findings about waivers alongside the policy rules.
var waiverRules = []Rule{{
	ID: WaiverExpiredRule, Title: "Waiver has expired", Severity: SeverityWarning, Package: waiverPackage, Location: "checker/waiver.go",
	Description: "A waiver applies up to and including its expiry date. After that the findings it covered count again, and the waiver itself is reported so that it is renewed or removed.",
	Standard:    "rdpcheck reviewer workflow (waivers carry a justification, an approver and an expiry)",
	Remediation: "Fix the finding, or have a reviewer renew the waiver with a new expiry date and justification.",
}, {
	ID: WaiverStaleRule, Title: "Waiver matches no finding", Severity: SeverityInfo, Package: waiverPackage, Location: "checker/waiver.go",
	Description: "A waiver that matches nothing in this run is stale: the finding it accepted has been fixed, or the waiver names the wrong rule, region, objective or path.",
	Standard:    "rdpcheck reviewer workflow (waivers carry a justification, an approver and an expiry)",
	Remediation: "Remove the waiver if the finding is fixed; otherwise correct its rule, region, objective or path.",
}}

// LoadWaivers reads a waivers file: {"waivers": [{rule, region?,
// objective?, path?, justification, approved_by, expires}]}. A waiver
// without a justification, an approver or an expiry date is refused with
// an error naming the file and line.
func LoadWaivers(path string) ([]Waiver, error) {
	doc, err := document.Read(path, document.Limits{})
	if err != nil {
		return nil, fmt.Errorf("waivers: %w", err)
	}
	s, err := compileSchema(schemas.Waivers)
	if err != nil {
		return nil, err
	}
	var ve *jsonschema.ValidationError
	if err := s.Validate(doc.Value); errors.As(err, &ve) {
		errs := newErrors()
		for _, leaf := range leaves(ve) {
			line, col := doc.Position(leaf.InstanceLocation)
			errs.Errors = append(errs.Errors, fmt.Errorf("%s:%d:%d: %s: %s", path, line, col, readablePath(nil, leaf.InstanceLocation), waiverProblem(leaf)))
		}
		return nil, fmt.Errorf("waivers file is not valid (every waiver needs a rule, a justification, approved_by and an expires date):\n%w", errs)
	} else if err != nil {
		return nil, err
	}
	list := doc.Value.(map[string]any)["waivers"].([]any)
	out := make([]Waiver, len(list))
	for i, x := range list {
		m := x.(map[string]any)
		str := func(k string) string { s, _ := m[k].(string); return strings.TrimSpace(s) }
		w := Waiver{
			Rule: str("rule"), Region: str("region"), Objective: str("objective"), Path: str("path"), Subject: str("subject"),
			Justification: str("justification"), ApprovedBy: str("approved_by"), Expires: str("expires"), file: path,
		}
		w.line, w.column = doc.Position(fmt.Sprintf("/waivers/%d", i))
		w.Source = fmt.Sprintf("%s:%d", path, w.line)
		if _, err := pathpkg.Match(strings.ToUpper(w.Rule), ""); err != nil {
			return nil, fmt.Errorf("%s:%d:%d: rule pattern %q: %w", path, w.line, w.column, w.Rule, err)
		}
		if _, err := pathpkg.Match(w.Path, ""); err != nil {
			line, col := doc.Position(fmt.Sprintf("/waivers/%d/path", i))
			return nil, fmt.Errorf("%s:%d:%d: path pattern %q: %w; write a JSON pointer such as /metip/2/programmes/5, with * for any one part", path, line, col, w.Path, err)
		}
		out[i] = w
	}
	return out, nil
}

// leaves lists the innermost errors of a validation error.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// waiverProblem words a schema error in a waiver for a reviewer.
func waiverProblem(e *jsonschema.ValidationError) string {
	if strings.HasPrefix(e.Message, "missing properties: ") {
		return "missing " + strings.TrimPrefix(e.Message, "missing properties: ")
	}
	return e.Message
}

// matches reports whether the waiver covers a finding in a plan of the
// given region. Its path is a JSON pointer, matched at or above the
// finding's path; a part may be a pattern (* for any one part, as in
// /metip/*/programmes/3). Its subject names what the finding is about.
func (w Waiver) matches(region string, f Finding) bool {
	if !matchRule(w.Rule, f.Rule) {
		return false
	}
	if w.Region != "" && !strings.EqualFold(w.Region, region) {
		return false
	}
	if w.Objective != "" && !strings.EqualFold(w.Objective, f.Objective) {
		return false
	}
	if w.Subject != "" && !strings.EqualFold(w.Subject, f.Subject) {
		return false
	}
	return w.Path == "" || pointerCovers(w.Path, f.Path)
}

// pointerCovers reports whether a finding's path is at or below the
// waiver's path, each part of which may be a path.Match pattern.
func pointerCovers(pattern, pointer string) bool {
	want, got := document.SplitPointer(pattern), document.SplitPointer(pointer)
	if len(want) > len(got) {
		return false
	}
	for i, p := range want {
		if ok, _ := pathpkg.Match(p, got[i]); !ok {
			return false
		}
	}
	return true
}

// subjectAt names what a finding at pointer in a plan is about: the
// nearest enclosing list entry that has an id, a code or a name (a KPI, a
// budget line, a METIP programme, a provider). It is "" when there is none.
func subjectAt(plan any, pointer string) string {
	subject := ""
	v := plan
	for _, part := range document.SplitPointer(pointer) {
		switch x := v.(type) {
		case map[string]any:
			v = x[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return subject
			}
			v = x[i]
			if m, ok := v.(map[string]any); ok {
				for _, key := range []string{"id", "code", "name"} {
					if s, ok := m[key].(string); ok && s != "" {
						subject = s
						break
					}
				}
			}
		default:
			return subject
		}
	}
	return subject
}

// describe names a waiver in messages.
func (w Waiver) describe() string {
	var scope []string
	for _, s := range []string{w.Region, w.Objective, w.Subject, w.Path} {
		if s != "" {
			scope = append(scope, s)
		}
	}
	d := "waiver of " + w.Rule
	if len(scope) > 0 {
		d += " for " + strings.Join(scope, ", ")
	}
	return fmt.Sprintf("%s (approved by %s: %q)", d, w.ApprovedBy, w.Justification)
}

// WaiverScope is what a run covers, for judging its waivers: a waiver
// about a region whose plan is not in the run, or about rules the run
// does not evaluate (the roll-up's, in a check), is left alone: neither
// applied, nor stale, nor expired. Such is a pre-commit run over the one
// staged plan.
type WaiverScope struct {
	// Regions are the regions of the plans in the run.
	Regions map[string]bool
	// Ran reports whether the run evaluates a rule; nil means every rule.
	Ran func(rule string) bool
}

// inScope reports whether a waiver concerns the run.
func (s WaiverScope) inScope(w Waiver) bool {
	if w.Region != "" && s.Regions != nil {
		found := false
		for r := range s.Regions {
			found = found || strings.EqualFold(r, w.Region)
		}
		if !found {
			return false
		}
	}
	return s.Ran == nil || s.Ran(w.Rule)
}

// ApplyWaivers marks the findings each waiver covers as waived, on the
// given date (YYYY-MM-DD). An expired waiver no longer applies and is
// itself reported as a warning; a waiver that matches nothing is
// reported as stale (info). Findings about the waivers are added under
// the waivers file, located at each waiver's line, when there are any.
// A waiver with a region never covers the roll-up's national findings,
// which belong to no region. Waivers outside the scope of the run (see
// WaiverScope) are left alone.
func ApplyWaivers(results []FileResult, waivers []Waiver, today string, scope WaiverScope) []FileResult {
	used := make([]bool, len(waivers))
	for i := range results {
		for j := range results[i].Findings {
			f := &results[i].Findings[j]
			for k, w := range waivers {
				if w.Expires >= today && w.matches(results[i].Region, *f) {
					used[k] = true // every matching waiver is in use; the first applies
					if f.Waiver == nil {
						waiver := w
						f.Waiver = &waiver
					}
				}
			}
		}
	}
	if len(waivers) == 0 {
		return results
	}
	file := FileResult{Path: waivers[0].file, Findings: []Finding{}}
	for k, w := range waivers {
		if !scope.inScope(w) {
			continue
		}
		f := Finding{Objective: PlanWide, Path: fmt.Sprintf("/waivers/%d", k), Line: w.line, Column: w.column}
		if w.Objective != "" {
			f.Objective = w.Objective
		}
		switch {
		case w.Expires < today:
			f.Rule, f.Severity, f.Title = WaiverExpiredRule, SeverityWarning, waiverRules[0].Title
			f.Message = fmt.Sprintf("The %s expired on %s, so the findings it covered count again; fix them or renew the waiver.", w.describe(), w.Expires)
		case !used[k]:
			f.Rule, f.Severity, f.Title = WaiverStaleRule, SeverityInfo, waiverRules[1].Title
			f.Message = fmt.Sprintf("The %s matches no finding in this run; remove it if the finding is fixed, or correct it.", w.describe())
		default:
			continue
		}
		f.Standard = waiverRules[0].Standard
		file.Findings = append(file.Findings, f)
	}
	if len(file.Findings) == 0 {
		return results
	}
	return append(results, file)
}

// CheckWaivers refuses waivers that name a region or an objective that
// does not exist, as a plan's would be refused: each with its file, line
// and column, and the nearest known name as a suggestion. A misspelt
// region would otherwise waive nothing and only show up as stale.
func CheckWaivers(waivers []Waiver, regions, objectives []string) error {
	errs := newErrors()
	for k, w := range waivers {
		for _, field := range []struct {
			key, value string
			known      []string
		}{
			{"region", w.Region, regions},
			{"objective", w.Objective, objectives},
		} {
			if field.value == "" || slices.ContainsFunc(field.known, func(s string) bool { return strings.EqualFold(s, field.value) }) {
				continue
			}
			msg := fmt.Sprintf("%s:%d:%d: waiver %d: %s %q is not one of %s", w.file, w.line, w.column, k+1, field.key, field.value, strings.Join(field.known, ", "))
			if s := nearest(field.value, field.known); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			}
			errs.Errors = append(errs.Errors, errors.New(msg))
		}
	}
	if err := errs.ErrorOrNil(); err != nil {
		return fmt.Errorf("waivers file names what does not exist, so its waivers would match nothing:\n%w", err)
	}
	return nil
}

// nearest returns the known name closest to s (ignoring case, spaces and
// punctuation) when it is close enough to be a slip, else "".
func nearest(s string, known []string) string {
	norm := func(x string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, x)
	}
	best, bestDist := "", 0
	for _, k := range known {
		d := editDistance(norm(s), norm(k))
		if best == "" || d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" || bestDist > max(2, len(norm(best))/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
