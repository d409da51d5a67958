package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/workbook"
)

// workbookReport is a report on a real workbook with one finding in
// Budget!D3 and one in a sheet whose name has a space.
func workbookReport(t *testing.T) (*checker.Report, string) {
	t.Helper()
	doc, err := document.Read("../../fixtures/plans/valid/london.yaml", document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := workbook.Write(out, doc.Value.(map[string]any)); err != nil {
		t.Fatal(err)
	}
	out.Close()
	return &checker.Report{Version: checker.ReportVersion, Files: []checker.FileResult{{
		Path: path, Region: "London",
		Findings: []checker.Finding{
			{Rule: "RDP-BUD-002", Severity: checker.SeverityError, Objective: checker.PlanWide, Path: "/budget/lines/1/plan", Sheet: "Budget", Cell: "D3", Message: "Budget total over the allocation"},
			{Rule: "RDP-RSK-001", Severity: checker.SeverityWarning, Objective: checker.PlanWide, Path: "/risks/0", Sheet: "Plan-wide risks", Cell: "A2", Message: "A high risk has no owner"},
		},
	}}}, path
}

// TestWorkbookLocations: every format shows where in the workbook a
// finding is, and html shows the finding's row.
func TestWorkbookLocations(t *testing.T) {
	r, path := workbookReport(t)
	for format, wants := range map[string][]string{
		FormatText:     {path + ":Budget!D3 error RDP-BUD-002", path + ":'Plan-wide risks'!A2 warning"},
		FormatJSON:     {`"sheet": "Budget"`, `"cell": "D3"`},
		FormatSARIF:    {`"fullyQualifiedName": "Budget!D3"`, `"kind": "element"`, "sheet Budget, cell D3"},
		FormatMarkdown: {"Budget!D3:"},
		FormatJUnit:    {path + ":Budget!D3 error"},
		FormatGitHub:   {"Budget!D3: Budget total"},
		FormatHTML:     {path + ":Budget!D3", "sheet Budget, row 3", "D3 Plan: £241.237m", "C3 Prior year: £224.097m", `<mark class="hit">`},
	} {
		got := string(render(t, format, Options{}, r))
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s output lacks %q", format, w)
			}
		}
	}
}
