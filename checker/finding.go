package checker

import "strings"

// Severity is how serious a finding is: error, warning or info.
type Severity string

// The severities a finding can carry, from the most to the least serious.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(name string) (Severity, bool) {
	s := Severity(strings.ToLower(name))
	return s, s.Rank() > 0
}

// PlanWide is the objective of a finding about the plan as a whole
// rather than one business-plan objective.
const PlanWide = "plan"

// Finding is one thing wrong with a plan: which rule, how severe, which
// objective it concerns, where in the file and what to do about it.
type Finding struct {
	// Rule is the stable id of the rule, e.g. RDP-BUD-001, or SCHEMA.
	Rule string `json:"rule"`
	// Severity is error, warning or info.
	Severity Severity `json:"severity"`
	// Objective is the business-plan objective id (RR1, FW1, ...) or "plan".
	Objective string `json:"objective"`
	// Path is a JSON pointer into the plan document.
	Path string `json:"path"`
	// Line and Column locate Path in the source file (1-based; 0 if unknown).
	Line   int `json:"line"`
	Column int `json:"column"`
	// Sheet and Cell locate Path in a workbook (.xlsx) plan, e.g. Budget
	// and D7; empty for YAML and JSON plans.
	Sheet string `json:"sheet,omitempty"`
	Cell  string `json:"cell,omitempty"`
	// Message says what is wrong, with the figures involved.
	Message string `json:"message"`
	// Title is the rule's short title.
	Title string `json:"title,omitempty"`
	// Standard is where the rule comes from (business plan section, framework).
	Standard string `json:"standard,omitempty"`
	// Waiver, when set, is the waiver that accepts this finding: it is
	// still reported, but does not count towards failure.
	Waiver *Waiver `json:"waiver,omitempty"`
	// Change is set when a baseline report is given: ChangeNew or
	// ChangeUnchanged.
	Change string `json:"change,omitempty"`
	// Subject names what the finding is about, when that is one thing:
	// a METIP programme, a budget line code, a KPI id or a provider. A
	// waiver can name it.
	Subject string `json:"subject,omitempty"`

	// plan is 1 + the index of the roll-up plan a roll-up finding is
	// about; 0 for every other finding.
	plan int
}

// FileError says why a file could not be checked at all.
type FileError struct {
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	// Sheet and Cell locate the fault in a workbook, when it is in one place.
	Sheet string `json:"sheet,omitempty"`
	Cell  string `json:"cell,omitempty"`
}

// FileResult is the outcome of checking one file: its findings, or the
// error that stopped it from being checked.
type FileResult struct {
	// Path is the file as named on the command line (or "-" for stdin).
	Path string `json:"path"`
	// Kind is "" for a file the user named, KindNational for the
	// roll-up's findings about the plans taken together, or KindReference
	// for rdpcheck's reference data: the last two are not files in the
	// user's repository, so formats that link to files leave them out.
	Kind string `json:"kind,omitempty"`
	// Region is the plan's region when it could be read.
	Region   string     `json:"region,omitempty"`
	Findings []Finding  `json:"findings"`
	Error    *FileError `json:"error,omitempty"`
	// Resolved, with a baseline, lists the baseline's findings for this
	// plan that no longer occur.
	Resolved []Finding `json:"resolved,omitempty"`
}

// Summary counts files and findings by severity. Waived findings are
// counted apart from the severities.
type Summary struct {
	// Files is every file in the report; Unchecked those that could not be checked.
	Files     int `json:"files"`
	Unchecked int `json:"unchecked"`
	// Errors, Warnings and Infos count the findings that are not waived.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	// Waived counts findings accepted by a waiver.
	Waived int `json:"waived"`
	// New and Resolved compare with a baseline report, when one is given.
	New      int `json:"new,omitempty"`
	Resolved int `json:"resolved,omitempty"`
	// SkippedNotPlans counts the .yaml, .yml and .json files in the
	// checked directories that are not plans (a waivers file, a config
	// file); SkippedNotRegular the entries that are not regular files
	// (named pipes, devices). Neither is among Files.
	SkippedNotPlans   int `json:"skipped_not_plans,omitempty"`
	SkippedNotRegular int `json:"skipped_not_regular,omitempty"`
}

// Values of FileResult.Kind.
const (
	KindNational  = "national"
	KindReference = "reference"
)

// Values of Finding.Change.
const (
	ChangeNew       = "new"
	ChangeUnchanged = "unchanged"
)

// ReportVersion identifies the layout of Report; it changes only when
// the JSON report changes incompatibly.
const ReportVersion = "rdpcheck/report/v1"

// Report is the outcome of one run over any number of files, in
// deterministic order: files by path, findings by objective, path, rule.
type Report struct {
	Version string       `json:"version"`
	Files   []FileResult `json:"files"`
	Summary Summary      `json:"summary"`
	// Provenance says how the report was made (nil in a report built by
	// NewReport alone).
	Provenance *Provenance `json:"provenance,omitempty"`
	// National is the roll-up's national picture (rdpcheck rollup only).
	National *National `json:"national,omitempty"`
	// PublishedNotes are the roll-up's notes on the published national
	// tables (the reference data's own inconsistencies): not any plan's
	// fault, so they count neither in Summary nor towards the exit code.
	PublishedNotes []FileResult `json:"published_notes,omitempty"`
}

// Rule describes one policy rule, read from its METADATA annotation.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Severity    Severity `json:"severity"`
	Standard    string   `json:"standard,omitempty"`
	Remediation string   `json:"remediation,omitempty"`
	// Details is the part of the documentation for policy authors: the
	// data keys and formulas behind the rule (METADATA custom.details).
	Details string `json:"details,omitempty"`
	// Objectives lists the objectives the rule's findings fall under:
	// objective ids, "plan" for plan-wide findings, or "every" for rules
	// that apply to each objective (METADATA custom.objectives).
	Objectives []string `json:"objectives,omitempty"`
	// Sections lists the parts of the plan the rule checks, such as
	// budget, metip or kpis (METADATA custom.sections, or else the last
	// part of its package name).
	Sections []string `json:"sections,omitempty"`
	// Package is the Rego package that holds the rule.
	Package string `json:"package"`
	// Location is file:line of the rule in its policy source.
	Location string `json:"location"`
}
