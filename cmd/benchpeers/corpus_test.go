package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// TestCorpus checks that the corpus is reproducible from its seed, has
// both kinds of plan, and that varying a valid plan keeps it valid.
func TestCorpus(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := corpus("../../fixtures", dir, 40, 0.25, 7); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(a, "plan-*.yaml"))
	if len(files) != 40 {
		t.Fatalf("%d plans, want 40", len(files))
	}
	var valid []string
	for _, f := range files {
		x, _ := os.ReadFile(f)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(f)))
		if err != nil || !bytes.Equal(x, y) {
			t.Fatalf("%s differs between two runs with the same seed", filepath.Base(f))
		}
		for _, region := range []string{"london", "midlands", "north-west", "south-east", "south-west", "east-of-england", "north-east-and-yorkshire"} {
			if strings.HasSuffix(f, "-"+region+".yaml") {
				valid = append(valid, f)
			}
		}
	}
	if len(valid) == 0 || len(valid) == len(files) {
		t.Fatalf("%d of %d plans valid: want a mix", len(valid), len(files))
	}
	c, err := checker.New(context.Background(), checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(context.Background(), valid, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Errors != 0 || r.Summary.Unchecked != 0 {
		t.Errorf("varied valid plans: %+v", r.Summary)
	}
	original, _ := os.ReadFile("../../fixtures/plans/valid/london.yaml")
	for _, f := range valid {
		if strings.HasSuffix(f, "-london.yaml") {
			if varied, _ := os.ReadFile(f); bytes.Equal(varied, original) {
				t.Error("a London plan is unchanged: its figures should vary")
			}
		}
	}
}
