package main_test

import (
	"path/filepath"
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

// TestRollupOfTheValidPlans: the seven valid plans raise no roll-up
// finding; where the published national tables do not add up, the report
// says so once, as reference-data warnings with the published figures.
func TestRollupOfTheValidPlans(t *testing.T) {
	r := run(t, "", "rollup", "--format", "json", "fixtures/plans/valid")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", r.code, r.stderr)
	}
	rep := decodeReport(t, r.stdout)
	hsst := 0
	for _, f := range rep.Files {
		for _, x := range f.Findings {
			if !strings.HasPrefix(x.Rule, "RDP-REF-") {
				t.Errorf("%s: unexpected %s %s", f.Path, x.Rule, x.Message)
			}
			if x.Objective != "reference" || !strings.HasPrefix(f.Path, "policies/reference/") {
				t.Errorf("reference finding not marked as such: %s %+v", f.Path, x)
			}
			if strings.Contains(x.Message, "HCS Higher Specialist (HSST)") {
				hsst++
				if !strings.Contains(x.Message, "the cells add up to 98 but the published row total is 104") {
					t.Errorf("HSST finding lacks the published figures: %s", x.Message)
				}
			}
		}
	}
	if hsst != 1 {
		t.Errorf("the HSST row's published total is reported %d times, want once", hsst)
	}
	text := run(t, "", "rollup", "--today", goldenToday, "fixtures/plans/valid")
	golden(t, "fixtures/rollup/valid.golden", text.stdout)
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
	}{
		{"wrong national sum", append(validPlans(t, "midlands.yaml"), "fixtures/rollup/wrong-national-sum/midlands.yaml"),
			"RDP-ROL-003", checker.NationalRollup,
			[]string{"Adult Nurse", "19,149", "18,949", "200 more", "Midlands 4,135 (published 3,935)"}, 1},
		{"region missing", validPlans(t, "south-west.json"),
			"RDP-ROL-001", checker.NationalRollup,
			[]string{"No plan for South West", "6 of the 7 regions"}, 1},
		{"region twice", append(validPlans(t), "fixtures/rollup/region-twice/london-resubmission.yaml"),
			"RDP-ROL-001", "fixtures/rollup/region-twice/london-resubmission.yaml",
			[]string{"London is in the roll-up twice", "fixtures/plans/valid/london.yaml"}, 1},
		{"outlier", append(validPlans(t, "north-west.yaml"), "fixtures/rollup/outlier/north-west.yaml"),
			"RDP-ROL-006", "fixtures/rollup/outlier/north-west.yaml",
			[]string{"Physiotherapist", "North West plans 1,556 starts", "2.88 times"}, 1},
		{"over-allocation", append(validPlans(t, "london.yaml", "midlands.yaml"), "fixtures/rollup/over-allocation/london.yaml", "fixtures/rollup/over-allocation/midlands.yaml"),
			"RDP-ROL-005", checker.NationalRollup,
			[]string{"£5,485.198m", "£5,449.4m", "£35.798m"}, 1},
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
				// The outlier also breaks the national sum, by design (see fixtures/rollup/README.md).
				if rule != tc.rule && !(tc.name == "outlier" && rule == "RDP-ROL-003") {
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
