package checker

import (
	"context"
	"os"
	"path/filepath"
	"testing"
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
