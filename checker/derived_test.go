package checker

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// TestOverridesReachDerivedValues checks that --data overrides of the
// parameters the derived values are worked out from still take effect,
// though rdpcheck works those values out once per process.
func TestOverridesReachDerivedValues(t *testing.T) {
	ctx := context.Background()
	outlier, off := "../fixtures/plans/invalid/metip-outlier.yaml", "../fixtures/plans/invalid/metip-programme-off-published.yaml"
	for _, tc := range []struct {
		name, data, plan, rule string
		want                   int
	}{
		{"outlier defaults", "", outlier, "RDP-MET-009", 1},
		{"outlier threshold raised", `{"reference":{"params":{"metip_outlier_z":10}}}`, outlier, "RDP-MET-009", 0},
		{"rows below a higher national floor skipped", `{"reference":{"params":{"metip_outlier_min_national_starts":1000000}}}`, outlier, "RDP-MET-009", 0},
		{"tolerance defaults", "", off, "RDP-MET-002", 1},
		{"programme tolerance widened", `{"reference":{"params":{"metip_programme_tolerance_pct":100}}}`, off, "RDP-MET-002", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := Options{}
			if tc.data != "" {
				file := filepath.Join(t.TempDir(), "override.json")
				if err := os.WriteFile(file, []byte(tc.data), 0o600); err != nil {
					t.Fatal(err)
				}
				opt.DataFiles = []string{file}
			}
			c, err := New(ctx, opt)
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.Run(ctx, []string{tc.plan}, nil)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range r.Files[0].Findings {
				if f.Rule == tc.rule {
					n++
				}
			}
			if n != tc.want {
				t.Errorf("%d %s findings, want %d: %+v", n, tc.rule, tc.want, r.Files[0].Findings)
			}
		})
	}
}

// TestEmbeddedReferenceDataIsValid validates the embedded reference data
// against its schema: rdpcheck itself only validates data that --data
// files or policy directories may have changed.
func TestEmbeddedReferenceDataIsValid(t *testing.T) {
	_, _, layers, err := loadPolicies(nil)
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{}
	for _, l := range layers {
		data = mergeData(data, l.data)
	}
	if err := checkReferenceData(data); err != nil {
		t.Fatal(err)
	}
}

// TestRegionScopes checks plans of several regions, and plans whose region
// is not one of the seven, on one checker, which works out each region's
// derived tables when its first plan arrives: the findings are stock
// OPA's, which works out every region's tables for every plan.
func TestRegionScopes(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluates plans with stock OPA")
	}
	ctx := context.Background()
	stock := loadStockBundle(t)
	c, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	london, err := document.Read("../fixtures/plans/valid/london.yaml", document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	outlier, err := document.Read("../fixtures/plans/invalid/metip-outlier.yaml", document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	withRegion := func(doc *document.Document, region any) map[string]any {
		plan := asRead(t, doc.Value)
		if region == nil {
			delete(plan, "region")
		} else {
			plan["region"] = region
		}
		return plan
	}
	cases := []struct {
		name string
		plan map[string]any
	}{
		{"London", withRegion(london, "London")},
		{"the outlier plan", withRegion(outlier, outlier.Value.(map[string]any)["region"])},
		{"the outlier plan moved to London", withRegion(outlier, "London")},
		{"London's plan under Midlands", withRegion(london, "Midlands")},
		{"a region that is not one of the seven", withRegion(london, "Atlantis")},
		{"no region", withRegion(london, nil)},
	}
	total := 0
	for _, tc := range cases {
		// The rules' findings as they come, before the cap per rule.
		input, err := ast.InterfaceToValue(tc.plan)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := c.engine.evaluate(ctx, groupPlan, input)
		if err != nil {
			t.Fatal(err)
		}
		total += stock.compare(ctx, t, tc.name, fs, tc.plan)
	}
	if total == 0 {
		t.Error("no findings at all: the comparison proves nothing")
	}
}

// A user's plan rules may read any region's derived tables, so they are
// evaluated with every region's, not only the plan's own.
func TestUserPlanRulesReadEveryRegion(t *testing.T) {
	dir := t.TempDir()
	policy := "package local.peek\n\nwarn contains \"London's published tables are there\" if {\n\tinput.region == \"Midlands\"\n\tcount(data.rdp.derived.metip_published.London) > 0\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "peek.rego"), []byte(policy), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := New(ctx, Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := document.Read("../fixtures/plans/valid/midlands.yaml", document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := c.CheckDocument(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(fs, func(f Finding) bool { return strings.Contains(f.Message, "London's published tables") }) {
		t.Errorf("the user's rule did not see London's tables: %+v", fs)
	}
}
