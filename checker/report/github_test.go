package report

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

func TestGitHubGolden(t *testing.T) {
	golden(t, "github.golden", render(t, FormatGitHub, Options{}, testReport()))
}

// githubTrickyReport has text that must be escaped: newlines, carriage
// returns, commas, colons and percent signs, in messages, paths and rule
// ids, and a waived finding, an unknown severity and a stdin file.
func githubTrickyReport() *checker.Report {
	return &checker.Report{
		Files: []checker.FileResult{
			{Path: "-", Findings: []checker.Finding{{Rule: "my-policy/deny", Severity: "fatal", Message: "::error::not a command"}}},
			{Path: "plans/a,b:c 100%.yaml", Error: &checker.FileError{Message: "bad\nfile, at: 50%", Line: 2}},
			{Path: "plans/north-east.yaml", Region: "North East and Yorkshire", Findings: []checker.Finding{
				{Rule: "RDP-BUD-002", Severity: checker.SeverityError, Objective: checker.PlanWide, Line: 5, Column: 2,
					Message: "Budget is over by £1.1m\nsecond line, with a comma: and a colon (100% sure)\r\nthird %0A line"},
				{Rule: "X,Y:Z", Severity: checker.SeverityWarning, Objective: "FW1", Message: "no line"},
				{Rule: "RDP-KPI-007", Severity: checker.SeverityInfo, Objective: "FW1", Line: 9, Message: "info"},
				{Rule: "RDP-OWN-001", Severity: checker.SeverityError, Objective: "RR1", Line: 3, Column: 1, Message: "waived",
					Waiver: &checker.Waiver{Rule: "RDP-OWN-001", Justification: "agreed, for now: see minutes", ApprovedBy: "QA lead", Expires: "2026-03-31", Source: "waivers.yaml:4"}},
			}},
		},
		Summary: checker.Summary{Files: 3, Unchecked: 1, Errors: 1, Warnings: 2, Infos: 1, Waived: 1},
	}
}

// githubCommandLine is a workflow command: ::name props::data.
var githubCommandLine = regexp.MustCompile(`^::(error|warning|notice)(?: ([^:]*))?::(.*)$`)

// githubUnescape undoes the runner's escapes in one pass.
var githubUnescape = strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",")

// githubParsed is one command read back.
type githubParsed struct {
	command string
	props   map[string]string
	message string
}

// parseGitHub reads the commands back as the runner would.
func parseGitHub(t *testing.T, out string) []githubParsed {
	t.Helper()
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("output does not end in a newline: %q", out)
	}
	var cmds []githubParsed
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if strings.ContainsRune(line, '\r') {
			t.Errorf("line %d holds a carriage return: %q", i+1, line)
		}
		m := githubCommandLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d is not a workflow command: %q", i+1, line)
			continue
		}
		c := githubParsed{command: m[1], props: map[string]string{}, message: githubUnescape.Replace(m[3])}
		if m[2] != "" {
			for _, kv := range strings.Split(m[2], ",") {
				k, val, ok := strings.Cut(kv, "=")
				if !ok {
					t.Errorf("line %d: property %q has no value", i+1, kv)
				}
				if _, dup := c.props[k]; dup {
					t.Errorf("line %d: property %q twice", i+1, k)
				}
				c.props[k] = githubUnescape.Replace(val)
			}
		}
		cmds = append(cmds, c)
	}
	return cmds
}

func TestGitHubLines(t *testing.T) {
	for name, r := range map[string]*checker.Report{"shared": testReport(), "tricky": githubTrickyReport(), "empty": {}} {
		v := NewView(r, testObjectives, nil)
		cmds := parseGitHub(t, string(ciRender(t, FormatGitHub, Options{}, v)))

		// What each line must say, worked out from the View.
		type want struct {
			command, file, line, col, title, message string
		}
		var wants []want
		itoa := func(n int) string {
			if n == 0 {
				return ""
			}
			return strconv.Itoa(n)
		}
		for _, f := range v.Files {
			if e := f.Error; e != nil {
				col := itoa(e.Column)
				if e.Line == 0 {
					col = ""
				}
				wants = append(wants, want{"error", f.Path, itoa(e.Line), col, "", clean("could not be checked: " + e.Message)})
			}
			for _, fd := range f.Findings {
				command := map[checker.Severity]string{checker.SeverityError: "error", checker.SeverityWarning: "warning", checker.SeverityInfo: "notice"}[fd.Severity]
				if command == "" {
					command = "warning"
				}
				if fd.Waiver != nil {
					command = "notice"
				}
				title := fd.Rule
				if fd.Objective != "" {
					title += " (" + fd.Objective + ")"
				}
				col := itoa(fd.Column)
				if fd.Line == 0 {
					col = ""
				}
				wants = append(wants, want{command, f.Path, itoa(fd.Line), col, clean(title), clean(fd.Message + marks(fd))})
			}
		}
		if len(cmds) != len(wants)+1 {
			t.Fatalf("%s: %d commands, want %d and a summary", name, len(cmds), len(wants))
		}
		for i, w := range wants {
			c := cmds[i]
			got := want{c.command, c.props["file"], c.props["line"], c.props["col"], c.props["title"], c.message}
			if got != w {
				t.Errorf("%s: command %d reads back as\n%+v, want\n%+v", name, i+1, got, w)
			}
			for k := range c.props {
				if k != "file" && k != "line" && k != "col" && k != "title" {
					t.Errorf("%s: command %d has property %q", name, i+1, k)
				}
			}
		}
		last := cmds[len(cmds)-1]
		summary := "rdpcheck: " + summaryLine(r.Summary)
		if p := provenance(r.Provenance); p != nil {
			summary += ". " + p.Headline // and what the run changed, if anything
		}
		if last.command != "notice" || len(last.props) != 0 || !strings.HasPrefix(last.message, summary) {
			t.Errorf("%s: last command %+v is not the summary notice", name, last)
		}
	}
}

func TestGitHubEscape(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"},
		{"x, y: z", "x, y: z", "x%2C y%3A z"},
		{"100%", "100%25", "100%25"},
		{"%0A", "%250A", "%250A"},
		{"::error::", "::error::", "%3A%3Aerror%3A%3A"},
	}
	for _, tt := range tests {
		if got := githubEscapeData(tt.in); got != tt.data {
			t.Errorf("githubEscapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := githubEscapeProperty(tt.in); got != tt.prop {
			t.Errorf("githubEscapeProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
		if got := githubUnescape.Replace(tt.prop); got != tt.in {
			t.Errorf("unescaping %q gives %q, want %q", tt.prop, got, tt.in)
		}
	}
}
