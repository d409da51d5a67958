package report

import (
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

func TestTextGolden(t *testing.T) {
	golden(t, "text.golden", render(t, "text", Options{}, testReport()))
}

func TestTextColorGolden(t *testing.T) {
	golden(t, "text-color.golden", render(t, "text", Options{Color: true}, testReport()))
}

func TestTextNoEscapesWithoutColor(t *testing.T) {
	if out := render(t, "text", Options{}, testReport()); strings.Contains(string(out), "\x1b") {
		t.Errorf("text without colour contains escape codes:\n%q", out)
	}
}

func TestTextColor(t *testing.T) {
	out := string(render(t, "text", Options{Color: true}, testReport()))
	for _, want := range []string{
		"\x1b[31merror\x1b[0m",
		"\x1b[33mwarning\x1b[0m",
		"\x1b[36minfo\x1b[0m",
		"\x1b[1mfixtures/plans/valid/london.yaml\x1b[0m",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("coloured text lacks %q:\n%q", want, out)
		}
	}
}

func TestTextOneLinePerFinding(t *testing.T) {
	out := string(render(t, "text", Options{}, testReport()))
	for _, hidden := range []string{"Budget within allocation", "section 4.2", "KPI meets national ambition"} {
		if strings.Contains(out, hidden) {
			t.Errorf("text shows title or standard %q:\n%s", hidden, out)
		}
	}
	r := testReport()
	n := 0
	for _, f := range r.Files {
		n += len(f.Findings)
	}
	if got := strings.Count(out, "\n    "); got != n {
		t.Errorf("text has %d finding lines, want %d:\n%s", got, n, out)
	}
}

func TestTextLocation(t *testing.T) {
	out := string(render(t, "text", Options{}, testReport()))
	for _, want := range []string{
		// line and column known
		"    fixtures/plans/invalid/budget-over-allocation.yaml:412:3 error RDP-BUD-002 ",
		// line 0: file name only
		"    fixtures/plans/invalid/budget-over-allocation.yaml info RDP-GOV-001 ",
		// column 0: file and line
		"    fixtures/plans/invalid/budget-over-allocation.yaml:97 info RDP-KPI-007 ",
		// file error location comes from Line and Column
		"fixtures/plans/invalid/broken.yaml: could not be checked: fixtures/plans/invalid/broken.yaml:3:5: duplicate key \"region\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func TestTextFileErrorAlreadyLocated(t *testing.T) {
	r := &checker.Report{Files: []checker.FileResult{{
		Path:  "a.yaml",
		Error: &checker.FileError{Message: "a.yaml:3:5: duplicate key", Line: 3, Column: 5},
	}}}
	out := string(render(t, "text", Options{}, r))
	if want := "a.yaml: could not be checked: a.yaml:3:5: duplicate key\n"; !strings.HasPrefix(out, want) {
		t.Errorf("got %q, want it to start %q", out, want)
	}
}

func TestTextGroupsWithoutSorting(t *testing.T) {
	// Deliberately out of order: the reporter must keep it and only group
	// consecutive findings with the same objective.
	r := &checker.Report{Files: []checker.FileResult{{
		Path: "p.yaml",
		Findings: []checker.Finding{
			{Rule: "R-3", Severity: checker.SeverityInfo, Objective: "RR1", Line: 3, Message: "third"},
			{Rule: "R-1", Severity: checker.SeverityError, Objective: "FW1", Line: 1, Message: "first"},
			{Rule: "R-2", Severity: checker.SeverityError, Objective: "FW1", Line: 2, Message: "second"},
			{Rule: "R-4", Severity: checker.SeverityWarning, Objective: "RR1", Line: 4, Message: "fourth"},
		},
	}}}
	want := "p.yaml\n" +
		"  RR1\n" +
		"    p.yaml:3 info R-3 third\n" +
		"  FW1\n" +
		"    p.yaml:1 error R-1 first\n" +
		"    p.yaml:2 error R-2 second\n" +
		"  RR1\n" +
		"    p.yaml:4 warning R-4 fourth\n" +
		"\n"
	out := string(render(t, "text", Options{}, r))
	if !strings.HasPrefix(out, want) {
		t.Errorf("got\n%s\nwant it to start\n%s", out, want)
	}
}

func TestTextFileWithErrorAndFindings(t *testing.T) {
	r := &checker.Report{Files: []checker.FileResult{{
		Path:     "p.yaml",
		Error:    &checker.FileError{Message: "policy evaluation stopped"},
		Findings: []checker.Finding{{Rule: "SCHEMA", Severity: checker.SeverityError, Objective: checker.PlanWide, Path: "/region", Line: 1, Column: 1, Message: "region is required"}},
	}}}
	want := "p.yaml\n" +
		"  could not be checked: policy evaluation stopped\n" +
		"  plan (plan-wide)\n" +
		"    p.yaml:1:1 error SCHEMA region is required\n"
	if out := string(render(t, "text", Options{}, r)); !strings.HasPrefix(out, want) {
		t.Errorf("got\n%s\nwant it to start\n%s", out, want)
	}
}

func TestTextCleansControlCharacters(t *testing.T) {
	r := &checker.Report{Files: []checker.FileResult{{
		Path:     "p.yaml",
		Findings: []checker.Finding{{Rule: "USER-1", Severity: checker.SeverityWarning, Objective: "FW1", Message: "two\nlines\tand \x1b[31mred"}},
	}}}
	out := string(render(t, "text", Options{}, r))
	if want := "    p.yaml warning USER-1 two lines and \\u001B[31mred\n"; !strings.Contains(out, want) {
		t.Errorf("got\n%q\nwant it to contain\n%q", out, want)
	}
}

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		s    checker.Summary
		want string
	}{
		{checker.Summary{}, "0 files checked: 0 errors, 0 warnings, 0 infos"},
		{checker.Summary{Files: 1, Errors: 1, Warnings: 1, Infos: 1}, "1 file checked: 1 error, 1 warning, 1 info"},
		{checker.Summary{Files: 8, Unchecked: 1, Errors: 2, Warnings: 1}, "8 files checked, 1 could not be checked: 2 errors, 1 warning, 0 infos"},
		{checker.Summary{Files: 2, Unchecked: 2, Errors: 0, Warnings: 3, Infos: 4}, "2 files checked, 2 could not be checked: 0 errors, 3 warnings, 4 infos"},
	}
	for _, tt := range tests {
		if got := summaryLine(tt.s); got != tt.want {
			t.Errorf("summaryLine(%+v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
