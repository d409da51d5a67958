package planformat

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

var update = flag.Bool("update", false, "rewrite docs/plan-format.md")

// TestGuideCurrent fails when docs/plan-format.md no longer matches the
// schema; `make plan-format` (or -update) regenerates it.
func TestGuideCurrent(t *testing.T) {
	doc, err := document.Read("../fixtures/plans/valid/london.yaml", document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sections, err := Guide(doc.Value)
	if err != nil {
		t.Fatal(err)
	}
	got := Markdown(sections)
	if *update {
		if err := os.WriteFile("../docs/plan-format.md", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("../docs/plan-format.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("docs/plan-format.md is stale: run make plan-format and read the diff")
	}
}

// TestGuideCoversEveryField checks that every section and field has a
// meaning, and that units and allowed values reach the guide.
func TestGuideCoversEveryField(t *testing.T) {
	sections, err := Guide(nil)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]Field{}
	for _, s := range sections {
		if s.Title == "" || s.Description == "" {
			t.Errorf("section %q has no title or description", s.Key)
		}
		for _, f := range s.Fields {
			if f.Title == "" || f.Meaning == "" || f.Type == "" {
				t.Errorf("field %s lacks a title, meaning or type: %+v", f.Path, f)
			}
			fields[f.Path] = f
		}
	}
	for path, check := range map[string]func(Field) bool{
		"budget.lines[].plan":                   func(f Field) bool { return f.Unit == "£ million" && f.Required },
		"submission.status":                     func(f Field) bool { return strings.Join(f.Allowed, ",") == "draft,submitted,approved" },
		"budget.lines[].code":                   func(f Field) bool { return strings.Contains(f.Form, "capital letters") },
		"quality.nets.overall_satisfaction_pct": func(f Field) bool { return f.Unit == "%" && *f.Max == 100 },
		"objectives[].baf_opportunities":        func(f Field) bool { return f.Type == "list of whole number" && *f.Max == 5 },
		"objectives[].actions[].due":            func(f Field) bool { return f.Type == "date" },
	} {
		if f, ok := fields[path]; !ok || !check(f) {
			t.Errorf("field %s: %+v", path, f)
		}
	}
}

func TestWhere(t *testing.T) {
	plan := map[string]any{
		"objectives": []any{map[string]any{"id": "RR1"}, map[string]any{"id": "FW1", "kpis": []any{map[string]any{"id": "FW1-05"}}}},
		"budget":     map[string]any{"lines": []any{map[string]any{"code": "ADMIN"}, map[string]any{}}},
		"metip":      []any{map[string]any{"table": "clinical_non_commissioned", "programmes": []any{map[string]any{"name": "Physiotherapist"}}}},
		"quality":    map[string]any{"providers": []any{map[string]any{"name": "Royal Infirmary"}}},
	}
	for pointer, want := range map[string]string{
		"":                                     "the plan",
		"/budget/lines/0/plan":                 "budget line ADMIN, plan",
		"/budget/lines/1/plan":                 "budget line 2, plan",
		"/budget/allocation":                   "budget, allocation",
		"/objectives/1/kpis/0/target":          "objective FW1, KPI FW1-05, target",
		"/objectives/1/kpis/0/target/value":    "objective FW1, KPI FW1-05, target, value",
		"/metip/0/programmes/0/planned_starts": "METIP clinical table, programme Physiotherapist, planned starts",
		"/quality/providers/0/learners":        "quality, provider Royal Infirmary, learners",
		"/submission/submitted_on":             "submission, submission date",
		"/objectives/0/titel":                  "objective RR1, titel",
	} {
		if got := Where(plan, pointer); got != want {
			t.Errorf("Where(%q) = %q, want %q", pointer, got, want)
		}
	}
}

func TestClosest(t *testing.T) {
	opts := []string{"draft", "submitted", "approved"}
	for in, want := range map[string]string{"Submitted": "submitted", "submited": "submitted", "aproved": "approved", "sent": "", "DRAFT": "draft"} {
		if got := Closest(in, opts); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Closest("titel", []string{"id", "title", "actions"}); got != "title" {
		t.Errorf("a swapped pair of letters: got %q", got)
	}
}
