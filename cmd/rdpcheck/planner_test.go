package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlannerMistakes checks a plan with the everyday mistakes of a
// planner end to end: each is one finding, at its line, in words, with
// the fix, and no regular expression or list index in sight.
func TestPlannerMistakes(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "fixtures/plans/valid/london.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, r := range [][2]string{
		{"      plan: 466.957\n", "      plan: £466.957m\n"},
		{"    - code: UGMD\n", "    - code: ugmd\n"},
		{"  status: submitted\n", "  status: Submited\n"},
		{`  submitted_on: "2022-06-30"`, `  submitted_on: "30/06/2022"`},
		{"      - name: Dietician\n", "      - name: Dietitian\n"},
	} {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("the fixture has no %q", r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	path := filepath.Join(t.TempDir(), "london.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "check", "--no-color", path)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		`:11:3 error SCHEMA submission, status is "Submited", which is not allowed: write draft, submitted or approved; did you mean submitted?`,
		`:12:3 error SCHEMA submission, submission date is "30/06/2022", but it must be a date written as year, month and day with hyphens, YYYY-MM-DD (for example 2023-03-31); write it as 2022-06-30`,
		`:923:7 error SCHEMA budget line PGMD, plan is "£466.957m", but it must be an amount in £ million written as a plain number; write the amount in £ million as a plain number: 466.957`,
		`:924:7 error SCHEMA budget line ugmd, code is "ugmd", but it must be written in capital letters, digits and hyphens, starting with a letter (for example ADMIN or PGMD); did you mean UGMD?`,
		`error RDP-MET-003 METIP table Clinical non-commissioned education: the national METIP has no programme called "Dietitian"; it names this programme "Dietician", with 120 starts for London. Rename the line to "Dietician"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the report lacks\n  %s\n%s", want, r.stdout)
		}
	}
	if n := strings.Count(r.stdout, " error "); n != 5 {
		t.Errorf("%d errors, want one per mistake (5):\n%s", n, r.stdout)
	}
	if strings.ContainsAny(r.stdout, "^$\\") || strings.Contains(r.stdout, "[0]") {
		t.Errorf("a message shows a pattern or a list index:\n%s", r.stdout)
	}
}
