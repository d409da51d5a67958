package checker

import (
	"os"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/schemas"
)

// TestSchemaMessagesForPlanners makes each everyday planner mistake in a
// valid plan and checks that it gives exactly one finding, worded in the
// planner's terms with the fix, and no regular expression.
func TestSchemaMessagesForPlanners(t *testing.T) {
	src, err := os.ReadFile("../fixtures/plans/valid/london.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := compileSchema(schemas.Plan)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		old, new string
		path     string
		want     string
	}{
		"money with a pound sign and m": {
			"      plan: 466.957\n", "      plan: £238.1m\n", "/budget/lines/0/plan",
			`budget line PGMD, plan is "£238.1m", but it must be an amount in £ million written as a plain number; write the amount in £ million as a plain number: 238.1`},
		"money in pounds": {
			"      plan: 466.957\n", "      plan: \"£238,100,000\"\n", "/budget/lines/0/plan",
			`amounts are in £ million, so write £238,100,000 as a plain number: 238.1`},
		"count with a thousands comma": {
			"      - name: Physiotherapist\n        planned_starts: 603\n", "      - name: Physiotherapist\n        planned_starts: 1,180\n", "/metip/2/programmes/13/planned_starts",
			`METIP clinical table, programme Physiotherapist, planned starts is "1,180", but it must be a whole number of people; write the number without commas: 1180`},
		"percentage with a per cent sign": {
			"overall_satisfaction_pct: 82.4\n", "overall_satisfaction_pct: 85%\n", "/quality/nets/overall_satisfaction_pct",
			`quality, NETS results, overall satisfaction is "85%", but it must be a percentage from 0 to 100 written as a plain number; write the percentage as a plain number, without the % sign: 85`},
		"status in capitals": {
			"  status: submitted\n", "  status: Submitted\n", "/submission/status",
			`submission, status is "Submitted", which is not allowed: write draft, submitted or approved; did you mean submitted?`},
		"status misspelt": {
			"  status: submitted\n", "  status: submited\n", "/submission/status",
			`did you mean submitted?`},
		"budget code in lower case": {
			"    - code: PGMD\n", "    - code: pgmd\n", "/budget/lines/0/code",
			`budget line pgmd, code is "pgmd", but it must be written in capital letters, digits and hyphens, starting with a letter (for example ADMIN or PGMD); did you mean PGMD?`},
		"date written day first": {
			`  submitted_on: "2022-06-30"`, `  submitted_on: "30/06/2022"`, "/submission/submitted_on",
			`submission, submission date is "30/06/2022", but it must be a date written as year, month and day with hyphens, YYYY-MM-DD (for example 2023-03-31); write it as 2022-06-30`},
		"a day the month does not have": {
			`  submitted_on: "2022-06-30"`, `  submitted_on: "2022-06-31"`, "/submission/submitted_on",
			`submission, submission date is "2022-06-31", which is not a real date: June 2022 has 30 days`},
		"KPI target without its period": {
			"          value: 94.4\n          period: \"2022/23\"\n", "          value: 94.4\n", "/objectives/1/kpis/4/target/period",
			`objective FW1, KPI FW1-05, target has no "period" (the financial year the value belongs to, written like 2021/22); add it`},
		"misspelt key": {
			"    title: Grow domestic", "    titel: Grow domestic", "/objectives/1/titel",
			`objective FW1 has a field "titel" that the plan format does not have; did you mean "title"? Rename it`},
		// Amounts a starter plan leaves blank (null) are to-dos of the
		// RDP-TODO rules; a blank where no blank is allowed is a schema
		// finding that says what to fill in.
		"blank percentage": {
			"    overall_satisfaction_pct: 82.4\n", "    overall_satisfaction_pct:\n", "/quality/nets/overall_satisfaction_pct",
			`is blank; fill in a percentage from 0 to 100 written as a plain number`},
	} {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(string(src), tc.old) {
				t.Fatalf("the fixture has no %q", tc.old)
			}
			text := strings.Replace(string(src), tc.old, tc.new, 1)
			doc, err := document.Parse("plan.yaml", []byte(text), document.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			fs := schemaFindings(s, doc.Value)
			if len(fs) != 1 {
				t.Fatalf("want one finding, got %d: %+v", len(fs), fs)
			}
			f := fs[0]
			if f.Path != tc.path || !strings.Contains(f.Message, tc.want) {
				t.Errorf("got %s: %s\nwant %s: …%s…", f.Path, f.Message, tc.path, tc.want)
			}
			if strings.ContainsAny(f.Message, "^$[]\\") {
				t.Errorf("the message shows a pattern or pointer: %s", f.Message)
			}
		})
	}
}

// TestSchemaFindingsInLineOrder checks that within one part of the plan
// the schema findings come in the order of their lines, not of their keys.
func TestSchemaFindingsInLineOrder(t *testing.T) {
	src, err := os.ReadFile("../fixtures/plans/valid/london.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "      plan: 466.957\n", "      plan: x\n", 1)
	text = strings.Replace(text, "    - code: PGMD\n", "    - code: pgmd\n", 1)
	text = strings.Replace(text, "      prior_year: 426.882\n", "      prior_year: y\n", 1)
	doc, err := document.Parse("plan.yaml", []byte(text), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := c.CheckDocument(t.Context(), doc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.Rule == SchemaRule {
			got = append(got, f.Path)
		}
	}
	want := "/budget/lines/0/code /budget/lines/0/prior_year /budget/lines/0/plan"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}
