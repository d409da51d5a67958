package checker

import (
	"errors"
	"fmt"
	pathpkg "path"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/schemas"
)

// Waiver accepts findings knowingly: which rule (and optionally which
// region, objective and path), why, who approved it and until when.
type Waiver struct {
	Rule          string `json:"rule"`
	Region        string `json:"region,omitempty"`
	Objective     string `json:"objective,omitempty"`
	Path          string `json:"path,omitempty"`
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
			Rule: str("rule"), Region: str("region"), Objective: str("objective"), Path: str("path"),
			Justification: str("justification"), ApprovedBy: str("approved_by"), Expires: str("expires"), file: path,
		}
		w.line, w.column = doc.Position(fmt.Sprintf("/waivers/%d", i))
		w.Source = fmt.Sprintf("%s:%d", path, w.line)
		if _, err := pathpkg.Match(strings.ToUpper(w.Rule), ""); err != nil {
			return nil, fmt.Errorf("%s:%d:%d: rule pattern %q: %w", path, w.line, w.column, w.Rule, err)
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
// given region.
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
	if w.Path != "" && f.Path != w.Path && !strings.HasPrefix(f.Path, w.Path+"/") {
		return false
	}
	return true
}

// describe names a waiver in messages.
func (w Waiver) describe() string {
	var scope []string
	for _, s := range []string{w.Region, w.Objective, w.Path} {
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

// ApplyWaivers marks the findings each waiver covers as waived, on the
// given date (YYYY-MM-DD). An expired waiver no longer applies and is
// itself reported as a warning; a waiver that matches nothing is
// reported as stale (info). Findings about the waivers are added under
// the waivers file, located at each waiver's line, when there are any.
// A waiver with a region never covers the roll-up's national findings,
// which belong to no region.
func ApplyWaivers(results []FileResult, waivers []Waiver, today string) []FileResult {
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
