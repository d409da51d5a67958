package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPreCommitHook checks .pre-commit-hooks.yaml: the hook pre-commit
// would build, the files it picks and the command it runs.
func TestPreCommitHook(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Entry, Language, Files string
		PassFilenames              bool `yaml:"pass_filenames"`
	}
	if err := yaml.Unmarshal(src, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "rdpcheck" || hooks[0].Language != "golang" || !hooks[0].PassFilenames {
		t.Fatalf("hooks: %+v", hooks)
	}
	files := regexp.MustCompile(hooks[0].Files)
	for name, want := range map[string]bool{"plans/london.yaml": true, "regions/plans/south-west.json": true, "plans/notes.md": false, "README.md": false, "schemas/plan.schema.json": false} {
		if files.MatchString(name) != want {
			t.Errorf("files pattern %q on %s: got %v", hooks[0].Files, name, !want)
		}
	}
	// Run the entry as pre-commit would, with staged file names appended.
	args := append(strings.Fields(hooks[0].Entry)[1:], "fixtures/plans/valid/london.yaml", "fixtures/plans/invalid/kpi-no-lead.yaml")
	if r := run(t, "", args...); r.code != 1 || !strings.Contains(r.stdout, "RDP-KPI-003") {
		t.Errorf("hook entry: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// actionSteps reads the steps of action.yml.
type actionStep struct {
	ID, Name, Run, Uses, If string
	With                    map[string]string
}

func actionSteps(t *testing.T) map[string]actionStep {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Using string
			Steps []actionStep
		}
	}
	if err := yaml.Unmarshal(src, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q", action.Runs.Using)
	}
	steps := map[string]actionStep{}
	for _, s := range action.Runs.Steps {
		key := s.ID
		if key == "" {
			key = s.Uses
		}
		if i := strings.IndexByte(key, '@'); i > 0 {
			key = key[:i]
		}
		steps[key] = s
	}
	return steps
}

// runStep runs a step's script with bash, as the GitHub runner would, in
// the repository root, and returns its output and what it wrote to
// GITHUB_OUTPUT.
func runStep(t *testing.T, script string, env ...string) (string, string) {
	t.Helper()
	tmp := t.TempDir()
	out := filepath.Join(tmp, "output")
	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Dir = root
	cmd.Env = append(append(os.Environ(), "RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+out, "RUNNER_OS=Linux"), env...)
	stdout, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the step failed: %v\n%s", err, stdout)
	}
	o, _ := os.ReadFile(out)
	return string(stdout), string(o)
}

// TestActionCaches: the action keeps the Go module and build caches,
// keyed on rdpcheck's go.sum (which setup-go cannot see outside the
// workspace).
func TestActionCaches(t *testing.T) {
	steps := actionSteps(t)
	if steps["actions/setup-go"].Uses == "" || steps["actions/cache"].Uses == "" {
		t.Fatalf("action.yml lacks setup-go or actions/cache: %v", steps)
	}
	c := steps["actions/cache"]
	if c.With["key"] != "${{ steps.cache-key.outputs.key }}" || !strings.Contains(c.With["path"], "steps.cache-key.outputs.gocache") || !strings.Contains(c.With["path"], "steps.cache-key.outputs.gomodcache") || c.If != "inputs.cache == 'true'" {
		t.Errorf("cache step: %+v", c)
	}
	_, out := runStep(t, steps["cache-key"].Run, "GITHUB_ACTION_PATH="+root, "GO_VERSION=1.26")
	if !regexp.MustCompile(`(?m)^key=rdpcheck-Linux-go1\.26-[0-9a-f]{16}$`).MatchString(out) || !strings.Contains(out, "\ngocache=/") || !strings.Contains(out, "\ngomodcache=/") {
		t.Errorf("cache-key step output:\n%s", out)
	}
}

// TestActionCheckStep runs the "Check the plans" step of action.yml with
// bash, as the GitHub runner would, and checks what it leaves behind: for
// check, for rollup with a JUnit report, and for a command it does not know.
func TestActionCheckStep(t *testing.T) {
	steps := actionSteps(t)
	script := steps["check"].Run
	if script == "" || steps["github/codeql-action/upload-sarif"].Uses == "" {
		t.Fatalf("action.yml lacks the check step or the SARIF upload")
	}
	tmp := t.TempDir()
	bin, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	// runStep sets RUNNER_TEMP to a directory of its own: put rdpcheck there.
	withBinary := "cp " + filepath.Join(tmp, "rdpcheck") + " \"$RUNNER_TEMP/rdpcheck\"\n" + script
	if err := os.WriteFile(filepath.Join(tmp, "rdpcheck"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	summary, sarif, junit := filepath.Join(tmp, "summary"), filepath.Join(tmp, "rdpcheck.sarif"), filepath.Join(tmp, "rdpcheck.xml")
	env := []string{"GITHUB_STEP_SUMMARY=" + summary, "FAIL_ON=error", "ARGS=", "SARIF=" + sarif}

	stdout, out := runStep(t, withBinary, append(env, "COMMAND=check", "JUNIT=", "PATHS=fixtures/plans/valid fixtures/plans/invalid/budget-over-allocation.yaml")...)
	if !strings.Contains(stdout, "::error file=fixtures/plans/invalid/budget-over-allocation.yaml,line=919,col=3,title=RDP-BUD-002") {
		t.Errorf("no annotation for the over-allocation:\n%s", stdout)
	}
	if out != "exit-code=1\n" {
		t.Errorf("step output %q, want exit-code=1", out)
	}
	if s, _ := os.ReadFile(summary); !strings.Contains(string(s), "RDP-BUD-002") {
		t.Errorf("step summary lacks the finding:\n%s", s)
	}
	if sarif, err := os.ReadFile(sarif); err != nil || !strings.Contains(string(sarif), `"ruleId": "RDP-BUD-002"`) {
		t.Errorf("SARIF file: %v", err)
	}
	if _, err := os.Stat(junit); err == nil {
		t.Error("a JUnit report was written though junit-file was empty")
	}

	_, out = runStep(t, withBinary, append(env, "COMMAND=rollup", "JUNIT="+junit, "PATHS=fixtures/plans/valid")...)
	if out != "exit-code=0\n" {
		t.Errorf("rollup step output %q, want exit-code=0", out)
	}
	if s, _ := os.ReadFile(summary); !strings.Contains(string(s), "### National picture") {
		t.Errorf("step summary lacks the national picture")
	}
	if x, err := os.ReadFile(junit); err != nil || !strings.Contains(string(x), "<testsuites") {
		t.Errorf("JUnit report: %v\n%s", err, x)
	}

	stdout, out = runStep(t, withBinary, append(env, "COMMAND=lint", "JUNIT=", "PATHS=plans")...)
	if out != "exit-code=2\n" || !strings.Contains(stdout, "::error title=rdpcheck action::command must be check or rollup") {
		t.Errorf("unknown command: output %q\n%s", out, stdout)
	}
}

// TestREADMEPinsACommit: the README's pre-commit and Actions snippets pin
// a commit of this repository (there are no release tags), not a tag
// that does not exist.
func TestREADMEPinsACommit(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	pins := regexp.MustCompile(`(?:rev: |hee-rdp/rdpcheck@)(\S+)`).FindAllStringSubmatch(string(readme), -1)
	if len(pins) < 2 {
		t.Fatalf("README pins %d revisions, want the pre-commit rev and the action's", len(pins))
	}
	for _, p := range pins {
		if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(p[1]) {
			t.Errorf("README pins %q, want a full commit SHA", p[1])
			continue
		}
		if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
			continue // not a git checkout: the SHA's form is all that can be checked
		}
		if err := exec.Command("git", "-C", root, "cat-file", "-e", p[1]+"^{commit}").Run(); err != nil {
			t.Errorf("README pins %s, which is not a commit of this repository", p[1])
		}
	}
}
