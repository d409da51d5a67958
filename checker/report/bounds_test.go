package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/internal/hostile"
)

// TestHostilePlanReportsAreBounded writes every format for the plans that
// once gave reports of hundreds of MB (a 108 MB HTML report and 160,120
// JUnit cases for 20,000 made-up objective ids; 127 MB of JSON for 3,000
// copies of one KPI id) and checks each stays small: the findings are
// capped per rule and made-up objectives are not given sections of their
// own.
func TestHostilePlanReportsAreBounded(t *testing.T) {
	c, err := fuzzChecker()
	if err != nil {
		t.Fatal(err)
	}
	london, err := os.ReadFile("../../fixtures/plans/valid/london.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		plan []byte
	}{
		{"20,000 made-up objective ids", hostile.BogusObjectives(london, 20000)},
		{"3,000 copies of one KPI id", hostile.DuplicateKPIs(london, 3000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "plan.yaml"), tc.plan, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			r, err := c.Run(context.Background(), []string{"plan.yaml"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Summary.Unchecked != 0 || r.Summary.Errors == 0 {
				t.Fatalf("summary %+v, want the plan checked with errors", r.Summary)
			}
			for _, format := range Formats() {
				rep, _ := New(format, Options{FailOn: checker.SeverityError})
				var buf bytes.Buffer
				if err := rep.Write(&buf, NewView(r, c.Objectives(), c.Rules())); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if buf.Len() > 512<<10 {
					t.Errorf("%s report is %d bytes, want at most 512 KiB", format, buf.Len())
				}
				if format == "junit" {
					if n := strings.Count(buf.String(), "<testcase "); n > 15 {
						t.Errorf("junit has %d test cases, want at most one per business-plan objective and one for the plan", n)
					}
				}
			}
		})
	}
}
