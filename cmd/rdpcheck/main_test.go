package main_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hee-rdp/rdpcheck/checker"
)

var update = flag.Bool("update", false, "rewrite the golden files beside the fixtures")

// binary is the rdpcheck command built once for all tests.
var binary string

// root is the repository root; fixtures are named relative to it.
var root string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "rdpcheck-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "rdpcheck")
	// Without VCS stamping the version is "dev": golden files must not depend on the commit.
	if out, err := exec.Command("go", "build", "-buildvcs=false", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building rdpcheck: %v\n%s", err, out)
		os.Exit(2)
	}
	root, _ = filepath.Abs("../..")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs the real binary from the repository root.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return runWith(t, stdin, nil, args...)
}

// runEnv runs the binary with extra environment variables.
func runEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return runWith(t, "", env, args...)
}

func runWith(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	return runIn(t, root, stdin, env, args...)
}

// runIn runs the binary in a directory of the test's choosing.
func runIn(t *testing.T, dir, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

func fixtures(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, ext := range []string{"*.yaml", "*.json"} {
		m, err := filepath.Glob(filepath.Join(root, "fixtures/plans", dir, ext))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatalf("no fixtures in fixtures/plans/%s", dir)
	}
	return out
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	full := filepath.Join(root, path)
	if *update {
		if err := os.WriteFile(full, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(full)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/rdpcheck -update to create it, then read it)", err)
	}
	if string(want) != got {
		t.Errorf("output differs from %s (run with -update and review the diff)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

func decodeReport(t *testing.T, s string) checker.Report {
	t.Helper()
	var r checker.Report
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, s)
	}
	return r
}

func TestValidFixturesPass(t *testing.T) {
	for _, f := range fixtures(t, "valid") {
		t.Run(f, func(t *testing.T) {
			r := run(t, "", "check", "--today", goldenToday, f)
			if r.code != 0 {
				t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
			}
			golden(t, strings.TrimSuffix(f, filepath.Ext(f))+".golden", r.stdout)
			if !strings.Contains(r.stdout, f+" (") || !strings.Contains(r.stdout, "no findings") {
				t.Errorf("want a clean pass for %s, got\n%s", f, r.stdout)
			}
		})
	}
}

var expectLine = regexp.MustCompile(`(?m)^# expect: (\S+)$`)

// ruleSeverities lists every rule's severity, from `rdpcheck rules`.
func ruleSeverities(t *testing.T) map[string]checker.Severity {
	t.Helper()
	r := run(t, "", "rules", "--format", "json")
	var rules []checker.Rule
	if err := json.Unmarshal([]byte(r.stdout), &rules); err != nil {
		t.Fatalf("rules --format json: %v\n%s%s", err, r.stdout, r.stderr)
	}
	out := map[string]checker.Severity{}
	for _, x := range rules {
		out[x.ID] = x.Severity
	}
	return out
}

// TestInvalidFixtures checks that each invalid fixture raises the rule its
// header names and prints what its golden file holds. A fixture for an
// error-level rule fails (exit 1) with that rule as its only error; one
// for a warning or info rule passes (exit 0) with no error at all.
func TestInvalidFixtures(t *testing.T) {
	severities := ruleSeverities(t)
	covered := map[string]bool{}
	for _, f := range fixtures(t, "invalid") {
		t.Run(f, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(root, f))
			if err != nil {
				t.Fatal(err)
			}
			m := expectLine.FindSubmatch(src)
			if m == nil {
				t.Fatalf("%s has no '# expect: RULE' header", f)
			}
			want := string(m[1])
			covered[want] = true
			severity, known := severities[want]
			if !known {
				t.Fatalf("%s expects %s, which is not a rule", f, want)
			}

			text := run(t, "", "check", "--today", goldenToday, f)
			wantCode := 1
			if severity != checker.SeverityError {
				wantCode = 0
			}
			if text.code != wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", text.code, wantCode, text.stdout, text.stderr)
			}
			golden(t, strings.TrimSuffix(f, filepath.Ext(f))+".golden", text.stdout)

			js := run(t, "", "check", "--format", "json", f)
			rep := decodeReport(t, js.stdout)
			errorRules, fired := map[string]bool{}, false
			for _, x := range rep.Files[0].Findings {
				if x.Severity == checker.SeverityError {
					errorRules[x.Rule] = true
				}
				fired = fired || x.Rule == want
				if x.Line == 0 || x.Message == "" || x.Objective == "" {
					t.Errorf("finding lacks a line, message or objective: %+v", x)
				}
			}
			if !fired {
				t.Errorf("%s did not fire", want)
			}
			if severity == checker.SeverityError && len(errorRules) != 1 {
				t.Errorf("error-level rules %v, want only %s", errorRules, want)
			}
			if severity != checker.SeverityError && len(errorRules) != 0 {
				t.Errorf("error-level rules %v, want none besides the %s %s", errorRules, severity, want)
			}
		})
	}
	// Every plan rule has a fixture that triggers it. The reference-data,
	// roll-up and waiver rules are not about one plan; TestDataCheck,
	// TestRollup and TestWaivers cover them.
	for id := range severities {
		notAboutOnePlan := strings.HasPrefix(id, "RDP-REF-") || strings.HasPrefix(id, "RDP-ROL-") || strings.HasPrefix(id, "WAIVER-")
		if !covered[id] && !notAboutOnePlan {
			t.Errorf("rule %s has no invalid fixture with '# expect: %s'", id, id)
		}
	}
}

func compileReportSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	s, err := c.Compile(filepath.Join(root, "schemas/report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestJSONReport checks the JSON report of every fixture, and of a file
// that cannot be parsed, against schemas/report.schema.json, and that two
// runs give byte-identical output.
func TestJSONReport(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("region: London\nregion: Midlands\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"check", "--format", "json", "fixtures/plans", broken}
	first := run(t, "", args...)
	if first.code != 2 {
		t.Fatalf("exit %d, want 2 (one file could not be checked)\n%s", first.code, first.stderr)
	}
	var v any
	if err := json.Unmarshal([]byte(first.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if err := compileReportSchema(t).Validate(v); err != nil {
		t.Fatalf("report does not match schemas/report.schema.json: %#v", err)
	}
	rep := decodeReport(t, first.stdout)
	if want := len(fixtures(t, "valid")) + len(fixtures(t, "invalid")) + 1; rep.Summary.Files != want || rep.Summary.Unchecked != 1 {
		t.Errorf("summary %+v, want %d files with 1 unchecked", rep.Summary, want)
	}
	if second := run(t, "", args...); second.stdout != first.stdout {
		t.Error("two runs over the same files gave different reports")
	}
}
