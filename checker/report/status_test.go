package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// TestStatusTableNamesRegionsAndObjectives: rows are labelled by region
// first and file second; every objective column is explained by its title
// (a legend, and in HTML a tooltip), and group headings give the title.
func TestStatusTableNamesRegionsAndObjectives(t *testing.T) {
	r := checker.NewReport([]checker.FileResult{{
		Path: "plans/midlands.yaml", Region: "Midlands",
		Findings: []checker.Finding{{Rule: "RDP-KPI-003", Severity: checker.SeverityError, Objective: "FW3", Line: 3, Message: "KPI FW3-06 has no lead"}},
	}})
	v := NewView(r, []string{checker.PlanWide, "FW3"}, nil)
	v.Titles = map[string]string{checker.PlanWide: checker.PlanWideTitle, "FW3": "Deliver the <Long-Term> Plan priorities"}
	for format, want := range map[string][]string{
		FormatText: {
			"  region (file)                  plan FW3\n  Midlands (plans/midlands.yaml) .    E\n",
			"Objectives:\n  plan  The plan as a whole\n  FW3   Deliver the <Long-Term> Plan priorities\n",
			"  FW3 Deliver the <Long-Term> Plan priorities\n    plans/midlands.yaml:3 error",
		},
		FormatMarkdown: {
			"| Midlands (plans/midlands.yaml) |",
			"Objectives: **plan-wide** The plan as a whole · **FW3** Deliver the &lt;Long-Term&gt; Plan priorities\n",
			"<summary>FW3 Deliver the &lt;Long-Term&gt; Plan priorities — ❌ 1 error</summary>",
		},
		FormatHTML: {
			`<th scope="col" title="Deliver the &lt;Long-Term&gt; Plan priorities">FW3</th>`,
			`<th scope="row"><a href="#plan-1">Midlands</a> <span class="region">plans/midlands.yaml</span></th>`,
			"<dt>FW3</dt><dd>Deliver the &lt;Long-Term&gt; Plan priorities</dd>",
		},
	} {
		rep, err := New(format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rep.Write(&b, v); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s lacks %q:\n%s", format, w, b.String())
			}
		}
	}
}
