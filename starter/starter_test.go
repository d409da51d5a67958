package starter

import (
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/policies/reference"
)

// TestPlan: a starter holds every objective, the region's METIP
// programmes with their published figures, the budget headings with
// blank amounts, and a draft submission.
func TestPlan(t *testing.T) {
	plan, opt, err := Plan("north east & yorkshire")
	if err != nil {
		t.Fatal(err)
	}
	if plan["region"] != "North East & Yorkshire" {
		t.Errorf("region %v", plan["region"])
	}
	if n := len(plan["objectives"].([]any)); n != 14 {
		t.Errorf("%d objectives, want 14", n)
	}
	m, err := reference.LoadMETIP()
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range plan["metip"].([]any) {
		table := tb.(map[string]any)
		want := 0
		for _, p := range m.Tables[table["table"].(string)].Programmes {
			if _, ok := p.Cells["North East & Yorkshire"]; ok {
				want++
			}
		}
		progs := table["programmes"].([]any)
		if len(progs) != want {
			t.Errorf("%s: %d programmes, want %d", table["table"], len(progs), want)
		}
		first := progs[0].(map[string]any)
		fig, _ := m.Figure("North East & Yorkshire", table["table"].(string), first["name"].(string))
		if got := first["planned_starts"]; got != number(fig) {
			t.Errorf("%s %s: planned starts %s, want the published %v", table["table"], first["name"], got, fig)
		}
	}
	budget := plan["budget"].(map[string]any)
	var ref planReference
	if err := readJSON("reference/data.json", &ref); err != nil {
		t.Fatal(err)
	}
	if lines := budget["lines"].([]any); len(lines) != len(ref.BudgetHeadings.Headings) || lines[0].(map[string]any)["plan"] != nil {
		t.Errorf("budget lines %v", lines)
	}
	if s := plan["submission"].(map[string]any); s["status"] != "draft" || s["submitted_on"] != nil {
		t.Errorf("submission %v", s)
	}
	if !strings.HasPrefix(opt.Header[0], "yaml-language-server: $schema=") {
		t.Errorf("header %q", opt.Header[0])
	}
	if _, _, err := Plan("Wessex"); err == nil || !strings.Contains(err.Error(), "South West") {
		t.Errorf("unknown region: %v", err)
	}
}
