package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// TestRulesDocCurrent fails when docs/rules.md no longer matches the
// rules' METADATA; `make docs` (or -update) regenerates it.
func TestRulesDocCurrent(t *testing.T) {
	r := run(t, "", "rules", "--format", "markdown")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "docs/rules.md", r.stdout)
}

// TestRulesMetadata checks that every rule carries what a reviewer needs.
func TestRulesMetadata(t *testing.T) {
	r := run(t, "", "rules", "--format", "json")
	var rules []checker.Rule
	if err := json.Unmarshal([]byte(r.stdout), &rules); err != nil {
		t.Fatalf("rules --format json: %v\n%s", err, r.stdout)
	}
	if len(rules) < 13 {
		t.Fatalf("%d rules, want at least 13", len(rules))
	}
	for _, x := range rules {
		if x.ID == "" || x.Title == "" || x.Standard == "" || x.Remediation == "" || x.Severity.Rank() == 0 || x.Location == "" {
			t.Errorf("rule lacks metadata: %+v", x)
		}
	}
}

func TestExplain(t *testing.T) {
	r := run(t, "", "explain", "rdp-bud-001")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"RDP-BUD-001  Budget lines add up to the declared total", "severity:    error", "policies/budget/budget.rego:", "section 8", "How to fix: "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain output lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := run(t, "", "explain", "RDP-NOPE-999"); r.code != 2 || !strings.Contains(r.stderr, "RDP-NOPE-999") {
		t.Errorf("unknown rule: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestDataCheck reports where the published tables transcribed into the
// reference data do not add up, with the figures, as warnings.
func TestDataCheck(t *testing.T) {
	r := run(t, "", "data", "check", "--today", goldenToday)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 (the findings are warnings)\n%s%s", r.code, r.stdout, r.stderr)
	}
	golden(t, "fixtures/reference/data-check.golden", r.stdout)
	for _, want := range []string{
		`policies/reference/metip/data.json:`,
		`"HCS Higher Specialist (HSST)" (source line 878): the cells add up to 98 but the published row total is 104`,
		`column London: the programme cells add up to 9,550 but the published Grand Total is 9,549`,
		`"Subtotal Admin funding" 2022-23 (source line 744): its parts`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("data check output lacks %q", want)
		}
	}
	if w := run(t, "", "data", "check", "--fail-on", "warning"); w.code != 1 {
		t.Errorf("--fail-on warning: exit %d, want 1", w.code)
	}
	js := run(t, "", "data", "check", "--format", "json")
	var v any
	if err := json.Unmarshal([]byte(js.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if err := compileReportSchema(t).Validate(v); err != nil {
		t.Errorf("data check JSON does not match the report schema: %v", err)
	}
}

// TestRulesByPartOfThePlan lists the rules for one objective or one part
// of the plan, with rules --objective/--section and explain.
func TestRulesByPartOfThePlan(t *testing.T) {
	ids := func(out string) map[string]bool {
		m := map[string]bool{}
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 0 && (strings.HasPrefix(f[0], "RDP-") || f[0] == "SCHEMA") {
				m[f[0]] = true
			}
		}
		return m
	}
	fw3 := run(t, "", "rules", "--objective", "fw3")
	got := ids(fw3.stdout)
	for _, id := range []string{"RDP-MET-006", "RDP-MET-007", "RDP-MET-008", "RDP-KPI-008", "RDP-ACT-001", "SCHEMA"} {
		if !got[id] {
			t.Errorf("rules --objective FW3 lacks %s:\n%s", id, fw3.stdout)
		}
	}
	for _, id := range []string{"RDP-BUD-001", "RDP-MET-002", "RDP-QUA-001"} {
		if got[id] {
			t.Errorf("rules --objective FW3 lists %s, which never falls under FW3", id)
		}
	}
	budget := ids(run(t, "", "rules", "--section", "budget").stdout)
	if !budget["RDP-BUD-009"] || budget["RDP-MET-001"] || len(budget) != 10 {
		t.Errorf("rules --section budget: %v", budget)
	}
	explained := run(t, "", "explain", "FW3")
	if explained.code != 0 || !strings.Contains(explained.stdout, "Rules that apply to objective FW3") || len(ids(explained.stdout)) != len(got) {
		t.Errorf("explain FW3: exit %d\n%s", explained.code, explained.stdout)
	}
	for _, bad := range [][]string{{"rules", "--section", "nowhere"}, {"rules", "--objective", "FW9"}, {"explain", "nowhere"}} {
		if r := run(t, "", bad...); r.code != 2 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", bad, r.code, r.stderr)
		}
	}
}

// TestExplainForPlanners: the planner's part of explain gives the
// thresholds in figures from the reference data (as overridden by
// --data) and no data keys; those come after, for policy authors. No rule
// text cites an issue number.
func TestExplainForPlanners(t *testing.T) {
	r := run(t, "", "explain", "RDP-MET-002", "RDP-BUD-005")
	for _, want := range []string{"A difference of at most 5% of the published figure, or at most 5 starts, is allowed.", "Administration may take at most 1.2% of the declared budget total", "For policy authors:", "data.reference.params.metip_programme_tolerance_pct"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain lacks %q:\n%s", want, r.stdout)
		}
	}
	all := run(t, "", "rules", "--format", "json")
	var rules []checker.Rule
	if err := json.Unmarshal([]byte(all.stdout), &rules); err != nil {
		t.Fatal(err)
	}
	for _, x := range rules {
		for _, text := range []string{x.Description, x.Remediation, x.Standard, x.Title} {
			if strings.Contains(text, "data.reference") || strings.Contains(text, "{params.") {
				t.Errorf("%s: the planner's text shows a data key: %s", x.ID, text)
			}
			if strings.Contains(strings.ToLower(text), "issue ") {
				t.Errorf("%s cites an issue: %s", x.ID, text)
			}
		}
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "tolerance.yaml")
	if err := os.WriteFile(data, []byte("reference:\n  params:\n    admin_share_cap_pct: 2.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "explain", "--data", data, "RDP-BUD-005"); !strings.Contains(r.stdout, "at most 2.5% of the declared budget total") {
		t.Errorf("explain does not follow --data:\n%s%s", r.stdout, r.stderr)
	}
}
