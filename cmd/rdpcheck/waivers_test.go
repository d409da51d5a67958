package main_test

import (
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// TestWaiverForOneProgrammeOfANationalFinding: a waiver of the national
// METIP sum (RDP-ROL-003, objective FW1) that names its programme waives
// that programme's finding only. Before, a waiver for FW1 had to cover
// every programme's finding at once.
func TestWaiverForOneProgrammeOfANationalFinding(t *testing.T) {
	plans := append(validPlans(t, "midlands.yaml", "north-west.yaml"), "fixtures/rollup/wrong-national-sum/midlands.yaml", "fixtures/rollup/outlier/north-west.yaml")
	r := run(t, "", append([]string{"rollup", "--format", "json", "--today", "2022-11-01", "--waivers", "fixtures/waivers/national-programme.yaml"}, plans...)...)
	if r.code != 1 {
		t.Errorf("exit %d, want 1: the Physiotherapist sum is not waived", r.code)
	}
	waived := map[string]bool{}
	for _, f := range findingsOf(t, decodeReport(t, r.stdout), checker.NationalRollup).Findings {
		if f.Rule == "RDP-ROL-003" {
			waived[f.Subject] = f.Waiver != nil
		}
	}
	if want := map[string]bool{"Adult Nurse": true, "Physiotherapist": false}; len(waived) != 2 || waived["Adult Nurse"] != want["Adult Nurse"] || waived["Physiotherapist"] {
		t.Errorf("RDP-ROL-003 findings waived by programme: %v, want %v", waived, want)
	}
}

// TestWaiverBySubjectAndPathPattern: a waiver names a budget line by its
// code, or points at findings with a path pattern.
func TestWaiverBySubjectAndPathPattern(t *testing.T) {
	plan := "fixtures/plans/invalid/budget-negative-line.yaml"
	if r := run(t, "", "check", "--today", "2022-11-01", "--waivers", "fixtures/waivers/national-programme.yaml", plan); r.code != 0 || !strings.Contains(r.stdout, "[waived until 2023-03-31 by Regional Finance Lead") {
		t.Errorf("a waiver naming budget line CLIN: exit %d, want 0\n%s", r.code, r.stdout)
	}
	dir := t.TempDir()
	for pattern, code := range map[string]int{"/budget/lines/*": 0, "/budget/lines/*/prior_year": 0, "/budget/lines/0": 1, "/metip/*": 1} {
		w := writeFile(t, dir, "w.yaml", "waivers:\n  - rule: RDP-BUD-003\n    path: \""+pattern+"\"\n    justification: x\n    approved_by: y\n    expires: \"2099-01-01\"\n")
		if r := run(t, "", "check", "--waivers", w, plan); r.code != code {
			t.Errorf("path %s: exit %d, want %d", pattern, r.code, code)
		}
	}
}

// TestMisspeltWaiver: a region or objective that does not exist is refused
// like a plan's, naming the line, with a suggestion; not accepted and
// reported as stale.
func TestMisspeltWaiver(t *testing.T) {
	r := run(t, "", "check", "--waivers", "fixtures/waivers/misspelt.yaml", "fixtures/plans/valid/north-west.yaml")
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	for _, want := range []string{
		`fixtures/waivers/misspelt.yaml:4:5: waiver 1: region "North-West" is not one of London,`,
		"did you mean North West?",
		`fixtures/waivers/misspelt.yaml:9:5: waiver 2: objective "FW7"`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestWaiversInAPreCommitRun: when only one region's plan is checked, the
// waivers for other regions, and for the roll-up's rules, are neither
// stale nor expired; London's expired waiver counts only when London's
// plan is checked.
func TestWaiversInAPreCommitRun(t *testing.T) {
	args := []string{"check", "--fail-on", "warning", "--today", "2022-11-01", "--format", "json"}
	sw := run(t, "", append(args, "--waivers", "fixtures/waivers/waivers.yaml", "fixtures/plans/valid/south-west.json")...)
	if sw.code != 0 {
		t.Errorf("South West with the Midlands and London waivers: exit %d, want 0\n%s", sw.code, sw.stdout)
	}
	if rep := decodeReport(t, sw.stdout); len(rep.Files) != 1 {
		t.Errorf("report has %d files, want only South West's plan (no waiver findings)", len(rep.Files))
	}
	london := run(t, "", append(args, "--waivers", "fixtures/waivers/waivers.yaml", "fixtures/plans/valid/london.yaml")...)
	if london.code != 1 {
		t.Errorf("London with its expired waiver: exit %d, want 1", london.code)
	}
	rep := decodeReport(t, london.stdout)
	w := findingsOf(t, rep, "fixtures/waivers/waivers.yaml").Findings
	if len(w) != 1 || w[0].Rule != checker.WaiverExpiredRule || !strings.Contains(w[0].Message, "for London") {
		t.Errorf("waiver findings for London's run: %+v, want London's expired waiver only", w)
	}
	national := run(t, "", append(args, "--waivers", "fixtures/waivers/national-programme.yaml", "fixtures/plans/valid/south-west.json")...)
	for _, f := range decodeReport(t, national.stdout).Files {
		for _, x := range f.Findings {
			if strings.Contains(x.Message, "RDP-ROL-003") {
				t.Errorf("a roll-up waiver is judged in a check: %s", x.Message)
			}
		}
	}
}
