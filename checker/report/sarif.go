package report

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/hee-rdp/rdpcheck/checker"
)

// FormatSARIF is SARIF 2.1.0, for code scanning (GitHub, GitLab, IDEs).
const FormatSARIF = "sarif"

// sarifInformationURI is where rdpcheck is described.
const sarifInformationURI = "https://github.com/hee-rdp/rdpcheck"

func init() {
	register(FormatSARIF, func(opt Options) Reporter { return &sarifReporter{opt: opt} })
}

// sarifReporter writes a SARIF 2.1.0 log with github.com/owenrumney/go-sarif.
type sarifReporter struct {
	opt Options
}

// Write writes v as one SARIF run, indented by two spaces and followed by
// a newline:
//
//   - tool.driver names rdpcheck, its version and home page, and lists
//     every rule of v.Rules and every rule a finding names that v.Rules
//     does not document, sorted by id. A documented rule carries its
//     title (name and shortDescription), description (fullDescription),
//     remediation and standard (help), a helpUri to its anchor in
//     docs/rules.md, its severity (defaultConfiguration.level) and its
//     standard and Rego package (properties).
//   - Each finding is a result with its ruleId and the index of that rule
//     in tool.driver.rules, its level (info is SARIF's "note"), message
//     and location: the file as a URI reference relative to the working
//     directory ("-" is "stdin"), and a region only when the line is
//     known. Its properties give the objective, the JSON pointer (path)
//     and the standard.
//   - A waived finding carries the waiver as an accepted external
//     suppression; with a baseline, a finding's baselineState is "new" or
//     "unchanged". (Findings resolved since the baseline are left out:
//     code scanning closes alerts that no longer occur by itself.)
//   - invocations[0] is successful only when every file was checked; each
//     file that was not is a toolExecutionNotification at level error.
//
// Columns are counted in Unicode code points, as the checker counts them.
// Results keep the report's order, so the output is deterministic.
//
// go-sarif v3 writes the properties that have a SARIF default even when
// they are not set: empty arrays, and -1 (SARIF's "absent") for
// region.byteOffset and charOffset, artifactLocation.index, location.id
// and rank. The objects are made with its constructors, which set those
// defaults; the zero value of its structs would write 0 instead, which
// means something else. Property values go through its own json.Marshal,
// so "<", ">" and "&" in them are \u-escaped (the same JSON string).
func (s *sarifReporter) Write(w io.Writer, v *View) error {
	if err := checkView(v); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s.log(v)); err != nil { // Encode ends with a newline
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// log builds the SARIF log of v.
func (s *sarifReporter) log(v *View) *sarif.Report {
	run := sarif.NewRunWithInformationURI("rdpcheck", sarifInformationURI)
	if s.opt.ToolVersion != "" {
		run.Tool.Driver.WithVersion(s.opt.ToolVersion)
	}
	run.WithColumnKind("unicodeCodePoints")
	// The checker ends a line at "\r\n", "\n" or a lone "\r".
	run.WithNewlineSequences([]string{"\r\n", "\n", "\r"})

	index := s.addRules(run, v)

	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
	for _, f := range v.Files {
		if f.Error != nil {
			inv.WithExecutionSuccessful(false)
			inv.AddToolExecutionNotification(sarif.NewNotification().
				WithLevel(sarif.LevelError).
				WithMessage(sarif.NewTextMessage("could not be checked: " + sarifText(f.Error.Message, "unknown error"))).
				AddLocation(sarifFileLocation(f, f.Error.Line, f.Error.Column)))
		}
		for _, fd := range f.Findings {
			props := sarif.NewPropertyBag().
				Add("objective", fd.Objective).
				Add("path", fd.Path)
			if std := findingStandard(fd, v.Rules[fd.Rule]); std != "" {
				props.Add("standard", std)
			}
			res := sarif.NewRuleResult(fd.Rule).
				WithRuleIndex(index[fd.Rule]).
				WithLevel(sarifLevel(fd.Severity)).
				WithMessage(sarif.NewTextMessage(sarifText(fd.Message, fd.Title, v.Rules[fd.Rule].Title, fd.Rule, "finding"))).
				AddLocation(sarifCellLocation(sarifFileLocation(f, fd.Line, fd.Column), fd)).
				WithProperties(props)
			if w := fd.Waiver; w != nil {
				res.AddSuppression(sarifSuppression(w))
			}
			if fd.Change == checker.ChangeNew || fd.Change == checker.ChangeUnchanged {
				res.WithBaselineState(fd.Change) // the same words in SARIF
			}
			run.AddResult(res)
		}
	}
	run.AddInvocation(inv)
	if p := v.Report.Provenance; p != nil {
		if run.Properties == nil {
			run.WithProperties(sarif.NewPropertyBag())
		}
		run.Properties.Add("provenance", p)
	}
	if n := v.Report.National; n != nil {
		if run.Properties == nil {
			run.WithProperties(sarif.NewPropertyBag())
		}
		run.Properties.Add("national", n) // the roll-up's national picture, as in the JSON report
	}

	return sarif.NewReport().AddRun(run)
}

// addRules writes tool.driver.rules: the documented rules and any other
// rule a finding names, sorted by id. It returns each rule's index.
func (s *sarifReporter) addRules(run *sarif.Run, v *View) map[string]int {
	// Undocumented rules take what the findings say about them: the
	// first title and standard given, and the worst severity.
	undocumented := map[string]*checker.Rule{}
	for _, f := range v.Files {
		for _, fd := range f.Findings {
			if _, ok := v.Rules[fd.Rule]; ok {
				continue
			}
			r := undocumented[fd.Rule]
			if r == nil {
				r = &checker.Rule{ID: fd.Rule}
				undocumented[fd.Rule] = r
			}
			if r.Title == "" {
				r.Title = fd.Title
			}
			if r.Standard == "" {
				r.Standard = fd.Standard
			}
			if fd.Severity.Rank() > r.Severity.Rank() {
				r.Severity = fd.Severity
			}
		}
	}
	ids := make([]string, 0, len(v.Rules)+len(undocumented))
	for id := range v.Rules {
		ids = append(ids, id)
	}
	for id := range undocumented {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
		rule, documented := v.Rules[id]
		if !documented {
			rule = *undocumented[id]
		}
		d := sarif.NewRule(id).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity)))
		if rule.Title != "" {
			d.WithName(rule.Title)
		}
		// Code scanning shows shortDescription, fullDescription and help
		// and expects them all, so each falls back on what is known.
		d.WithShortDescription(sarif.NewMultiformatMessageString().WithText(sarifText(rule.Title, id)))
		d.WithFullDescription(sarif.NewMultiformatMessageString().WithText(sarifText(rule.Description, rule.Title, id)))
		help := sarifHelp(rule)
		if documented {
			// Only documented rules have an anchor in docs/rules.md.
			uri := ruleURL(s.opt.DocsURL, id)
			d.WithHelpURI(uri)
			help = sarifText(help, "See "+uri+".")
		}
		d.WithHelp(sarif.NewMultiformatMessageString().WithText(sarifText(help, sarifUndocumented)))
		props := sarif.NewPropertyBag()
		if rule.Standard != "" {
			props.Add("standard", rule.Standard)
		}
		if rule.Package != "" {
			props.Add("package", rule.Package)
		}
		if len(props.Properties) > 0 {
			d.WithProperties(props)
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, d)
	}
	return index
}

// sarifUndocumented is the help text of a rule that has no METADATA.
const sarifUndocumented = "rdpcheck has no documentation for this rule: it has no METADATA annotation (for example, a rule from a --policy directory)."

// sarifSuppression records the waiver that accepts a finding: a
// suppression kept outside the plan (kind external) that a reviewer has
// accepted, with its justification, approver, expiry and source.
func sarifSuppression(w *checker.Waiver) *sarif.Suppression {
	props := sarif.NewPropertyBag().
		Add("approvedBy", w.ApprovedBy).
		Add("expires", w.Expires)
	if w.Source != "" {
		props.Add("source", w.Source)
	}
	return sarif.NewSuppression().
		WithKind("external").
		WithStatus("accepted").
		WithJustification(w.Justification).
		WithProperties(props)
}

// sarifHelp is a rule's help text: its remediation, then its standard.
func sarifHelp(r checker.Rule) string {
	var parts []string
	if r.Remediation != "" {
		parts = append(parts, r.Remediation)
	}
	if r.Standard != "" {
		parts = append(parts, "Standard: "+r.Standard)
	}
	return strings.Join(parts, "\n\n")
}

// sarifText returns the first non-empty text: SARIF messages need one.
func sarifText(texts ...string) string {
	for _, t := range texts {
		if t != "" {
			return t
		}
	}
	return ""
}

// sarifLevel maps a severity to a SARIF level. SARIF has no "info"; its
// "note" is the same thing. An unknown severity is SARIF's default level,
// "warning".
func sarifLevel(s checker.Severity) string {
	switch s {
	case checker.SeverityError:
		return sarif.LevelError
	case checker.SeverityInfo:
		return sarif.LevelNote
	}
	return sarif.LevelWarning
}

// sarifFileLocation locates a finding of a file: physically in a file of
// the user's, logically (by name) for the roll-up's national findings and
// for rdpcheck's reference data, which are not files in the repository
// that code scanning could open.
func sarifFileLocation(f FileView, line, column int) *sarif.Location {
	if f.Kind != "" {
		return sarif.NewLocation().AddLogicalLocation(sarif.NewLogicalLocation().WithName(f.Path).WithKind("module"))
	}
	return sarifLocation(f.Path, line, column)
}

// sarifLocation locates a line and column of a file; the region is left
// out when the line is unknown, and the column when it is.
func sarifLocation(path string, line, column int) *sarif.Location {
	loc := sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(sarifURI(path)))
	if line > 0 {
		region := sarif.NewRegion().WithStartLine(line)
		if column > 0 {
			region.WithStartColumn(column)
		}
		loc.WithRegion(region)
	}
	return sarif.NewLocationWithPhysicalLocation(loc)
}

// sarifURI turns a path as named on the command line into a URI
// reference: "-" (standard input) is "stdin"; separators become forward
// slashes; a leading "./" is dropped; characters that a URI cannot hold
// (spaces, "%", "#", ...) are percent-encoded. A relative path stays
// relative (to the working directory); an absolute one, Unix or Windows,
// becomes a file:// URI.
func sarifURI(path string) string {
	if path == "-" {
		return "stdin"
	}
	p := filepath.ToSlash(path)
	for strings.HasPrefix(p, "./") && len(p) > 2 {
		p = p[2:]
	}
	switch {
	case strings.HasPrefix(p, "/"):
		return (&url.URL{Scheme: "file", Path: p}).String()
	case len(p) >= 3 && p[1] == ':' && p[2] == '/' &&
		('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z'):
		return (&url.URL{Scheme: "file", Path: "/" + p}).String()
	}
	// String writes "./" before a first segment holding a colon, so
	// that it cannot be read as a scheme.
	return (&url.URL{Path: p}).String()
}

// sarifCellLocation adds, for a finding in a workbook, the sheet and
// cell as a logical location beside the file, so that viewers show
// Budget!D7 where they would show a line.
func sarifCellLocation(loc *sarif.Location, fd checker.Finding) *sarif.Location {
	if fd.Sheet == "" {
		return loc
	}
	ref := cellRef(fd.Sheet, fd.Cell)
	loc.AddLogicalLocation(sarif.NewLogicalLocation().WithName(ref).WithFullyQualifiedName(ref).WithKind("element"))
	loc.WithMessage(sarif.NewTextMessage("sheet " + fd.Sheet + ", cell " + fd.Cell))
	return loc
}
