package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDirectoryOfPlansAndWaivers: a directory holding plans, a waivers
// file and a config file checks only the plans and says what it skipped;
// the waivers file named on its own is still checked, as asked.
func TestDirectoryOfPlansAndWaivers(t *testing.T) {
	dir := t.TempDir()
	for dst, src := range map[string]string{
		"plans/london.yaml":     "fixtures/plans/valid/london.yaml",
		"plans/south-west.json": "fixtures/plans/valid/south-west.json",
		"plans/waivers.yaml":    "fixtures/waivers/waivers.yaml",
	} {
		data, err := os.ReadFile(filepath.Join(root, src))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(dst)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "plans/.rdpcheck.yaml"), []byte("fail_on: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plans := filepath.Join(dir, "plans")
	r := run(t, "", "check", "--format", "json", plans)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	rep := decodeReport(t, r.stdout)
	if len(rep.Files) != 2 || rep.Summary.SkippedNotPlans != 2 || rep.Summary.Errors != 0 {
		t.Errorf("files %d, summary %+v; want the 2 plans checked and 2 files skipped", len(rep.Files), rep.Summary)
	}
	text := run(t, "", "check", plans)
	if !strings.Contains(text.stdout, "2 files checked: 0 errors, 0 warnings, 0 infos; skipped 2 files that are not plans\n") {
		t.Errorf("the text summary does not say what was skipped:\n%s", text.stdout)
	}
	named := run(t, "", "check", filepath.Join(plans, "waivers.yaml"))
	if named.code != 1 {
		t.Errorf("a waivers file named explicitly: exit %d, want 1 (checked as a plan, and not one)", named.code)
	}
}
