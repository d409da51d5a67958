package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSandbox checks that a user policy calling a builtin that reaches the
// network, the clock or randomness is refused at compile time, naming its
// file and line.
func TestSandbox(t *testing.T) {
	calls := map[string]string{
		"http.send":          `http.send({"method": "GET", "url": "http://example.com"})`,
		"net.lookup_ip_addr": `net.lookup_ip_addr("example.com")`,
		"time.now_ns":        `time.now_ns()`,
		"rand.intn":          `rand.intn("seed", 10)`,
		"opa.runtime":        `opa.runtime()`,
		"uuid.rfc4122":       `uuid.rfc4122("x")`,
		// Certificate verification reads the clock (validity dates).
		"crypto.x509.parse_and_verify_certificates": `crypto.x509.parse_and_verify_certificates("x")`,
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, "local.rego", "package local\n\ndeny contains msg if {\n\tx := "+call+"\n\tmsg := sprintf(\"%v\", [x])\n}\n")
			r := run(t, "", "check", "--policy", dir, "fixtures/plans/valid/london.yaml")
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if !strings.Contains(r.stderr, p+":4: "+name+" is not allowed in rdpcheck policies") {
				t.Errorf("stderr does not name %s:4 and %s:\n%s", p, name, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("nothing should be checked, got:\n%s", r.stdout)
			}
		})
	}
}

func TestPolicyThatDoesNotCompile(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "broken.rego", "package local\n\ndeny contains msg if {\n\tmsg := undefined_function(1)\n}\n")
	r := run(t, "", "check", "--policy", dir, "fixtures/plans/valid/london.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, p+":4") {
		t.Errorf("exit %d, want 2 with %s:4 in:\n%s", r.code, p, r.stderr)
	}
}

// TestExtraPolicy adds a region's own rules: one with METADATA returning a
// finding object, one conftest-style returning a string.
func TestExtraPolicy(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "local.rego", `package local

import data.rdp.lib

# METADATA
# title: Contact uses a shared mailbox
# custom:
#   id: LOCAL-001
#   severity: warning
#   standard: London regional team guidance
#   remediation: Use the regional business planning mailbox.
warn contains f if {
	not startswith(input.submission.contact.email, "businessplanning")
	f := lib.finding(rego.metadata.rule(), "plan", "/submission/contact/email", sprintf("contact %s is not the shared mailbox", [input.submission.contact.email]))
}

info contains "plans are read by the London quality team"
`)
	r := run(t, "", "check", "--policy", dir, "fixtures/plans/valid/london.yaml")
	if r.code != 0 {
		t.Errorf("exit %d, want 0 (warnings do not fail by default)\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"warning LOCAL-001 contact rdp.london@hee.nhs.uk is not the shared mailbox", "info local.info plans are read by the London quality team"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q in:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "london.yaml:1") {
		t.Log(r.stdout)
	}
	w := run(t, "", "check", "--fail-on", "warning", "--policy", dir, "fixtures/plans/valid/london.yaml")
	if w.code != 1 {
		t.Errorf("--fail-on warning: exit %d, want 1", w.code)
	}
	i := run(t, "", "check", "--fail-on", "info", "--policy", dir, "fixtures/plans/valid/london.yaml")
	if i.code != 1 {
		t.Errorf("--fail-on info: exit %d, want 1", i.code)
	}
	rules := run(t, "", "rules", "--policy", dir)
	if !strings.Contains(rules.stdout, "LOCAL-001") {
		t.Errorf("rules does not list LOCAL-001:\n%s", rules.stdout)
	}
}

func TestFailOnNever(t *testing.T) {
	r := run(t, "", "check", "--fail-on", "never", "fixtures/plans/invalid/budget-over-allocation.yaml")
	if r.code != 0 || !strings.Contains(r.stdout, "RDP-BUD-002") {
		t.Errorf("exit %d, want 0 with the finding still reported:\n%s", r.code, r.stdout)
	}
}

// TestDataOverridesTolerance widens the budget tolerance with --data.
func TestDataOverridesTolerance(t *testing.T) {
	f := "fixtures/plans/invalid/budget-lines-disagree.yaml"
	if r := run(t, "", "check", f); r.code != 1 {
		t.Fatalf("exit %d, want 1 with the default tolerance", r.code)
	}
	data := writeFile(t, t.TempDir(), "tolerance.yaml", "reference:\n  params:\n    budget_total_tolerance_gbp_million: 0.5\n")
	if r := run(t, "", "check", "--data", data, f); r.code != 0 {
		t.Errorf("exit %d, want 0 with a tolerance of 0.5:\n%s", r.code, r.stdout)
	}
}

func TestStdin(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "fixtures/plans/invalid/objective-missing.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, string(src), "check", "-")
	if r.code != 1 || !strings.Contains(r.stdout, "-:19:1 error RDP-OBJ-001") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"check"},
		{"check", "--format", "xml", "fixtures/plans/valid/london.yaml"},
		{"check", "--fail-on", "sometimes", "fixtures/plans/valid/london.yaml"},
		{"check", "--no-such-flag", "fixtures/plans/valid/london.yaml"},
		{"check", "--max-file-size", "big", "fixtures/plans/valid/london.yaml"},
		{"check", "--policy", "no/such/dir", "fixtures/plans/valid/london.yaml"},
	} {
		if r := run(t, "", args...); r.code != 2 || r.stderr == "" {
			t.Errorf("rdpcheck %v: exit %d, want 2 with a message on stderr", args, r.code)
		}
	}
	if r := run(t, "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "rdpcheck ") {
		t.Errorf("version: exit %d, %q", r.code, r.stdout)
	}
}

// TestPolicyShapeRefused refuses user rules that could hide findings or
// lose their documentation.
func TestPolicyShapeRefused(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"deny as a single value": {"package local\n\ndeny if input.region == \"Nowhere\"\n", "deny must be a set of findings"},
		"incomplete METADATA": {`package local

# METADATA
# title: Has a title but no id
# custom:
#   severity: error
deny contains "x" if false
`, "METADATA lacks"},
		"severity disagrees with the set": {`package local

# METADATA
# title: Says warning, sits in deny
# custom:
#   id: LOCAL-002
#   severity: warning
#   standard: local guidance
#   remediation: fix it
deny contains "x" if false
`, "severity warning but the rule is in the deny set"},
		"reuses the SCHEMA id": {`package local

# METADATA
# title: Claims to be the schema
# custom:
#   id: SCHEMA
#   severity: error
#   standard: local guidance
#   remediation: fix it
deny contains "x" if false
`, "rule id SCHEMA is already used"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, "local.rego", tc.src)
			r := run(t, "", "check", "--policy", dir, "fixtures/plans/invalid/budget-over-allocation.yaml")
			if r.code != 2 || !strings.Contains(r.stderr, p+":") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want 2 with %q and the file name in:\n%s", r.code, tc.want, r.stderr)
			}
		})
	}
}

// TestLocalTimeIsUTC: a policy asking for "Local" time sees UTC whatever
// the machine's zone, so results do not depend on where rdpcheck runs.
func TestLocalTimeIsUTC(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "local.rego", "package local\n\ninfo contains time.format([0, \"Local\", \"2006-01-02 15:04 MST\"])\n")
	r := runEnv(t, []string{"TZ=Asia/Tokyo"}, "check", "--policy", dir, "fixtures/plans/valid/london.yaml")
	if !strings.Contains(r.stdout, "1970-01-01 00:00 UTC") {
		t.Errorf("want the epoch in UTC, got:\n%s%s", r.stdout, r.stderr)
	}
}

// TestMistypedData stops the run when --data gives a parameter the wrong
// type, rather than quietly switching rules off.
func TestMistypedData(t *testing.T) {
	data := writeFile(t, t.TempDir(), "bad.yaml", "reference:\n  params:\n    budget_total_tolerance_gbp_million: \"0.05\"\n    high_risk_score: \"15\"\n")
	r := run(t, "", "check", "--data", data, "fixtures/plans/valid/london.yaml")
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	for _, want := range []string{"reference.params.budget_total_tolerance_gbp_million: expected number, but got string", "reference.params.high_risk_score: expected integer"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}
