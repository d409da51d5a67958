package main_test

import (
	"strings"
	"testing"
)

// TestReservedNamespace checks that a policy directory cannot declare or
// extend a built-in package (everything under rdp.): the issue's
// reproducers switched RDP-KPI rules and RDP-MET-009 off with exit 0.
func TestReservedNamespace(t *testing.T) {
	cases := []struct {
		name, file, policy, plan string
		want                     string
	}{
		{"redefine kpis helper", "kpis.rego", "package rdp.kpis\n\nwarn contains \"local check\" if false\n\nplan_codes contains [id, k.code] if {\n\tsome id, o in data.reference.kpis.objectives\n\tsome k in o.kpis\n}\n",
			"fixtures/plans/invalid/kpi-business-plan-kpi-missing.yaml", "package rdp.kpis belongs to the built-in rulebook"},
		{"extend metip outlier", "metip.rego", "package rdp.metip\n\nwarn contains \"local\" if false\n\npublished_outlier[t][n] if {\n\tsome t in [\"x\"]\n\tsome n in [\"y\"]\n}\n",
			"fixtures/plans/valid/london.yaml", "package rdp.metip belongs to the built-in rulebook"},
		{"root package", "root.rego", "package rdp\n\ndeny contains \"x\" if false\n", "fixtures/plans/valid/london.yaml", "package rdp belongs"},
		{"quoted package", "quoted.rego", "package rdp[\"budget\"]\n\ndeny contains \"x\" if false\n", "fixtures/plans/valid/london.yaml", "package rdp.budget belongs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, c.file, c.policy)
			r := run(t, "", "check", "--policy", dir, c.plan)
			if r.code != 2 {
				t.Errorf("exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, want := range []string{p + ":1: ", c.want, "package local."} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("nothing should be reported:\n%s", r.stdout)
			}
		})
	}
}

// TestReservedData checks that data in a policy directory or a --data
// file may not write under data.rdp, where the built-in rules live.
func TestReservedData(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "local.rego", "package local\n\ndeny contains \"x\" if false\n")
	writeFile(t, dir, "data.json", `{"rdp": {"kpis": {"plan_codes": []}}}`)
	r := run(t, "", "check", "--policy", dir, "fixtures/plans/valid/london.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, `writes data under "rdp"`) {
		t.Errorf("policy dir data: exit %d, want 2 naming the data:\n%s", r.code, r.stderr)
	}
	f := writeFile(t, t.TempDir(), "over.yaml", "rdp:\n  metip: {}\n")
	r = run(t, "", "check", "--data", f, "fixtures/plans/valid/london.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, "data file "+f+`: writes data under "rdp"`) {
		t.Errorf("--data: exit %d, want 2 naming the file:\n%s", r.code, r.stderr)
	}
}

// goldenToday is the date the golden-file runs pass with --today, so
// that the date each report states is stable.
const goldenToday = "2022-10-01"
