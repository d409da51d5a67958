package main_test

import (
	"encoding/json"
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
