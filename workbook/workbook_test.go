package workbook

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// normal turns a plan into plain JSON values (numbers as float64), so
// that 60.0 and 60 compare equal as the same number.
func normal(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func load(t *testing.T, path string) map[string]any {
	t.Helper()
	doc, err := document.Read(path, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Value.(map[string]any)
}

func roundTrip(t *testing.T, plan map[string]any) (map[string]any, *Locator) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, plan); err != nil {
		t.Fatal(err)
	}
	back, loc, err := ReadBytes("plan.xlsx", buf.Bytes(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return back, loc
}

// TestRoundTripValidFixtures: every valid plan written as a workbook and
// read back is the same plan document.
func TestRoundTripValidFixtures(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/plans/valid/*.*")
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			plan := load(t, path)
			back, _ := roundTrip(t, plan)
			if !reflect.DeepEqual(normal(t, plan), normal(t, back)) {
				a, _ := json.MarshalIndent(normal(t, plan), "", " ")
				b, _ := json.MarshalIndent(normal(t, back), "", " ")
				t.Errorf("the plan read back differs:\n%s", firstDiff(string(a), string(b)))
			}
		})
	}
	if n != 7 {
		t.Fatalf("found %d valid fixtures, want 7", n)
	}
}

// firstDiff shows the first differing line of two texts, with context.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			lo := max(0, i-3)
			return "want:\n" + strings.Join(al[lo:min(len(al), i+3)], "\n") + "\ngot:\n" + strings.Join(bl[lo:min(len(bl), i+3)], "\n")
		}
	}
	return "lengths differ"
}

// TestFormulasAndDates: a formula with no cached value is read by its
// computed value, and a date typed as a date (a serial number with a
// date format) becomes YYYY-MM-DD.
func TestFormulasAndDates(t *testing.T) {
	plan := load(t, "../fixtures/plans/valid/london.yaml")
	f, err := Build(plan)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetCellFormula(sheetBudget, "D3", "200+41.237"); err != nil { // UGMD plan, no cached value
		t.Fatal(err)
	}
	if err := f.SetCellValue(sheetActions, "D2", time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, loc, err := ReadBytes("plan.xlsx", buf.Bytes(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := lookup(back, "/budget/lines/1/plan"); v != json.Number("241.237") {
		t.Errorf("formula read as %#v, want 241.237", v)
	}
	if v, _ := lookup(back, "/objectives/0/actions/0/due"); v != "2022-12-31" {
		t.Errorf("date read as %#v, want 2022-12-31", v)
	}
	for ptr, want := range map[string]string{
		"/budget/lines/1/plan":              "Budget!D3",
		"/objectives/0/actions/0/due":       "Actions!D2",
		"/objectives/0/kpis/0/target":       "KPIs!G2",
		"/objectives/0/kpis/0/lead/missing": "KPIs!I2",
		"/submission/status":                "Submission!B7",
		"/quality/providers/0/action_plan":  "Providers!D2", // its first column, the owner
	} {
		sheet, cell := loc.Find(ptr)
		if got := sheet + "!" + cell; got != want {
			t.Errorf("%s is located at %s, want %s", ptr, got, want)
		}
	}
}

// TestDeterministic: the same plan always gives a byte-identical workbook.
func TestDeterministic(t *testing.T) {
	plan := load(t, "../fixtures/plans/valid/midlands.yaml")
	var a, b bytes.Buffer
	if err := Write(&a, plan); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, plan); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two workbooks written from the same plan differ")
	}
}
