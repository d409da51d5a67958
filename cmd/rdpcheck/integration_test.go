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

// TestActionCheckStep runs the "Check the plans" step of action.yml with
// bash, as the GitHub runner would, and checks what it leaves behind.
func TestActionCheckStep(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Using string
			Steps []struct {
				ID, Name, Run, Uses string
				Env                 map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(src, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q", action.Runs.Using)
	}
	var script string
	uploads := false
	for _, s := range action.Runs.Steps {
		if s.ID == "check" {
			script = s.Run
		}
		uploads = uploads || strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@")
	}
	if script == "" || !uploads {
		t.Fatalf("action.yml lacks the check step or the SARIF upload")
	}
	tmp := t.TempDir()
	bin, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "rdpcheck"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	out, summary := filepath.Join(tmp, "output"), filepath.Join(tmp, "summary")
	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+out, "GITHUB_STEP_SUMMARY="+summary,
		"PATHS=fixtures/plans/valid fixtures/plans/invalid/budget-over-allocation.yaml", "FAIL_ON=error", "ARGS=",
		"SARIF="+filepath.Join(tmp, "rdpcheck.sarif"))
	stdout, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the step failed: %v\n%s", err, stdout)
	}
	if !strings.Contains(string(stdout), "::error file=fixtures/plans/invalid/budget-over-allocation.yaml,line=919,col=3,title=RDP-BUD-002") {
		t.Errorf("no annotation for the over-allocation:\n%s", stdout)
	}
	if o, _ := os.ReadFile(out); string(o) != "exit-code=1\n" {
		t.Errorf("step output %q, want exit-code=1", o)
	}
	if s, _ := os.ReadFile(summary); !strings.Contains(string(s), "RDP-BUD-002") {
		t.Errorf("step summary lacks the finding:\n%s", s)
	}
	if sarif, err := os.ReadFile(filepath.Join(tmp, "rdpcheck.sarif")); err != nil || !strings.Contains(string(sarif), `"ruleId": "RDP-BUD-002"`) {
		t.Errorf("SARIF file: %v", err)
	}
}
