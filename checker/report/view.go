package report

import "github.com/hee-rdp/rdpcheck/checker"

// View is a Report prepared once for every format: each file's findings
// grouped by objective, and each objective's worst severity (the status
// matrix). Reporters present a View; none of them groups findings itself.
type View struct {
	// Report is the report as the checker made it, in its order.
	Report *checker.Report
	// Files holds one entry per file of the report, in the same order.
	Files []FileView
	// Objectives are the matrix columns: plan-wide first, then the
	// business plan's objectives in order, then any other objective a
	// finding names.
	Objectives []string
	// Rules documents every rule by id.
	Rules map[string]checker.Rule
	// Titles names the objectives (see checker.Checker.ObjectiveTitles),
	// for legends, tooltips and headings; an objective without one is
	// shown by its id alone.
	Titles map[string]string
}

// Title is an objective's title, or "" when it has none.
func (v *View) Title(objective string) string {
	return v.Titles[objective]
}

// RowLabel names a file's row in a status table: the plan's region first
// and its file second, so that a roll-up reads as regions by objectives;
// the file alone when the plan names no region.
func (f FileView) RowLabel() string {
	if f.Region == "" {
		return f.Path
	}
	return f.Region + " (" + f.Path + ")"
}

// FileView is one file with its findings grouped by objective.
type FileView struct {
	*checker.FileResult
	// Groups are runs of findings with the same objective, in report order.
	Groups []Group
	// status maps an objective to its group.
	status map[string]*Group
}

// Group is the findings of one file about one objective.
type Group struct {
	Objective string
	Findings  []checker.Finding
	// Worst is the most serious severity among the findings that are
	// not waived ("" when every finding is waived).
	Worst checker.Severity
	// Errors, Warnings and Infos count the findings that are not waived;
	// Waived counts the others.
	Errors, Warnings, Infos, Waived int
}

// NewView groups a report's findings by objective and works out the
// status matrix. objectives gives the order of the matrix columns (see
// checker.Checker.Objectives); rules documents the rules findings name.
func NewView(r *checker.Report, objectives []string, rules []checker.Rule) *View {
	v := &View{Report: r, Rules: map[string]checker.Rule{}}
	for _, rule := range rules {
		v.Rules[rule.ID] = rule
	}
	seen := map[string]bool{}
	for _, o := range objectives {
		if !seen[o] {
			seen[o] = true
			v.Objectives = append(v.Objectives, o)
		}
	}
	for i := range r.Files {
		fv := FileView{FileResult: &r.Files[i], status: map[string]*Group{}}
		for _, f := range r.Files[i].Findings {
			if n := len(fv.Groups); n == 0 || fv.Groups[n-1].Objective != f.Objective {
				fv.Groups = append(fv.Groups, Group{Objective: f.Objective})
			}
			g := &fv.Groups[len(fv.Groups)-1]
			g.Findings = append(g.Findings, f)
			if f.Waiver != nil {
				g.Waived++
				continue
			}
			if f.Severity.Rank() > g.Worst.Rank() {
				g.Worst = f.Severity
			}
			switch f.Severity {
			case checker.SeverityError:
				g.Errors++
			case checker.SeverityWarning:
				g.Warnings++
			case checker.SeverityInfo:
				g.Infos++
			}
		}
		for _, g := range fv.Groups {
			if !seen[g.Objective] {
				seen[g.Objective] = true
				v.Objectives = append(v.Objectives, g.Objective)
			}
		}
		for j := range fv.Groups {
			fv.status[fv.Groups[j].Objective] = &fv.Groups[j]
		}
		v.Files = append(v.Files, fv)
	}
	return v
}

// Status returns the group of findings about an objective, or nil when
// the file has none.
func (f FileView) Status(objective string) *Group {
	return f.status[objective]
}

// States of a status-matrix cell, and of a whole report (Overall).
const (
	StateOK      = "ok"      // no findings
	StateError   = "error"   // at least one error that is not waived
	StateWarning = "warning" // findings that are not waived, none an error
	StateWaived  = "waived"  // findings, every one of them waived
)

// State is a cell of the status matrix: its state and the number it
// shows (errors for an error cell, the findings that are not waived for a
// warning cell, the waived ones for a waived cell). A nil group is OK.
func (g *Group) State() (state string, count int) {
	switch {
	case g == nil || len(g.Findings) == 0:
		return StateOK, 0
	case g.Worst == checker.SeverityError:
		return StateError, g.Errors
	case len(g.Findings) > g.Waived:
		return StateWarning, len(g.Findings) - g.Waived
	}
	return StateWaived, g.Waived
}

// Overall is the state of the whole report: error when any file has an
// error that is not waived or could not be checked, warning when any has
// another finding that is not waived, else OK.
func (v *View) Overall() string {
	s := v.Report.Summary
	switch {
	case s.Errors > 0 || s.Unchecked > 0:
		return StateError
	case s.Warnings > 0 || s.Infos > 0:
		return StateWarning
	}
	return StateOK
}
