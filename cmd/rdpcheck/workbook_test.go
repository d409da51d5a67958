package main_test

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// regions are the seven HEE regions a starter plan can be written for.
var regions = []string{"London", "East of England", "Midlands", "North East & Yorkshire", "North West", "South East", "South West"}

// starterTodos are the rules an untouched starter plan may break: each
// says, in plain words, what the planner still has to fill in.
var starterTodos = []string{
	"RDP-TODO-001", "RDP-TODO-002", "RDP-TODO-003", // blank submission, budget amounts, NETS results
	"RDP-OBJ-003",                               // an objective has no actions yet
	"RDP-KPI-001", "RDP-KPI-002", "RDP-KPI-003", // KPI baseline, target, lead
	"RDP-QUA-002",                // Quality Framework domains not yet addressed
	"RDP-MET-006", "RDP-MET-007", // prior-year starts for the growth commitments
}

// findingKey is what must agree between a plan and its conversion.
type findingKey struct{ Rule, Objective, Path, Message string }

// keys are the findings' keys in path order: a workbook's findings come
// in its sheets' order and a YAML file's in its lines' order, so only
// the findings themselves are compared, not their order.
func keys(fs []checker.Finding) []findingKey {
	out := make([]findingKey, len(fs))
	for i, f := range fs {
		out[i] = findingKey{f.Rule, f.Objective, f.Path, f.Message}
	}
	slices.SortFunc(out, func(a, b findingKey) int {
		return cmp.Or(strings.Compare(a.Objective, b.Objective), strings.Compare(a.Path, b.Path),
			strings.Compare(a.Rule, b.Rule), strings.Compare(a.Message, b.Message))
	})
	return out
}

// TestInitEveryRegion writes the YAML and the workbook starter of each
// region, checks them, and expects only to-dos, no SCHEMA finding, the
// same findings from both, and every workbook finding at a sheet and cell.
func TestInitEveryRegion(t *testing.T) {
	dir := t.TempDir()
	var yamls, books []string
	for _, region := range regions {
		name := strings.ToLower(strings.NewReplacer(" & ", "-", " ", "-").Replace(region))
		y, x := filepath.Join(dir, name+".yaml"), filepath.Join(dir, name+".xlsx")
		for _, out := range []string{y, x} {
			if r := run(t, "", "init", "--region", region, "-o", out); r.code != 0 {
				t.Fatalf("init %s -o %s: exit %d\n%s", region, out, r.code, r.stderr)
			}
		}
		yamls, books = append(yamls, y), append(books, x)
	}
	first, _ := os.ReadFile(yamls[0])
	if !strings.HasPrefix(string(first), "# yaml-language-server: $schema=") {
		t.Errorf("the YAML starter does not start with the schema line:\n%.200s", first)
	}
	r := run(t, "", append([]string{"check", "--format", "json"}, append(yamls, books...)...)...)
	if r.code != 1 {
		t.Fatalf("checking the starters: exit %d, want 1 (to-dos)\n%s", r.code, r.stderr)
	}
	rep := validReport(t, r.stdout)
	byPath := map[string]checker.FileResult{}
	for _, f := range rep.Files {
		byPath[f.Path] = f
		if f.Error != nil {
			t.Fatalf("%s could not be checked: %s", f.Path, f.Error.Message)
		}
		rules := map[string]bool{}
		for _, x := range f.Findings {
			rules[x.Rule] = true
			if !slices.Contains(starterTodos, x.Rule) {
				t.Errorf("%s: %s is not a to-do: %s", f.Path, x.Rule, x.Message)
			}
			if strings.HasSuffix(f.Path, ".xlsx") && (x.Sheet == "" || x.Cell == "") {
				t.Errorf("%s: finding not located by sheet and cell: %+v", f.Path, x)
			}
		}
		for _, want := range []string{"RDP-TODO-001", "RDP-TODO-002", "RDP-TODO-003", "RDP-KPI-001", "RDP-KPI-002", "RDP-KPI-003", "RDP-OBJ-003"} {
			if !rules[want] {
				t.Errorf("%s: the to-do %s is not listed", f.Path, want)
			}
		}
	}
	for i := range yamls {
		y, x := byPath[yamls[i]], byPath[books[i]]
		if !reflect.DeepEqual(keys(y.Findings), keys(x.Findings)) {
			t.Errorf("%s and %s give different findings", yamls[i], books[i])
		}
		if y.Region != regions[i] {
			t.Errorf("%s is for %q, want %q", yamls[i], y.Region, regions[i])
		}
	}
}

// validReport decodes a JSON report after validating it against
// schemas/report.schema.json.
func validReport(t *testing.T, stdout string) checker.Report {
	t.Helper()
	var raw any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	if err := compileReportSchema(t).Validate(raw); err != nil {
		t.Fatalf("report does not match schemas/report.schema.json: %#v", err)
	}
	return decodeReport(t, stdout)
}

// TestInitRefusals: an unknown region and an existing file are refused.
func TestInitRefusals(t *testing.T) {
	r := run(t, "", "init", "--region", "Wessex")
	if r.code != 2 || !strings.Contains(r.stderr, "South West") {
		t.Errorf("unknown region: exit %d, stderr %q; want 2 and the list of regions", r.code, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "plan.yaml")
	os.WriteFile(out, []byte("keep me"), 0o644)
	r = run(t, "", "init", "--region", "London", "-o", out)
	if b, _ := os.ReadFile(out); r.code != 2 || string(b) != "keep me" {
		t.Errorf("existing file: exit %d, file now %.40q; want 2 and the file untouched", r.code, b)
	}
}

// plainJSON decodes a JSON plan with numbers as float64, so that 60.0
// and 60 compare equal.
func plainJSON(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// TestConvertRoundTrip: every valid fixture converted to a workbook and
// back (to YAML, then JSON) is the same plan document, and still passes.
func TestConvertRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var books []string
	for _, f := range fixtures(t, "valid") {
		base := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		orig, book := filepath.Join(dir, base+".orig.json"), filepath.Join(dir, base+".xlsx")
		back, backJSON := filepath.Join(dir, base+".back.yaml"), filepath.Join(dir, base+".back.json")
		for _, step := range [][2]string{{f, orig}, {f, book}, {book, back}, {back, backJSON}} {
			if r := run(t, "", "convert", step[0], "-o", step[1]); r.code != 0 {
				t.Fatalf("convert %s -o %s: exit %d\n%s", step[0], step[1], r.code, r.stderr)
			}
		}
		if !reflect.DeepEqual(plainJSON(t, orig), plainJSON(t, backJSON)) {
			t.Errorf("%s: YAML -> XLSX -> YAML is not the same plan", f)
		}
		books = append(books, book)
	}
	r := run(t, "", append([]string{"check"}, books...)...)
	if r.code != 0 {
		t.Errorf("the valid plans as workbooks: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// unconvertible are the invalid fixtures a workbook cannot hold, with
// what convert must say about each.
var unconvertible = map[string]string{
	"fixtures/plans/invalid/schema-errors.yaml":       "titel has no column in the workbook",
	"fixtures/plans/invalid/objective-duplicate.yaml": `"CW4" appears more than once`,
}

// TestInvalidFixturesAsWorkbooks: every invalid fixture converted to a
// workbook gives the same findings (rules, objectives, paths, messages
// with their figures), each located by sheet and cell; those a workbook
// cannot hold are refused with a clear message and exit 2.
func TestInvalidFixturesAsWorkbooks(t *testing.T) {
	dir := t.TempDir()
	var plans, books []string
	for _, f := range fixtures(t, "invalid") {
		book := filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".xlsx")
		r := run(t, "", "convert", f, "-o", book)
		if want, ok := unconvertible[f]; ok {
			if r.code != 2 || !strings.Contains(r.stderr, want) {
				t.Errorf("convert %s: exit %d, stderr %q; want 2 and %q", f, r.code, r.stderr, want)
			}
			continue
		}
		if r.code != 0 {
			t.Errorf("convert %s: exit %d\n%s", f, r.code, r.stderr)
			continue
		}
		plans, books = append(plans, f), append(books, book)
	}
	want := decodeReport(t, run(t, "", append([]string{"check", "--format", "json"}, plans...)...).stdout)
	got := decodeReport(t, run(t, "", append([]string{"check", "--format", "json"}, books...)...).stdout)
	if len(want.Files) != len(got.Files) {
		t.Fatalf("%d plans but %d workbooks in the reports", len(want.Files), len(got.Files))
	}
	for i := range want.Files {
		w, g := want.Files[i], got.Files[i]
		if g.Error != nil {
			t.Errorf("%s could not be checked: %s", g.Path, g.Error.Message)
			continue
		}
		if !reflect.DeepEqual(keys(w.Findings), keys(g.Findings)) {
			t.Errorf("%s and %s give different findings:\n%v\n%v", w.Path, g.Path, keys(w.Findings), keys(g.Findings))
		}
		for _, x := range g.Findings {
			if x.Sheet == "" || x.Cell == "" {
				t.Errorf("%s: finding not located by sheet and cell: %+v", g.Path, x)
			}
		}
	}
}
