package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// findingsOf returns a file's findings from a JSON report.
func findingsOf(t *testing.T, rep checker.Report, path string) checker.FileResult {
	t.Helper()
	for _, f := range rep.Files {
		if f.Path == path {
			return f
		}
	}
	t.Fatalf("no file %s in the report", path)
	return checker.FileResult{}
}

// TestWaivers covers each waiver case on 2022-11-01: applied (the finding
// is shown as waived and does not fail the run), expired (the finding
// counts again and the waiver is reported), stale (reported as info) and
// malformed (refused with file and line).
func TestWaivers(t *testing.T) {
	args := []string{"check", "--waivers", "fixtures/waivers/waivers.yaml", "--today", "2022-11-01"}
	budget := "fixtures/plans/invalid/budget-over-allocation.yaml"
	lead := "fixtures/plans/invalid/kpi-no-lead.yaml"

	// Applied: the only error is waived, so the run passes.
	r := run(t, "", append(args, budget)...)
	if r.code != 0 || !strings.Contains(r.stdout, "RDP-BUD-002") || !strings.Contains(r.stdout, "[waived until 2023-03-31 by Head of Quality Assurance, HEE national team: In-year top-up") {
		t.Errorf("applied waiver: exit %d (want 0)\n%s", r.code, r.stdout)
	}
	js := run(t, "", append(append(args, "--format", "json"), budget, lead)...)
	rep := decodeReport(t, js.stdout)
	if js.code != 1 {
		t.Errorf("expired waiver: exit %d, want 1 (the KPI finding counts again)", js.code)
	}
	b := findingsOf(t, rep, budget).Findings[0]
	if b.Waiver == nil || b.Waiver.ApprovedBy != "Head of Quality Assurance, HEE national team" || b.Waiver.Source != "fixtures/waivers/waivers.yaml:4" {
		t.Errorf("budget finding not waived as expected: %+v", b.Waiver)
	}
	if l := findingsOf(t, rep, lead).Findings[0]; l.Waiver != nil {
		t.Errorf("an expired waiver still applies: %+v", l.Waiver)
	}
	w := findingsOf(t, rep, "fixtures/waivers/waivers.yaml").Findings
	got := map[string]checker.Finding{}
	for _, f := range w {
		got[f.Rule] = f
	}
	if e := got["WAIVER-EXPIRED"]; e.Severity != checker.SeverityWarning || e.Line != 12 || !strings.Contains(e.Message, "expired on 2022-09-30") {
		t.Errorf("expired waiver finding: %+v", e)
	}
	if s := got["WAIVER-STALE"]; s.Severity != checker.SeverityInfo || s.Line != 19 || !strings.Contains(s.Message, "RDP-RSK-001 for Midlands") {
		t.Errorf("stale waiver finding: %+v", s)
	}
	if rep.Summary.Waived != 1 || rep.Summary.Errors != 1 {
		t.Errorf("summary %+v, want 1 waived and 1 error", rep.Summary)
	}
	// On the day it expires a waiver still applies; the day after it does not.
	if r := run(t, "", "check", "--waivers", "fixtures/waivers/waivers.yaml", "--today", "2023-03-31", budget); r.code != 0 {
		t.Errorf("on the expiry date: exit %d, want 0", r.code)
	}
	if r := run(t, "", "check", "--waivers", "fixtures/waivers/waivers.yaml", "--today", "2023-04-01", budget); r.code != 1 {
		t.Errorf("the day after expiry: exit %d, want 1", r.code)
	}
	// Malformed: refused, naming the file and line, exit 2.
	m := run(t, "", "check", "--waivers", "fixtures/waivers/malformed.yaml", budget)
	if m.code != 2 || !strings.Contains(m.stderr, "fixtures/waivers/malformed.yaml:3:5") || !strings.Contains(m.stderr, "'justification', 'expires'") {
		t.Errorf("malformed waivers: exit %d\n%s", m.code, m.stderr)
	}
	// Waived findings are visible in every format, each in its own way.
	// (The waivers file is left out of these runs, so a stale-waiver
	// message quoting the justification cannot stand in for the mark.)
	one := writeFile(t, t.TempDir(), "one.yaml", `waivers:
  - rule: RDP-BUD-002
    region: Midlands
    justification: In-year top-up agreed.
    approved_by: Head of QA
    expires: "2023-03-31"
`)
	for format, want := range map[string]string{
		"text":     "[waived until 2023-03-31 by Head of QA: In-year top-up agreed.",
		"json":     `"justification": "In-year top-up agreed."`,
		"markdown": "🔕",
		"html":     "waived",
		"junit":    "[waived until 2023-03-31 by Head of QA",
		"github":   "::notice file=fixtures/plans/invalid/budget-over-allocation.yaml,line=919,col=3,title=RDP-BUD-002",
		"sarif":    `"justification": "In-year top-up agreed.`,
	} {
		out := run(t, "", "check", "--waivers", one, "--today", "2022-11-01", "--format", format, budget)
		if out.code != 0 || !strings.Contains(out.stdout, want) {
			t.Errorf("%s: exit %d (want 0), output lacks %q", format, out.code, want)
		}
	}
}

// TestBaseline diffs a resubmission against the report of the first
// submission: one new, one unchanged (after the lines moved) and one
// resolved finding.
func TestBaseline(t *testing.T) {
	base := filepath.Join(t.TempDir(), "v1.json")
	v1 := run(t, "", "check", "--format", "json="+base, "fixtures/resubmission/london-v1.yaml")
	if v1.code != 1 {
		t.Fatalf("v1: exit %d", v1.code)
	}
	r := run(t, "", "check", "--baseline", base, "--format", "json", "fixtures/resubmission/london-v2.yaml")
	rep := decodeReport(t, r.stdout)
	f := rep.Files[0]
	changes := map[string]string{}
	for _, x := range f.Findings {
		changes[x.Rule] = x.Change
	}
	if changes["RDP-ACT-001"] != "new" || changes["RDP-OBJ-005"] != "unchanged" || len(changes) != 2 {
		t.Errorf("changes %v, want RDP-ACT-001 new and RDP-OBJ-005 unchanged", changes)
	}
	if len(f.Resolved) != 1 || f.Resolved[0].Rule != "RDP-KPI-003" {
		t.Errorf("resolved %+v, want RDP-KPI-003", f.Resolved)
	}
	if rep.Summary.New != 1 || rep.Summary.Resolved != 1 {
		t.Errorf("summary %+v", rep.Summary)
	}
	text := run(t, "", "check", "--today", goldenToday, "--baseline", base, "fixtures/resubmission/london-v2.yaml")
	golden(t, "fixtures/resubmission/london-v2.golden", strings.ReplaceAll(text.stdout, base, "v1.json")) // the baseline's temporary path
	// --only-new fails on the new finding only.
	if r := run(t, "", "check", "--baseline", base, "--only-new", "fixtures/resubmission/london-v2.yaml"); r.code != 1 {
		t.Errorf("--only-new with a new error: exit %d, want 1", r.code)
	}
	if r := run(t, "", "check", "--baseline", base, "--only-new", "--rule", "RDP-OBJ-*", "fixtures/resubmission/london-v2.yaml"); r.code != 0 {
		t.Errorf("--only-new with only an unchanged error: exit %d, want 0", r.code)
	}
	// All resolved: the plan is clean and lists what it fixed.
	clean := run(t, "", "check", "--baseline", base, "fixtures/plans/valid/london.yaml")
	if clean.code != 0 || !strings.Contains(clean.stdout, "resolved since the baseline") || strings.Contains(clean.stderr, "panic") {
		t.Errorf("a resubmission that fixes everything: exit %d\n%s%s", clean.code, clean.stdout, clean.stderr)
	}
	// Under --rule, findings the filter hides are not "resolved".
	filtered := decodeReport(t, run(t, "", "check", "--baseline", base, "--rule", "RDP-OBJ-*", "--format", "json", "fixtures/resubmission/london-v1.yaml").stdout)
	if n := len(filtered.Files[0].Resolved); n != 0 {
		t.Errorf("--rule RDP-OBJ-* lists %d resolved findings, want 0", n)
	}
	// Two London plans in one run: neither is matched by region alone.
	two := decodeReport(t, run(t, "", "check", "--baseline", base, "--format", "json", "fixtures/plans/valid/london.yaml", "fixtures/resubmission/london-v2.yaml").stdout)
	for _, f := range two.Files {
		if len(f.Resolved) != 0 {
			t.Errorf("%s: %d resolved, want 0 (the region is ambiguous)", f.Path, len(f.Resolved))
		}
	}
	if r := run(t, "", "check", "--only-new", "fixtures/resubmission/london-v2.yaml"); r.code != 2 || !strings.Contains(r.stderr, "--only-new needs --baseline") {
		t.Errorf("--only-new without --baseline: exit %d %s", r.code, r.stderr)
	}
	bad := writeFile(t, t.TempDir(), "bad.json", "{\"version\": \"other\"}")
	if r := run(t, "", "check", "--baseline", bad, "fixtures/resubmission/london-v2.yaml"); r.code != 2 || !strings.Contains(r.stderr, "report version") {
		t.Errorf("bad baseline: exit %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(base); err != nil {
		t.Fatal(err)
	}
}
