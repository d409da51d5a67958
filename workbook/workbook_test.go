package workbook

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

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
	if v, _ := document.Lookup(back, "/budget/lines/1/plan"); v != json.Number("241.237") {
		t.Errorf("formula read as %#v, want 241.237", v)
	}
	if v, _ := document.Lookup(back, "/objectives/0/actions/0/due"); v != "2022-12-31" {
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

// TestWorkbookLayout: the read-me explains every sheet and column from
// the schema; enumerations have drop-down lists taken from the schema;
// the published METIP figures are locked while the planner's cells are
// not; headers are frozen and sheets protected.
func TestWorkbookLayout(t *testing.T) {
	plan := load(t, "../fixtures/plans/valid/london.yaml")
	f, err := Build(plan)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetReadMe)
	if err != nil {
		t.Fatal(err)
	}
	explained := map[string]string{}
	sheet := ""
	for _, r := range rows {
		for len(r) < 3 {
			r = append(r, "")
		}
		if r[0] != "" {
			sheet = r[0]
		}
		if r[1] != "" {
			explained[sheet+"/"+r[1]] = r[2]
		}
	}
	for _, s := range layout {
		for _, c := range s.cols {
			if text := explained[s.name+"/"+c.header]; len(text) < 10 {
				t.Errorf("read-me: %s / %s is not explained (%q)", s.name, c.header, text)
			}
		}
	}
	if got := explained["KPIs/Measure"]; !strings.Contains(got, "count, percent, gbp_million, qualitative") {
		t.Errorf("read-me for KPIs/Measure lacks the allowed values from the schema: %q", got)
	}
	if got := explained["Budget/Plan"]; !strings.Contains(got, "planned spend") || !strings.Contains(got, "£ million") {
		t.Errorf("read-me for Budget/Plan lacks the schema's description or unit: %q", got)
	}

	lists := map[string]string{}
	for _, name := range []string{sheetSubmission, sheetKPIs, sheetRisks, sheetProviders, sheetBAF, sheetDomains, sheetMETIPTotals} {
		dvs, err := f.GetDataValidations(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, dv := range dvs {
			lists[name+"!"+strings.Fields(dv.Sqref)[0]] = dv.Type + " " + dv.Formula1 + " " + dv.Formula2
		}
	}
	for ref, want := range map[string]string{
		"Submission!B3":          "London,East of England",   // region
		"Submission!B7":          "draft,submitted,approved", // status
		"KPIs!D2:D":              "count,percent,gbp_million,qualitative",
		"Risks!C2:C":             "whole 1 5",
		"BAF opportunities!B2:B": "whole 1 5",
		"Quality domains!B2:B":   "whole 1 6",
		"Providers!C2:C":         "none,enhanced,intensive",
		"METIP totals!A2:A":      "undergraduate_medical_dental",
	} {
		found := false
		for k, v := range lists {
			if strings.HasPrefix(k, ref) && strings.Contains(strings.ReplaceAll(v, "&quot;", ""), want) {
				found = true
			}
		}
		if !found {
			t.Errorf("no validation %q at %s; have %v", want, ref, lists)
		}
	}

	locked := func(sheet, cell string) bool {
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st.Protection == nil || st.Protection.Locked
	}
	if !locked(sheetMETIP, "D2") || locked(sheetMETIP, "C2") || !locked(sheetMETIP, "C1") {
		t.Error("want the published METIP figure (D2) and the header (C1) locked, the planned starts (C2) open")
	}
	if v, _ := f.GetCellValue(sheetMETIP, "D2", excelize.Options{RawCellValue: true}); v != "1767" {
		t.Errorf("published figure beside London's first programme is %q, want 1767", v)
	}
	panes, err := f.GetPanes(sheetBudget)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("Budget header not frozen: %+v %v", panes, err)
	}
}

// TestTooManyCells: the cell bound stops reading a workbook that holds
// more cells than the limit, naming the sheet and the limit.
func TestTooManyCells(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, load(t, "../fixtures/plans/valid/london.yaml")); err != nil {
		t.Fatal(err)
	}
	_, _, err := ReadBytes("plan.xlsx", buf.Bytes(), Limits{MaxCells: 500})
	var we *Error
	if !errors.As(err, &we) || we.Sheet == "" || !strings.Contains(we.Msg, "limit of 500") {
		t.Errorf("got %v, want a refusal naming the sheet and the limit of 500", err)
	}
}
