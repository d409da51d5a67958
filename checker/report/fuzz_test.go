package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/internal/hostile"
)

// fuzzChecker is the one Checker the fuzz target shares: compiling the
// rulebook for every input would leave no time to fuzz.
var fuzzChecker = sync.OnceValues(func() (*checker.Checker, error) {
	return checker.New(context.Background(), checker.Options{})
})

// fuzzSeeds are the plans the fuzzer starts from: every fixture, and the
// hostile inputs of issue 8 in a size the fuzzer can mutate.
func fuzzSeeds(f *testing.F) [][]byte {
	paths, _ := filepath.Glob("../../fixtures/plans/*/*.*")
	var seeds [][]byte
	for _, p := range paths {
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".json" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	london, err := os.ReadFile("../../fixtures/plans/valid/london.yaml")
	if err != nil {
		f.Fatal(err)
	}
	return append(seeds,
		hostile.DuplicateKPIs(london, 300),
		hostile.BogusObjectives(london, 200),
		[]byte("%YAML 1.2\n---\nregion: London\nnotes: \"a\u2028b\u2029c\u0085d\"\nplain: a\u2028b\ntotal: 01234\n"),
		[]byte("region: London\nobjectives:\n  - id: RR1\n    actions:\n      - description: Offer reviews: surgery first\n       due: x\n\t\towner: y\n"),
	)
}

// FuzzPipeline feeds arbitrary bytes through the whole pipeline: load,
// schema, policies and every report format. Whatever the input, nothing
// panics (the checker turns a panic into an "internal error" for the
// file, which fails here), every format writes its report, the JSON
// report is JSON, and no rule raises more than the capped number of
// findings.
func FuzzPipeline(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	c, err := fuzzChecker()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		name := "plan.yaml"
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
			name = "plan.json"
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		res := c.CheckFile(context.Background(), name, nil)
		if res.Error != nil && strings.Contains(res.Error.Message, "internal error") {
			t.Fatalf("the checker failed: %s", res.Error.Message)
		}
		perRule := map[string]int{}
		for _, x := range res.Findings {
			if perRule[x.Rule]++; perRule[x.Rule] > checker.MaxFindingsPerRule+1 {
				t.Fatalf("rule %s raised more than %d findings", x.Rule, checker.MaxFindingsPerRule+1)
			}
		}
		r := checker.NewReport([]checker.FileResult{res})
		for _, format := range Formats() {
			rep, err := New(format, Options{FailOn: checker.SeverityError, ToolVersion: "fuzz"})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := rep.Write(&buf, NewView(r, c.Objectives(), c.Rules())); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if format == FormatJSON && !json.Valid(buf.Bytes()) {
				t.Fatalf("the JSON report is not JSON:\n%s", buf.Bytes())
			}
		}
	})
}
