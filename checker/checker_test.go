package checker

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestComparePointers(t *testing.T) {
	paths := []string{"/metip/10", "/budget", "/metip/2/declared_total", "", "/metip/2", "/budget/lines/1", "/a~1b"}
	sort.Slice(paths, func(i, j int) bool { return comparePointers(paths[i], paths[j]) < 0 })
	want := []string{"", "/a~1b", "/budget", "/budget/lines/1", "/metip/2", "/metip/2/declared_total", "/metip/10"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("got %q, want %q", paths, want)
	}
}

func TestMergeData(t *testing.T) {
	a := map[string]any{"reference": map[string]any{"params": map[string]any{"x": 1, "y": 2}, "regions": []any{"London"}}}
	b := map[string]any{"reference": map[string]any{"params": map[string]any{"y": 3}}, "local": true}
	got := mergeData(a, b)
	want := map[string]any{"reference": map[string]any{"params": map[string]any{"x": 1, "y": 3}, "regions": []any{"London"}}, "local": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if a["reference"].(map[string]any)["params"].(map[string]any)["y"] != 2 {
		t.Error("mergeData modified its first argument")
	}
}

func TestReadablePath(t *testing.T) {
	plan := map[string]any{"objectives": []any{map[string]any{"id": "RR1"}, map[string]any{"id": "FW1"}}}
	for pointer, want := range map[string]string{
		"":                              "the plan",
		"/submission/contact":           "submission.contact",
		"/objectives/1/kpis/0/baseline": "objectives[FW1].kpis[0].baseline",
		"/metip/2/programmes/3":         "metip[2].programmes[3]",
	} {
		if got := readablePath(plan, pointer); got != want {
			t.Errorf("readablePath(%q) = %q, want %q", pointer, got, want)
		}
	}
}

// TestFindingsAreSorted checks the order of findings in one plan:
// plan-wide first, then objectives in business-plan order.
func TestFindingsAreSorted(t *testing.T) {
	e := &engine{order: map[string]int{PlanWide: 0, "RR1": 1, "FW1": 2, "FW2": 3}}
	fs := []Finding{
		{Objective: "FW2", Path: "/objectives/2", Rule: "B"},
		{Objective: "FW1", Path: "/objectives/1/kpis/10", Rule: "A"},
		{Objective: "FW1", Path: "/objectives/1/kpis/9", Rule: "A"},
		{Objective: "XX9", Path: "/objectives/9", Rule: "A"},
		{Objective: PlanWide, Path: "/budget", Rule: "Z"},
		{Objective: "RR1", Path: "/objectives/0", Rule: "B"},
		{Objective: "RR1", Path: "/objectives/0", Rule: "A"},
	}
	e.sortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Objective+" "+f.Path+" "+f.Rule)
	}
	want := []string{"plan /budget Z", "RR1 /objectives/0 A", "RR1 /objectives/0 B", "FW1 /objectives/1/kpis/9 A", "FW1 /objectives/1/kpis/10 A", "FW2 /objectives/2 B", "XX9 /objectives/9 A"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestLibrary uses the checker as a Go library, without the CLI.
func TestLibrary(t *testing.T) {
	ctx := context.Background()
	c, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Rules()); n < 12 {
		t.Errorf("%d rules, want at least 12", n)
	}
	r, err := c.Run(ctx, []string{"../fixtures/plans/invalid/objective-missing.yaml", "../fixtures/plans/valid/london.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Files != 2 || r.Summary.Errors != 1 || r.Summary.Unchecked != 0 {
		t.Fatalf("summary %+v", r.Summary)
	}
	f := r.Files[0].Findings[0]
	if f.Rule != "RDP-OBJ-001" || f.Objective != "FW4" || f.Line != 19 || f.Column != 1 || f.Standard == "" || f.Title == "" {
		t.Errorf("finding %+v", f)
	}
}

func BenchmarkRun(b *testing.B) {
	ctx := context.Background()
	c, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	paths, _ := filepath.Glob("../fixtures/plans/*/*.*")
	var plans []string
	for _, p := range paths {
		if ext := filepath.Ext(p); ext == ".yaml" || ext == ".json" {
			plans = append(plans, p)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		r, err := c.Run(ctx, plans, nil)
		if err != nil || r.Summary.Unchecked != 0 {
			b.Fatal("a fixture could not be checked")
		}
	}
	b.ReportMetric(float64(len(plans)), "plans/op")
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(context.Background(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStdinWithoutReader(t *testing.T) {
	c, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(context.Background(), []string{"-"}, nil)
	if err != nil || r.Summary.Unchecked != 1 || r.Files[0].Error == nil {
		t.Errorf("want stdin reported as not checked, got %+v", r.Files)
	}
}

// TestDiscover: a directory walk takes the plans, by their content, and
// skips hidden directories, other YAML and JSON files (a waivers file, a
// config file) and anything that is not a regular file; a file named
// explicitly is always taken.
func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"b.yaml":           "# a plan\nschema_version: rdp/v1\nregion: London\n",
		"a.json":           "{\"schema_version\": \"rdp/v1\", \"region\": \"London\"}",
		"notes.txt":        "schema_version: rdp/v1\n",
		".git/config.yaml": "schema_version: rdp/v1\n",
		"sub/c.yml":        "region: London\nschema_version: 'rdp/v2'\n",
		"waivers.yaml":     "waivers:\n  - rule: RDP-BUD-002\n    schema_version: rdp/v1\n",
		".rdpcheck.yaml":   "fail_on: warning\n",
		"nested.json":      "{\"plan\": {\"schema_version\": \"rdp/v1\"}}",
		"other.json":       "[1, 2]",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "plan.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	got, skipped := DiscoverPlans([]string{dir, filepath.Join(dir, "b.yaml"), dir + "/./b.yaml", filepath.Join(dir, "waivers.yaml"), empty, "-", "-"})
	var paths []string
	for _, s := range got {
		rel, _ := filepath.Rel(dir, s.Path)
		if s.Path == "-" {
			rel = "-"
		}
		if s.Err != nil {
			rel += " (error)"
		}
		paths = append(paths, rel)
	}
	want := []string{"a.json", "b.yaml", "sub/c.yml", "waivers.yaml", "empty (error)", "-"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("DiscoverPlans = %q, want %q", paths, want)
	}
	// waivers.yaml, .rdpcheck.yaml, nested.json and other.json are not
	// plans; the named pipe is not a regular file.
	if want := (Skipped{NotPlans: 4, NotRegular: 1}); skipped != want {
		t.Errorf("skipped %+v, want %+v", skipped, want)
	}
}

// TestNamedPipesNeverHang: a named pipe in a checked directory is skipped
// without being opened, and a named pipe named on the command line with
// nothing writing to it is reported as not checked. Before, both blocked
// the run forever.
func TestNamedPipesNeverHang(t *testing.T) {
	ctx := context.Background()
	c, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plan, err := os.ReadFile("../fixtures/plans/valid/london.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "london.yaml"), plan, 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "plan.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		r   *Report
		err error
	}
	run := func(paths ...string) *Report {
		t.Helper()
		done := make(chan outcome, 1)
		go func() {
			r, err := c.Run(ctx, paths, nil)
			done <- outcome{r, err}
		}()
		select {
		case o := <-done:
			if o.err != nil {
				t.Fatal(o.err)
			}
			return o.r
		case <-time.After(30 * time.Second):
			t.Fatalf("checking %v still runs after 30s: a named pipe blocks the run", paths)
		}
		return nil
	}
	r := run(dir)
	if len(r.Files) != 1 || r.Files[0].Error != nil || r.Summary.SkippedNotRegular != 1 {
		t.Errorf("walking the directory: files %+v, summary %+v; want london.yaml checked and the pipe skipped", r.Files, r.Summary)
	}
	r = run(fifo)
	if len(r.Files) != 1 || r.Files[0].Error == nil || !strings.Contains(r.Files[0].Error.Message, "is not a regular file (a named pipe) and nothing was written to it") {
		t.Errorf("naming the pipe: %+v, want it reported as not checked", r.Files)
	}
	// A pipe that a writer fills, as bash's <(...) does, is read as a plan.
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			_, _ = f.Write(plan)
			f.Close()
		}
	}()
	time.Sleep(100 * time.Millisecond) // let the writer open the pipe first
	r = run(fifo)
	if len(r.Files) != 1 || r.Files[0].Error != nil || r.Files[0].Region != "London" {
		t.Errorf("a filled pipe: %+v, want the plan checked", r.Files)
	}
}

// TestWorkersDoNotChangeTheReport checks all fixtures with one worker and
// with eight: the reports must be identical.
func TestWorkersDoNotChangeTheReport(t *testing.T) {
	ctx := context.Background()
	paths := []string{"../fixtures/plans"}
	var reports []string
	for _, workers := range []int{1, 8} {
		c, err := New(ctx, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.Run(ctx, paths, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, string(b))
	}
	if reports[0] != reports[1] {
		t.Error("the report with 8 workers differs from the report with 1")
	}
}
