package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLineSeparatorsDoNotMoveFindings pastes NEL, LINE SEPARATOR and
// PARAGRAPH SEPARATOR (as text copied from Word or PDF brings them) into
// a quoted and a plain string near the top of a plan: the budget finding
// must stay on its line, 922:3, and the HTML excerpt must mark that line.
func TestLineSeparatorsDoNotMoveFindings(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "fixtures/plans/invalid/budget-lines-disagree.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plan := strings.Replace(string(src), `notes: "Prior-year`, "notes: \"Prior\u2028year\u2029and\u0085", 1)
	plan = strings.Replace(plan, "name: Regional Business Planning Manager", "name: Regional Business\u2028Planning Manager", 1)
	if plan == string(src) || strings.Count(plan, "\u2028") != 2 {
		t.Fatal("the fixture changed; update the places the separators are pasted")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "pasted.yaml")
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, dir, "", nil, "check", "-f", "text", "-f", "html=report.html", "pasted.yaml")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "pasted.yaml:922:3 error RDP-BUD-001") {
		t.Errorf("the budget finding is not at 922:3:\n%s", r.stdout)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	hit := regexp.MustCompile(`<mark class="hit"><span class="ln"><span aria-hidden="true">▶ </span>(\d+)</span>([^<]*)</mark>`).FindStringSubmatch(string(html))
	if hit == nil || hit[1] != "922" || !strings.Contains(hit[2], "declared_total: 746.018") {
		t.Errorf("the excerpt marks %q, want line 922 with declared_total", hit)
	}
}

// TestLeadingZeroFiguresAreDecimal checks that planned starts typed with
// a leading zero (0124) are computed as the decimal typed, so the valid
// plan still passes; read as YAML 1.1 octal (84) the METIP total and the
// published figure would disagree.
func TestLeadingZeroFiguresAreDecimal(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "fixtures/plans/valid/london.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plan := strings.Replace(string(src), "planned_starts: 124\n", "planned_starts: 0124\n", 1)
	plan = strings.Replace(plan, "planned_starts: 1767\n", "planned_starts: 01767\n", 1)
	if strings.Count(plan, ": 01") != 2 {
		t.Fatal("the fixture changed; update the figures given leading zeros")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plan.yaml"), []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, dir, "", nil, "check", "plan.yaml"); r.code != 0 {
		t.Errorf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestYAML12PlanIsAccepted checks that a plan that starts by declaring
// YAML 1.2 is read and checked.
func TestYAML12PlanIsAccepted(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "fixtures/plans/valid/london.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plan.yaml"), append([]byte("%YAML 1.2\n---\n"), src...), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, dir, "", nil, "check", "plan.yaml"); r.code != 0 {
		t.Errorf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}
