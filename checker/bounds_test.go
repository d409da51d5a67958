package checker

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker/internal/hostile"
)

// hostilePlan writes a fixture made hostile by grow to a temporary file.
func hostilePlan(tb testing.TB, grow func([]byte, int) []byte, n int) string {
	tb.Helper()
	src, err := os.ReadFile("../fixtures/plans/valid/london.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	plan := grow(src, n)
	if plan == nil {
		tb.Fatal("the fixture has no place to grow")
	}
	path := filepath.Join(tb.TempDir(), "hostile.yaml")
	if err := os.WriteFile(path, plan, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestHostilePlansGiveBoundedReports checks that plans made huge in the
// ways that once exhausted memory or made reports of hundreds of MB give a
// report bounded by the number of rules: at most MaxFindingsPerRule + 1
// findings per rule, one RDP-KPI-009 finding per repeated id, and every
// finding under plan-wide or a business-plan objective.
func TestHostilePlansGiveBoundedReports(t *testing.T) {
	c, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		grow func([]byte, int) []byte
		n    int
		want string // a finding message must contain this
	}{
		// The fixture's first objective lists one KPI of its own; the
		// list is cut to the format's 200 before the policies run.
		{"3,000 duplicate KPIs", hostile.DuplicateKPIs, 3000, "objective RR1 lists 3,001 KPIs, but a plan can list at most 200"},
		{"30,000 duplicate KPIs", hostile.DuplicateKPIs, 30000, "KPI id X is used 200 times"},
		{"20,000 bogus objectives", hostile.BogusObjectives, 20000, "the plan lists 20,014 objectives, but a plan can list at most 200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Run(context.Background(), []string{hostilePlan(t, tc.grow, tc.n)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			f := r.Files[0]
			if f.Error != nil {
				t.Fatalf("not checked: %s", f.Error.Message)
			}
			perRule := map[string]int{}
			found := false
			for _, x := range f.Findings {
				perRule[x.Rule]++
				if _, ok := c.engine.order[x.Objective]; !ok {
					t.Errorf("finding grouped under %q, not a business-plan objective: %s", x.Objective, x.Message)
				}
				found = found || strings.Contains(x.Message, tc.want)
			}
			for rule, n := range perRule {
				if n > MaxFindingsPerRule+1 {
					t.Errorf("%s raised %d findings, want at most %d", rule, n, MaxFindingsPerRule+1)
				}
			}
			if perRule["RDP-KPI-009"] > 1 {
				t.Errorf("RDP-KPI-009 raised %d findings for one repeated id, want 1", perRule["RDP-KPI-009"])
			}
			if !found {
				t.Errorf("no finding says %q", tc.want)
			}
			out, _ := json.Marshal(r)
			if len(out) > 64<<10 {
				t.Errorf("JSON report is %d bytes, want at most 64 KiB", len(out))
			}
		})
	}
}

func TestCapFindings(t *testing.T) {
	var fs []Finding
	for i := range 25 {
		fs = append(fs, Finding{Rule: "A", Severity: SeverityError, Objective: "FW1", Path: "/a/" + groupDigits(i), Title: "A title"})
	}
	fs = append(fs, Finding{Rule: "B", Severity: SeverityWarning, Path: "/b"})
	got := capFindings(fs, 20)
	if len(got) != 22 {
		t.Fatalf("%d findings, want 20 of A, one summing up 5 more, and B", len(got))
	}
	more := got[20]
	if more.Rule != "A" || more.Path != "/a/20" || more.Severity != SeverityError || more.Objective != "FW1" {
		t.Errorf("summary finding %+v, want rule A at the first one left out", more)
	}
	if want := `5 more findings of the check "A title" (A) from here on are not listed`; !strings.HasPrefix(more.Message, want) {
		t.Errorf("message %q, want it to start %q", more.Message, want)
	}
	if got[21].Rule != "B" {
		t.Errorf("last finding %+v, want B kept", got[21])
	}
	if n := len(capFindings(fs[:20], 20)); n != 20 {
		t.Errorf("20 findings capped at 20 gave %d", n)
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 29980: "29,980", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}

// BenchmarkDuplicateKPIs checks the plan with 30,000 copies of one KPI id
// that once ran out of memory (issue 8).
func BenchmarkDuplicateKPIs(b *testing.B) {
	ctx := context.Background()
	c, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	path := hostilePlan(b, hostile.DuplicateKPIs, 30000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := c.Run(ctx, []string{path}, nil)
		if err != nil || r.Summary.Unchecked != 0 {
			b.Fatal("the plan could not be checked")
		}
	}
}
