package checker

import (
	"context"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/checker/internal/hostile"
)

// TestOverLongListIsReportedOnceAndCut checks the plan with 30,000 copies
// of one KPI (issue 8): the over-long list is one error at the list,
// with its figures, and the rules only see its first 200 entries.
func TestOverLongListIsReportedOnceAndCut(t *testing.T) {
	c, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(context.Background(), []string{hostilePlan(t, hostile.DuplicateKPIs, 30000)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Files[0]
	if f.Error != nil {
		t.Fatalf("not checked: %s", f.Error.Message)
	}
	if r.Summary.Errors == 0 {
		t.Error("the report has no errors: a plan with an over-long list must fail")
	}
	var bound []Finding
	for _, x := range f.Findings {
		if x.Path == "/objectives/0/kpis" && x.Rule == SchemaRule {
			bound = append(bound, x)
		}
		if x.Rule == "RDP-KPI-009" && !strings.Contains(x.Message, "KPI id X is used 200 times") {
			t.Errorf("RDP-KPI-009 says %q, want it to count only the 200 KPIs checked", x.Message)
		}
	}
	if len(bound) != 1 {
		t.Fatalf("%d findings at the KPI list, want 1: %+v", len(bound), bound)
	}
	b := bound[0]
	for _, want := range []string{"objective RR1 lists 30,001 KPIs", "at most 200", "the other 29,801 were not checked", "Remove the repeated"} {
		if !strings.Contains(b.Message, want) {
			t.Errorf("message %q does not say %q", b.Message, want)
		}
	}
	if b.Severity != SeverityError || b.Objective != "RR1" || b.Line == 0 {
		t.Errorf("finding %+v, want an error under RR1 located at the list", b)
	}
}

// TestBoundLists checks the pre-pass on small plans: each list longer
// than the schema's maxItems is cut to it and reported once, with
// figures; a list at the bound, a value of the wrong type and a key the
// format does not have are left to the schema.
func TestBoundLists(t *testing.T) {
	list := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"code": "X"}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		plan    map[string]any
		lengths map[string]int // pointer -> length after the pass
		want    []string       // one finding each, message containing this
	}{
		{
			name:    "budget lines over the bound",
			plan:    map[string]any{"budget": map[string]any{"lines": list(250)}},
			lengths: map[string]int{"/budget/lines": 200},
			want:    []string{"budget lists 250 budget lines, but a plan can list at most 200; only the first 200 were checked and the other 50 were not checked at all"},
		},
		{
			name:    "at the bound",
			plan:    map[string]any{"budget": map[string]any{"lines": list(200)}},
			lengths: map[string]int{"/budget/lines": 200},
		},
		{
			name: "nested lists, each cut",
			plan: map[string]any{"metip": []any{
				map[string]any{"table": "clinical", "programmes": list(1500)},
				map[string]any{"table": "medical", "programmes": list(3)},
			}},
			lengths: map[string]int{"/metip/0/programmes": 1000, "/metip/1/programmes": 3},
			want:    []string{"lists 1,500 programmes, but a plan can list at most 1,000"},
		},
		{
			name:    "wrong type and unknown key",
			plan:    map[string]any{"budget": map[string]any{"lines": map[string]any{"a": list(300)}}, "extra": list(300)},
			lengths: map[string]int{"/extra": 300},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := boundLists(tc.plan)
			if len(got) != len(tc.want) {
				t.Fatalf("%d findings, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, f := range got {
				if !strings.Contains(f.Message, tc.want[i]) || f.Rule != SchemaRule || f.Severity != SeverityError {
					t.Errorf("finding %+v, want a SCHEMA error saying %q", f, tc.want[i])
				}
			}
			for p, n := range tc.lengths {
				v, _ := document.Lookup(tc.plan, p)
				if l, _ := v.([]any); len(l) != n {
					t.Errorf("%s has %d entries after the pass, want %d", p, len(l), n)
				}
			}
		})
	}
}
