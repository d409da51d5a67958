package checker

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDataOverrides(t *testing.T) {
	builtin := map[string]any{"reference": map[string]any{"params": map[string]any{
		"tol": json.Number("0.05"), "codes": []any{"ADMIN"}, "z": json.Number("3.5"),
	}}}
	cases := []struct {
		name   string
		layers []dataLayer
		want   []Override
	}{
		{"no layers", nil, nil},
		{"same value written differently", []dataLayer{{"a.yaml", map[string]any{"reference": map[string]any{"params": map[string]any{"tol": json.Number("0.050")}}}}}, nil},
		{"one change", []dataLayer{{"a.yaml", map[string]any{"reference": map[string]any{"params": map[string]any{"tol": json.Number("1000000")}}}}},
			[]Override{{Path: "reference.params.tol", From: "0.05", To: "1000000", Source: "a.yaml"}}},
		{"last writer wins, sorted by path", []dataLayer{
			{"dir", map[string]any{"reference": map[string]any{"params": map[string]any{"z": json.Number("4"), "tol": json.Number("0.1")}}}},
			{"b.yaml", map[string]any{"reference": map[string]any{"params": map[string]any{"tol": json.Number("0.2"), "codes": []any{"ADMIN", "X"}, "new": "v"}}}},
		}, []Override{
			{Path: "reference.params.codes", From: `["ADMIN"]`, To: `["ADMIN","X"]`, Source: "b.yaml"},
			{Path: "reference.params.new", To: `"v"`, Source: "b.yaml"},
			{Path: "reference.params.tol", From: "0.05", To: "0.2", Source: "b.yaml"},
			{Path: "reference.params.z", From: "3.5", To: "4", Source: "dir"},
		}},
		{"a mapping replaced by a value", []dataLayer{{"c.yaml", map[string]any{"reference": map[string]any{"params": "none"}}}},
			[]Override{{Path: "reference.params", From: `{"codes":["ADMIN"],"tol":0.05,"z":3.5}`, To: `"none"`, Source: "c.yaml"}}},
		{"user data outside the built-in roots is not an override", []dataLayer{{"d.yaml", map[string]any{"local": map[string]any{"x": json.Number("1")}}}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := dataOverrides(append([]dataLayer{{builtinSource, builtin}}, c.layers...))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %#v\nwant %#v", got, c.want)
			}
		})
	}
}

// TestProvenance checks a stock run and a modified one: the rulebook
// hash is stable, changes with the data, and the report lists what
// changed.
func TestProvenance(t *testing.T) {
	ctx := context.Background()
	stock, err := New(ctx, Options{Today: "2022-10-01", ToolVersion: "v9"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := New(ctx, Options{Today: "2022-10-01"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := stock.provenance()
	if err != nil {
		t.Fatal(err)
	}
	if !p.Stock || p.Date != "2022-10-01" || p.Tool != "v9" || len(p.Rulebook) != 64 || p.Overrides != nil {
		t.Errorf("stock provenance: %+v", p)
	}
	if stock.engine.rulebook != again.engine.rulebook {
		t.Errorf("the rulebook hash is not stable: %s, %s", stock.engine.rulebook, again.engine.rulebook)
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "tolerances.yaml")
	if err := os.WriteFile(data, []byte("reference:\n  params:\n    budget_total_tolerance_gbp_million: 0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mod, err := New(ctx, Options{DataFiles: []string{data}, Rules: []string{"RDP-BUD-*"}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := mod.provenance()
	if err != nil {
		t.Fatal(err)
	}
	want := []Override{{Path: "reference.params.budget_total_tolerance_gbp_million", From: "0.05", To: "0.5", Source: data}}
	if q.Stock || !reflect.DeepEqual(q.Overrides, want) || q.Rulebook == p.Rulebook || len(q.Data) != 1 || !reflect.DeepEqual(q.Rules, []string{"RDP-BUD-*"}) {
		t.Errorf("modified provenance: %+v", q)
	}
	if !strings.HasPrefix(q.Date, "20") {
		t.Errorf("date %q", q.Date)
	}

	// An extra policy directory changes the rulebook's hash, and is
	// listed with the hash of its files.
	policyDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(policyDir, "local.rego"), []byte("package local\n\ndeny contains \"x\" if false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	withPolicy, err := New(ctx, Options{PolicyDirs: []string{policyDir}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := withPolicy.provenance()
	if err != nil {
		t.Fatal(err)
	}
	if r.Stock || r.Rulebook == p.Rulebook || len(r.Policies) != 1 || r.Policies[0].Path != policyDir || len(r.Policies[0].SHA256) != 64 {
		t.Errorf("provenance with a policy directory: %+v", r)
	}
}

// BenchmarkProvenance measures what provenance adds to a run: hashing
// the compiled rulebook (every module and the reference data) and
// listing the overrides.
func BenchmarkProvenance(b *testing.B) {
	modules, raw, layers, err := loadPolicies(nil)
	if err != nil || len(modules) == 0 {
		b.Fatal(err)
	}
	data := map[string]any{}
	for _, l := range layers {
		data = mergeData(data, l.data)
	}
	over := dataLayer{source: "tolerances.yaml", data: map[string]any{"reference": map[string]any{"params": map[string]any{"metip_outlier_z": json.Number("4")}}}}
	b.ResetTimer()
	for b.Loop() {
		rulebookHash(raw, data)
		dataOverrides(append(layers, over))
	}
}
