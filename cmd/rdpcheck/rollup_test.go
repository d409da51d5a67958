package main_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// validPlans lists the seven valid regional plans, without those named.
func validPlans(t *testing.T, except ...string) []string {
	t.Helper()
	var out []string
	for _, p := range fixtures(t, "valid") {
		skip := false
		for _, e := range except {
			skip = skip || filepath.Base(p) == e
		}
		if !skip {
			out = append(out, p)
		}
	}
	return out
}

// rollup runs `rdpcheck rollup --format json` and returns the roll-up
// findings (RDP-ROL-*) by rule, and the exit code.
func rollup(t *testing.T, paths ...string) (map[string][]checker.Finding, map[string]string, int) {
	t.Helper()
	r := run(t, "", append([]string{"rollup", "--format", "json"}, paths...)...)
	rep := decodeReport(t, r.stdout)
	byRule := map[string][]checker.Finding{}
	fileOf := map[string]string{}
	for _, f := range rep.Files {
		for _, x := range f.Findings {
			if strings.HasPrefix(x.Rule, "RDP-ROL-") {
				byRule[x.Rule] = append(byRule[x.Rule], x)
				fileOf[x.Rule] = f.Path
			}
		}
	}
	return byRule, fileOf, r.code
}

// TestRollupOfTheValidPlans: the seven valid plans raise no finding and
// the roll-up passes even with --fail-on warning. Where the published
// national tables do not add up, the report says so once, in its notes on
// the published tables, which are no plan's fault and count for nothing.
// The national picture is there in every format, with its figures.
func TestRollupOfTheValidPlans(t *testing.T) {
	r := run(t, "", "rollup", "--fail-on", "warning", "--format", "json", "fixtures/plans/valid")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 even with --fail-on warning\n%s", r.code, r.stderr)
	}
	var v any
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if err := compileReportSchema(t).Validate(v); err != nil {
		t.Fatalf("roll-up report does not match schemas/report.schema.json: %#v", err)
	}
	if again := run(t, "", "rollup", "--fail-on", "warning", "--format", "json", "fixtures/plans/valid"); again.stdout != r.stdout {
		t.Error("two roll-ups of the same plans gave different reports")
	}
	rep := decodeReport(t, r.stdout)
	for _, f := range rep.Files {
		if f.Kind == checker.KindReference || len(f.Findings) > 0 {
			t.Errorf("%s: in the plans' results with %d findings; want only clean plans", f.Path, len(f.Findings))
		}
	}
	if s := rep.Summary; s.Warnings != 0 || s.Errors != 0 || s.Files != 8 {
		t.Errorf("summary %+v counts more than the 7 clean plans and the national roll-up", s)
	}
	hsst := 0
	for _, f := range rep.PublishedNotes {
		for _, x := range f.Findings {
			if !strings.HasPrefix(x.Rule, "RDP-REF-") || !strings.HasPrefix(f.Path, "policies/reference/") {
				t.Errorf("unexpected note %s: %s %s", f.Path, x.Rule, x.Message)
			}
			if strings.Contains(x.Message, "HCS Higher Specialist (HSST)") {
				hsst++
				if !strings.Contains(x.Message, "the cells add up to 98 but the published row total is 104") {
					t.Errorf("HSST note lacks the published figures: %s", x.Message)
				}
			}
		}
	}
	if hsst != 1 {
		t.Errorf("the HSST row's published total is noted %d times, want once", hsst)
	}

	n := rep.National
	if n == nil {
		t.Fatal("the roll-up has no national picture")
	}
	if len(n.METIP) != 4 {
		t.Errorf("national picture has %d METIP tables, want 4", len(n.METIP))
	}
	programmes := 0
	for _, tab := range n.METIP {
		for _, p := range tab.Programmes {
			programmes++
			if p.Difference != 0 {
				t.Errorf("%s %s: difference %d, want 0 for the valid plans", tab.Title, p.Name, p.Difference)
			}
			if p.Name == "Medical - General Practice" && (p.RegionalSum != 12784 || p.Total != 12787 || p.Figure != 12787 || p.Planned["Midlands"] != 2635) {
				t.Errorf("GP row: %+v", p)
			}
		}
	}
	if programmes != 105 {
		t.Errorf("national picture has %d programmes, want the METIP's 105", programmes)
	}
	if b := n.Budget; b.Allocation != 5449400 || b.Total != 5185198 || b.Headroom != 264202 || b.Regions["London"] != 976859 {
		t.Errorf("budget: %+v", b)
	}
	commitments := map[string]checker.Commitment{}
	for _, c := range n.Commitments {
		commitments[c.ID] = c
	}
	if c := commitments["gp_trainees"]; !c.Measured || c.Planned != 12787 || c.Target != 4000 {
		t.Errorf("GP commitment: %+v", c)
	}
	if c := commitments["midwifery_places"]; !c.Measured || c.Planned != 1019 || c.Target != 1000 || c.Regions["London"] != 209 {
		t.Errorf("midwifery commitment: %+v", c)
	}
	if c := commitments["more_nurses"]; c.Measured || c.Target != 50000 {
		t.Errorf("nurses commitment: %+v", c)
	}

	for format, want := range map[string][]string{
		"text":     {"National picture: the 7 regional plans of 7", "Medical - General Practice", "12,787", "£5,185.198m, 95% of the allocation of £5,449.400m", "Notes on the published tables"},
		"markdown": {"### National picture", "| GP trainees recruited a year | 12,787 | 4,000 | 320% | met |", "### Notes on the published tables"},
		"html":     {`<svg class="chart" id="chart-budget"`, `<svg class="chart" id="chart-commitments"`, "12,787 of 4,000 (320%)"},
		"sarif":    {`"national": {`, `"allocation_gbp_thousands": 5449400`},
		"junit":    {`<testsuite name="national picture" tests="1"`, "GP trainees recruited a year"},
		"github":   {"::notice title=National picture::7 of 7 regional plans; METIP: 0 of 105 programmes off the national figure; budgets £5,185.198m against the allocation of £5,449.400m (95%25); GP trainees recruited a year: 12,787 of 4,000 (320%25)"},
	} {
		out := run(t, "", "rollup", "--fail-on", "warning", "--format", format, "fixtures/plans/valid")
		if out.code != 0 {
			t.Errorf("%s: exit %d", format, out.code)
		}
		for _, w := range want {
			if !strings.Contains(out.stdout, w) {
				t.Errorf("%s report lacks %q", format, w)
			}
		}
	}
	text := run(t, "", "rollup", "--today", goldenToday, "fixtures/plans/valid")
	if strings.Contains(text.stdout[strings.Index(text.stdout, "Status by objective"):], "reference") {
		t.Errorf("the reference data is a row or column of the status table:\n%s", text.stdout)
	}
	golden(t, "fixtures/rollup/valid.golden", text.stdout)
}

// TestRollupNationalPictureShowsDepartures: a plan off the METIP shows in
// the national picture as a difference and a share off the published one.
func TestRollupNationalPictureShowsDepartures(t *testing.T) {
	r := run(t, "", append([]string{"rollup", "--format", "json"}, append(validPlans(t, "midlands.yaml"), "fixtures/rollup/wrong-national-sum/midlands.yaml")...)...)
	n := decodeReport(t, r.stdout).National
	if n == nil {
		t.Fatal("no national picture")
	}
	found := false
	for _, tab := range n.METIP {
		for _, p := range tab.Programmes {
			if p.Name != "Adult Nurse" {
				continue
			}
			found = true
			if p.RegionalSum != 19149 || p.Figure != 18949 || p.Difference != 200 {
				t.Errorf("Adult Nurse: %+v", p)
			}
			for _, s := range p.Shares {
				// 200 more starts in Midlands move every region's share.
				if !s.Differs || (s.Region == "Midlands") != (s.PlannedPct > s.PublishedPct) {
					t.Errorf("share %+v", s)
				}
			}
		}
	}
	if !found {
		t.Error("no Adult Nurse row")
	}
}

// TestRollupCases rolls up each set with a planted inconsistency and
// checks the finding and its figures.
func TestRollupCases(t *testing.T) {
	cases := []struct {
		name  string
		plans []string
		rule  string
		file  string
		want  []string
		code  int
		also  []string // other roll-up rules the planted slip trips, by design (fixtures/rollup/README.md)
	}{
		{"wrong national sum", append(validPlans(t, "midlands.yaml"), "fixtures/rollup/wrong-national-sum/midlands.yaml"),
			"RDP-ROL-003", checker.NationalRollup,
			[]string{"Adult Nurse", "19,149", "18,949", "200 more", "Midlands 4,135 (published 3,935)"}, 1, nil},
		{"region missing", validPlans(t, "south-west.json"),
			"RDP-ROL-001", checker.NationalRollup,
			[]string{"No plan for South West", "6 of the 7 regions"}, 1, nil},
		{"region twice", append(validPlans(t), "fixtures/rollup/region-twice/london-resubmission.yaml"),
			"RDP-ROL-001", "fixtures/rollup/region-twice/london-resubmission.yaml",
			[]string{"London is in the roll-up twice", "fixtures/plans/valid/london.yaml"}, 1, nil},
		{"outlier", append(validPlans(t, "north-west.yaml"), "fixtures/rollup/outlier/north-west.yaml"),
			"RDP-ROL-006", "fixtures/rollup/outlier/north-west.yaml",
			[]string{"Physiotherapist", "North West plans 1,556 starts", "2.88 times"}, 1, []string{"RDP-ROL-003"}},
		{"over-allocation", append(validPlans(t, "london.yaml", "midlands.yaml"), "fixtures/rollup/over-allocation/london.yaml", "fixtures/rollup/over-allocation/midlands.yaml"),
			"RDP-ROL-005", checker.NationalRollup,
			[]string{"£5,485.198m", "£5,449.4m", "£35.798m"}, 1, nil},
		{"programme misnamed", append(validPlans(t, "south-east.yaml"), "fixtures/rollup/programme-misnamed/south-east.yaml"),
			"RDP-ROL-007", "fixtures/rollup/programme-misnamed/south-east.yaml",
			[]string{`South East's line "Dietitian" (58 starts)`, "matches no programme", `"Dietician", the METIP's name for it, as 0`}, 1,
			[]string{"RDP-ROL-003", "RDP-ROL-006"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			byRule, fileOf, code := rollup(t, tc.plans...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			found := byRule[tc.rule]
			if len(found) != 1 {
				t.Fatalf("%s fired %d times, want once; roll-up findings: %v", tc.rule, len(found), byRule)
			}
			for rule := range byRule {
				if rule != tc.rule && !slices.Contains(tc.also, rule) {
					t.Errorf("%s also fired: %v", rule, byRule[rule])
				}
			}
			if fileOf[tc.rule] != tc.file {
				t.Errorf("%s reported under %s, want %s", tc.rule, fileOf[tc.rule], tc.file)
			}
			for _, w := range tc.want {
				if !strings.Contains(found[0].Message, w) {
					t.Errorf("message lacks %q:\n%s", w, found[0].Message)
				}
			}
			if tc.file != checker.NationalRollup && found[0].Line == 0 {
				t.Errorf("a finding on a plan has no line: %+v", found[0])
			}
		})
	}
}
