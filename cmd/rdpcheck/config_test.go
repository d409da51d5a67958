package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is the absolute path of a fixture, for runs outside the repository.
func fixture(name string) string { return filepath.Join(root, "fixtures/plans", name) }

// TestConfigPrecedence checks flags > RDPCHECK_* environment > the
// .rdpcheck.yaml found in a parent directory > defaults.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "plans", "2022")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	// The config makes warnings fail and widens the budget tolerance
	// through a data file named relative to the config file.
	writeFile(t, dir, "tolerance.yaml", "reference:\n  params:\n    budget_total_tolerance_gbp_million: 0.5\n")
	writeFile(t, dir, ".rdpcheck.yaml", "fail_on: warning\ndata: [tolerance.yaml]\nformat: json\n")

	disagree := fixture("invalid/budget-lines-disagree.yaml") // £0.4m out: passes at 0.5
	outlier := fixture("invalid/metip-outlier.yaml")          // a warning only

	// File: tolerance 0.5 so the budget passes; fail_on warning so the outlier fails; JSON output.
	if r := runIn(t, sub, "", nil, "check", disagree); r.code != 0 || !strings.HasPrefix(r.stdout, "{") {
		t.Errorf("config file: exit %d (want 0), output %.40q", r.code, r.stdout)
	}
	if r := runIn(t, sub, "", nil, "check", outlier); r.code != 1 {
		t.Errorf("config fail_on warning: exit %d, want 1", r.code)
	}
	// Environment beats the file.
	if r := runIn(t, sub, "", []string{"RDPCHECK_FAIL_ON=error"}, "check", outlier); r.code != 0 {
		t.Errorf("RDPCHECK_FAIL_ON=error over the file: exit %d, want 0", r.code)
	}
	if r := runIn(t, sub, "", []string{"RDPCHECK_FORMAT=text"}, "check", disagree); !strings.Contains(r.stdout, "no findings") {
		t.Errorf("RDPCHECK_FORMAT=text over the file: got %.60q", r.stdout)
	}
	// A flag beats the environment.
	if r := runIn(t, sub, "", []string{"RDPCHECK_FAIL_ON=error"}, "check", "--fail-on", "warning", outlier); r.code != 1 {
		t.Errorf("--fail-on warning over RDPCHECK_FAIL_ON=error: exit %d, want 1", r.code)
	}
	// --config names another file; RDPCHECK_CONFIG too.
	other := writeFile(t, t.TempDir(), "other.yaml", "fail_on: never\n")
	if r := runIn(t, sub, "", nil, "check", "--config", other, outlier); r.code != 0 {
		t.Errorf("--config other.yaml: exit %d, want 0", r.code)
	}
	if r := runIn(t, sub, "", []string{"RDPCHECK_CONFIG=" + other}, "check", outlier); r.code != 0 {
		t.Errorf("RDPCHECK_CONFIG: exit %d, want 0", r.code)
	}
	// Without the config file the defaults apply: text, fail on errors, tolerance 0.05.
	if r := runIn(t, t.TempDir(), "", nil, "check", disagree); r.code != 1 || !strings.Contains(r.stdout, "RDP-BUD-001") {
		t.Errorf("defaults: exit %d, want 1 with RDP-BUD-001", r.code)
	}
}

func TestConfigErrors(t *testing.T) {
	for name, content := range map[string]string{
		"unknown key":   "fail_on: error\nformats: [json]\n",
		"wrong type":    "policy: 3\n",
		"list for one":  "fail_on: [error, warning]\n",
		"duplicate key": "fail_on: error\nfail_on: warning\n",
	} {
		t.Run(name, func(t *testing.T) {
			cfg := writeFile(t, t.TempDir(), ".rdpcheck.yaml", content)
			r := run(t, "", "check", "--config", cfg, "fixtures/plans/valid/london.yaml")
			if r.code != 2 || !strings.Contains(r.stderr, cfg+":") {
				t.Errorf("exit %d, want 2 naming %s with a line:\n%s", r.code, cfg, r.stderr)
			}
		})
	}
}

// TestSeveralFormats writes text to the terminal and SARIF-free JSON and
// text to files in one run.
func TestSeveralFormats(t *testing.T) {
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "report.json")
	textFile := filepath.Join(dir, "report.txt")
	r := run(t, "", "check", "-f", "text", "-f", "json="+jsonFile, "--format", "text="+textFile, "fixtures/plans/invalid/budget-over-allocation.yaml")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	js, err := os.ReadFile(jsonFile)
	if err != nil || !strings.Contains(string(js), `"rule": "RDP-BUD-002"`) {
		t.Errorf("JSON file: %v\n%s", err, js)
	}
	txt, err := os.ReadFile(textFile)
	if err != nil || string(txt) != r.stdout {
		t.Errorf("the text file should equal the terminal output: %v", err)
	}
	out := filepath.Join(dir, "out.json")
	if r := run(t, "", "check", "--format", "json", "--output", out, "fixtures/plans/valid/london.yaml"); r.code != 0 || r.stdout != "" {
		t.Errorf("--output: exit %d, stdout %q", r.code, r.stdout)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
	if r := run(t, "", "check", "-f", "text", "-f", "json", "fixtures/plans/valid/london.yaml"); r.code != 2 || !strings.Contains(r.stderr, "would both write to standard output") {
		t.Errorf("two formats to stdout: exit %d, %s", r.code, r.stderr)
	}
}

// TestNothingToCheck: a policy directory without rules, or a rule filter
// that matches nothing, would check nothing; rdpcheck says so and exits 2.
func TestNothingToCheck(t *testing.T) {
	empty := t.TempDir()
	writeFile(t, empty, "helpers.rego", "package local\n\nsquare(x) := x * x\n")
	if r := run(t, "", "check", "--policy", empty, "fixtures/plans/valid/london.yaml"); r.code != 2 || !strings.Contains(r.stderr, "holds no deny, warn or info rules") {
		t.Errorf("policy dir without rules: exit %d, %s", r.code, r.stderr)
	}
	if r := run(t, "", "check", "--rule", "RDP-NOPE-*", "fixtures/plans/valid/london.yaml"); r.code != 2 || !strings.Contains(r.stderr, `no rule of this command matches "RDP-NOPE-*"`) {
		t.Errorf("rule filter matching nothing: exit %d, %s", r.code, r.stderr)
	}
	// A filter must match a rule of the command being run.
	if r := run(t, "", "check", "--rule", "RDP-ROL-*", "fixtures/plans/valid/london.yaml"); r.code != 2 {
		t.Errorf("check --rule RDP-ROL-*: exit %d, want 2", r.code)
	}
	if r := run(t, "", "data", "check", "--rule", "RDP-BUD-*"); r.code != 2 {
		t.Errorf("data check --rule RDP-BUD-*: exit %d, want 2", r.code)
	}
	// A filter that matches keeps only those rules' findings.
	r := run(t, "", "check", "--rule", "rdp-bud-*", "fixtures/plans/invalid/objective-missing.yaml", "fixtures/plans/invalid/budget-over-allocation.yaml")
	if r.code != 1 || strings.Contains(r.stdout, "RDP-OBJ-001") || !strings.Contains(r.stdout, "RDP-BUD-002") {
		t.Errorf("--rule rdp-bud-*: exit %d\n%s", r.code, r.stdout)
	}
}

// TestAllFormatsInOneRun writes every format from one run, twice: each
// file is written and the two runs give byte-identical reports.
func TestAllFormatsInOneRun(t *testing.T) {
	formats := []string{"text", "json", "sarif", "junit", "github", "markdown", "html"}
	var runs [2]map[string]string
	for i := range runs {
		dir := t.TempDir()
		args := []string{"check", "--waivers", "fixtures/waivers/waivers.yaml", "--today", "2022-11-01"}
		for _, f := range formats {
			args = append(args, "--format", f+"="+filepath.Join(dir, "report."+f))
		}
		r := run(t, "", append(args, "fixtures/plans")...)
		if r.code != 1 || r.stdout != "" {
			t.Fatalf("exit %d (want 1), stdout %q, stderr %s", r.code, r.stdout, r.stderr)
		}
		runs[i] = map[string]string{}
		for _, f := range formats {
			b, err := os.ReadFile(filepath.Join(dir, "report."+f))
			if err != nil || len(b) == 0 {
				t.Fatalf("%s report: %v", f, err)
			}
			runs[i][f] = string(b)
		}
	}
	for _, f := range formats {
		if runs[0][f] != runs[1][f] {
			t.Errorf("the %s report differs between two runs", f)
		}
	}
}

// TestConfigPathsStayRelative: a waivers file named in a config file found
// in the working directory is reported by its relative path.
func TestConfigPathsStayRelative(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "w.yaml", "waivers:\n  - rule: RDP-RSK-001\n    justification: x\n    approved_by: y\n    expires: \"2099-01-01\"\n")
	writeFile(t, dir, ".rdpcheck.yaml", "waivers: w.yaml\n")
	r := runIn(t, dir, "", nil, "check", "--format", "github", fixture("valid/london.yaml"))
	if !strings.Contains(r.stdout, "::notice file=w.yaml,line=2") {
		t.Errorf("stale waiver not reported at w.yaml:2:\n%s", r.stdout)
	}
}
