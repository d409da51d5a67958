package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// realSource is the business plan, in the shared folder beside the
// repository; CI clones the repository alone, so tests that need it skip.
const realSource = "../../../shared/hee/004_32c34cc149f25956.txt"

// readReal returns the business plan text, or skips the test without it.
func readReal(t *testing.T) string {
	t.Helper()
	text, err := os.ReadFile(realSource)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is absent (the shared folder is not checked out)", realSource)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// readTestdata returns a file from testdata.
func readTestdata(t *testing.T, name string) string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// The committed files must be exactly what the program generates now.
func TestCommittedFilesAreCurrent(t *testing.T) {
	text := readReal(t)
	files, err := extract(text)
	if err != nil {
		t.Fatal(err)
	}
	again, err := extract(text)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		if !bytes.Equal(f.data, again[i].data) {
			t.Errorf("%s: two runs give different bytes", f.path)
		}
		committed, err := os.ReadFile(filepath.Join("../../policies/reference", filepath.FromSlash(f.path)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f.data, committed) {
			t.Errorf("policies/reference/%s is stale: run go run ./cmd/extract-reference -source %s -out policies/reference", f.path, strings.TrimPrefix(realSource, "../../"))
		}
		if !bytes.HasSuffix(f.data, []byte("}\n")) {
			t.Errorf("%s does not end in a newline", f.path)
		}
	}
}

func TestRealMETIP(t *testing.T) {
	m, err := extractMETIP(newDocument(readReal(t)))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"undergraduate_medical_dental", "postgraduate_medical_dental", "clinical_non_commissioned", "directly_commissioned"}; !slices.Equal(m.Tables.keys, want) {
		t.Errorf("tables %q, want %q", m.Tables.keys, want)
	}
	pg := findProgramme(t, m.Tables.values["postgraduate_medical_dental"], "Medical - General Practice")
	if pg.Cells.values["London"] != 1661 || pg.PublishedTotal != 12787 {
		t.Errorf("Medical - General Practice: London %d, total %d; want 1661, 12787", pg.Cells.values["London"], pg.PublishedTotal)
	}
	dc := m.Tables.values["directly_commissioned"]
	if dc.PublishedGrandTotal != 69594 {
		t.Errorf("directly commissioned Grand Total %d, want 69594", dc.PublishedGrandTotal)
	}
	if len(dc.Columns) != 10 || dc.Columns[7] != "National" || dc.Columns[9] != "Chief Nurse" {
		t.Errorf("directly commissioned columns %q", dc.Columns)
	}
	pharmacy := findProgramme(t, dc, "Pharmacy - Clinical (inc Psychiatric Therapeutics)")
	if got := pharmacy.Cells.values["East of England"]; got != 14949 {
		t.Errorf("Pharmacy - Clinical, East of England: %d, want 14949", got)
	}
	if _, ok := pharmacy.Cells.values["London"]; ok {
		t.Error("Pharmacy - Clinical: the blank London cell was kept")
	}
	// Names lose <b> and entities but keep everything else as printed.
	for _, name := range []string{"Adult & Older People*", "Cardiac Rhythmn", "Return To Practice*", "HCS Sleep Disorders Assistants"} {
		findProgramme(t, dc, name)
	}
	// The table's first and last parts are merged into one, in order.
	first, last := dc.Programmes[0], dc.Programmes[len(dc.Programmes)-1]
	if first.Name != "Adult & Older People*" || last.Name != "Trainee Nurse Associates*" || dc.Line != 849 || first.Line != 853 {
		t.Errorf("directly commissioned runs from %q (line %d) to %q, heading at line %d", first.Name, first.Line, last.Name, dc.Line)
	}
}

// findProgramme returns the programme called name in table t.
func findProgramme(t *testing.T, table *metipTable, name string) programme {
	t.Helper()
	i := slices.IndexFunc(table.Programmes, func(p programme) bool { return p.Name == name })
	if i < 0 {
		t.Fatalf("%s: no programme %q", table.Title, name)
	}
	return table.Programmes[i]
}

func TestRealBudget(t *testing.T) {
	b, err := extractBudget(newDocument(readReal(t)))
	if err != nil {
		t.Fatal(err)
	}
	row := findBudgetRow(t, b.Income, "Total Programme Funding")
	if row.Kind != "subtotal" || *row.Budget202223 != "5449.40" || *row.PctChange != "10.11" {
		t.Errorf("Total Programme Funding: %+v", row)
	}
	row = findBudgetRow(t, b.Income, "DH Programme baseline")
	if row.Kind != "line" || *row.Budget202122 != "4602.10" || *row.Difference != "0.00" || row.PctChange != nil {
		t.Errorf("DH Programme baseline: %+v", row)
	}
	if row := findBudgetRow(t, b.Income, "Agreed changes:"); row.Kind != "heading" {
		t.Errorf("Agreed changes: kind %q, want heading", row.Kind)
	}
	if row := findBudgetRow(t, b.Expenditure, "undergraduate medical and dental"); row.Kind != "line" || *row.Budget202223 != "1019.0" {
		t.Errorf("undergraduate medical and dental: %+v", row)
	}
	if n := len(b.Expenditure.Rows); n != 13 {
		t.Errorf("expenditure has %d rows, want 13", n)
	}
}

// findBudgetRow returns the row labelled label in table t.
func findBudgetRow(t *testing.T, table *budgetTable, label string) budgetRow {
	t.Helper()
	i := slices.IndexFunc(table.Rows, func(r budgetRow) bool { return r.Label == label })
	if i < 0 {
		t.Fatalf("no budget row %q", label)
	}
	return table.Rows[i]
}

func TestRealKPIs(t *testing.T) {
	k, err := extractKPIs(newDocument(readReal(t)))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id   string
		baf  []int
		kpis int
	}{
		{"RR1", []int{2, 3}, 1},
		{"FW1", []int{2, 3, 4}, 8},
		{"FW2", []int{1, 2, 4}, 1},
		{"FW3", []int{1, 2, 3, 4}, 17},
		{"FW4", []int{1, 2, 3, 4}, 1},
		{"FW5", []int{1, 3, 4}, 3},
		{"CW1", []int{1, 2, 3, 4}, 1},
		{"CW2", []int{1, 2, 3}, 3},
		{"CW3", []int{1, 3, 4}, 1},
		{"CW4", []int{1, 2, 3, 4}, 1},
		{"QP1", []int{1, 3}, 1},
		{"QP2", []int{2, 3}, 1},
		{"QP3", []int{1, 3}, 1},
		{"CC1", []int{1, 2, 3, 4}, 1},
	}
	var ids []string
	total := 0
	for _, w := range want {
		ids = append(ids, w.id)
		obj := k.Objectives.values[w.id]
		if obj == nil {
			t.Errorf("no objective %s", w.id)
			continue
		}
		if !slices.Equal(obj.BAFOpportunities, w.baf) {
			t.Errorf("%s: BAF opportunities %v, want %v", w.id, obj.BAFOpportunities, w.baf)
		}
		if len(obj.KPIs) != w.kpis {
			t.Errorf("%s: %d KPIs, want %d", w.id, len(obj.KPIs), w.kpis)
		}
		total += len(obj.KPIs)
	}
	if !slices.Equal(k.Objectives.keys, ids) {
		t.Errorf("objectives %q, want %q", k.Objectives.keys, ids)
	}
	if total != 41 {
		t.Errorf("%d KPIs in all, want 41", total)
	}

	fw1 := k.Objectives.values["FW1"]
	if got := fw1.KPIs[0]; got.Code != "FW1-01" || *got.Group != "Postgraduate" || got.Numeral != "i" || got.Descriptor != "% of postgraduate offers that need to be rerun." || got.Lead != "Wendy Reid" || got.Line != 288 || fw1.Line != 283 {
		t.Errorf("FW1-01: %+v (objective line %d)", got, fw1.Line)
	}
	if got := fw1.KPIs[7]; got.Code != "FW1-08" || *got.Group != "Clinical" || got.Numeral != "ii" || got.Lead != "Mark Radford" {
		t.Errorf("FW1-08: %+v", got)
	}
	var leads []string
	for _, kpi := range k.Objectives.values["FW3"].KPIs {
		leads = append(leads, kpi.Lead)
	}
	wr, pm, mr, df, mh := "Wendy Reid", "Patrick Mitchell", "Mark Radford", "David Farrelly", "Mark Radford / Calum Pallister"
	if want := []string{wr, pm, pm, mr, mr, mr, mr, mr, df, mh, mh, mh, mh, wr, wr, wr, wr}; !slices.Equal(leads, want) {
		t.Errorf("FW3 leads %q, want %q", leads, want)
	}
	cw2 := k.Objectives.values["CW2"].KPIs
	if cw2[1].Code != "CW2-02" || cw2[1].Numeral != "ii" || cw2[1].Group != nil || !strings.HasPrefix(cw2[1].Descriptor, "The number going through") || !strings.HasSuffix(cw2[1].Descriptor, "(Tracking Digital Leadership Development).") {
		t.Errorf("CW2-02: %+v", cw2[1])
	}
	if qp3 := k.Objectives.values["QP3"].KPIs[0]; qp3.Code != "QP3-01" || qp3.Numeral != "ii" {
		t.Errorf("QP3-01: %+v", qp3)
	}
}

// The synthetic annex has blank cells, <b> markup, an entity, a table split
// in two parts and totals that do not add up, which must be kept as printed.
func TestSyntheticMETIP(t *testing.T) {
	m, err := extractMETIP(newDocument(readTestdata(t, "metip.txt")))
	if err != nil {
		t.Fatal(err)
	}
	ug := m.Tables.values["undergraduate_medical_dental"]
	if ug.Line != 7 || ug.Title != "Undergraduate Medical and Dental activity" || !slices.Equal(ug.Columns, []string{"London", "North East & Yorkshire"}) {
		t.Errorf("undergraduate table: line %d, title %q, columns %q", ug.Line, ug.Title, ug.Columns)
	}
	degree := ug.Programmes[0]
	if degree.Name != "Medical & Dental Degree*" || degree.Line != 11 || !slices.Equal(degree.Cells.keys, []string{"London"}) || degree.Cells.values["London"] != 1200 {
		t.Errorf("first programme: %+v", degree)
	}
	if dental := ug.Programmes[1]; dental.Cells.values["London"] != 0 || len(dental.Cells.keys) != 2 {
		t.Errorf("a printed 0 must be kept: %+v", dental)
	}
	if pg := m.Tables.values["postgraduate_medical_dental"]; pg.PublishedTotals.values["National"] != 4 {
		t.Errorf("postgraduate National total %d, want the published 4", pg.PublishedTotals.values["National"])
	}
	dc := m.Tables.values["directly_commissioned"]
	var names []string
	for _, p := range dc.Programmes {
		names = append(names, p.Name)
	}
	if want := []string{"Cardiac Rhythmn", "Genomics", "Return To Practice*"}; !slices.Equal(names, want) || dc.Line != 29 {
		t.Errorf("directly commissioned programmes %q (heading line %d), want %q (line 29)", names, dc.Line, want)
	}
	if dc.PublishedGrandTotal != 414 || dc.PublishedTotals.values["London"] != 191 || !slices.Equal(dc.Columns, []string{"London", "National", "Chief Nurse"}) {
		t.Errorf("directly commissioned totals %v / %d, columns %q", dc.PublishedTotals.values, dc.PublishedGrandTotal, dc.Columns)
	}
	out, err := encodeJSON(m, "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"name": "Medical & Dental Degree*",`)) || !bytes.Contains(out, []byte(`"cells": {
            "National": 50
          },`)) {
		t.Errorf("unexpected JSON:\n%s", out)
	}
}

func TestMalformedRowNamesItsLine(t *testing.T) {
	_, err := extractMETIP(newDocument(readTestdata(t, "metip_malformed.txt")))
	wantError(t, err, "line 26: expected 4 cells")
}

// Layouts the program does not expect must stop it, naming the line.
func TestUnexpectedMETIPLayout(t *testing.T) {
	good := readTestdata(t, "metip.txt")
	for _, tc := range []struct {
		name    string
		line    int
		replace string
		want    string
	}{
		{"figure with letters", 12, "Dental Degree\t0\t5a\t5", `line 12: North East & Yorkshire: "5a" is not a whole number`},
		{"badly grouped figure", 26, "Adult Nurse\t29,72\t1,180\t4,152", `line 26: London: "29,72" is not a whole number`},
		{"blank total", 19, "Medical - Foundation Level\t10\t20\t3\t", `line 19: row "Medical - Foundation Level" has no total`},
		{"missing Grand Total", 41, "Chief Nurse only\t\t\t1\t1", `line 29: table "Directly Commissioned Education Programme activity" has no Grand Total row`},
		{"row after Grand Total", 14, "Extra\t1\t1\t2", `line 14: row after the Grand Total row (line 13)`},
		{"part with other columns", 39, "\tLondon\tNational\tChief Midwife\tTotal", `line 39: columns`},
		{"stray table row", 43, "Note\tsee above", "line 43: tab-separated row outside the known METIP tables"},
		{"no header", 9, "Programme\t22/23\t\tGrand Total", `line 9: expected the header row`},
		{"no row total column", 10, "\tLondon\tNorth East & Yorkshire\tNational", `line 9: the last column is "National"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := strings.Split(good, "\n")
			lines[tc.line-1] = tc.replace
			_, err := extractMETIP(newDocument(strings.Join(lines, "\n")))
			wantError(t, err, tc.want)
		})
	}
}

func TestBudgetRows(t *testing.T) {
	for _, tc := range []struct {
		row, want string
	}{
		{"<b>Subtotal</b>\t<b>4,738.10</b>\t<b>5,078.83</b>\t<b>340.73</b>\t<b>7.19%</b>", "subtotal 4738.10 5078.83 340.73 7.19"},
		{"• tariff\t27.6\t0.0\t-27.6\t-100.00%", "line 27.6 0.0 -27.6 -100.00"},
		{"NHSE\t144\t303.8\t159.8\t", "line 144 303.8 159.8 null"},
		{"<b>Agreed changes:</b>\t\t\t\t", "heading null null null null"},
		{"NHSE\t144\t303.8\t159.8", "line 5: expected 5 cells"},
		{"NHSE\t144\t303.8%\t159.8\t", `line 5: "303.8%" is not an amount`},
		{"NHSE\t144\t303.8\t159.8\t75.81", `line 5: "75.81" is not a percentage`},
		{"NHSE\t144\t303,8\t159.8\t", `line 5: "303,8" is not an amount`},
		{"Orphan\t\t\t\t", `line 5: row "Orphan" has no figures`},
	} {
		r, err := readBudgetRow(tc.row, 5)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = r.Kind
			for _, v := range []any{r.Budget202122, r.Budget202223, r.Difference, r.PctChange} {
				b, _ := encodeJSON(v, "")
				got += " " + string(b)
			}
		}
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.row, got, tc.want)
		}
	}
}

func TestParseBAF(t *testing.T) {
	for text, want := range map[string][]int{
		"Board Assurance Framework Opportunities supported: [2](#) and [3](#)":                 {2, 3},
		"Board Assurance Framework Opportunities supported: [1](#), [2](#), and [3](#)":        {1, 2, 3},
		"Board Assurance Framework Opportunities supported: [1, 2 and 4](#)":                   {1, 2, 4},
		"Board Assurance Framework Opportunity/ies supported: [1 and 3](#)":                    {1, 3},
		"Board Assurance Framework Opportunities supported: [1](#), [2](#), [3](#) and [4](#)": {1, 2, 3, 4},
	} {
		got, err := parseBAF(text, 1)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%q: got %v, %v; want %v", text, got, err, want)
		}
	}
	for _, text := range []string{
		"Board Assurance Framework Opportunities supported: 1 and 3",
		"Board Assurance Framework Opportunities supported: [1](#) or [3](#)",
		"Board Assurance Framework Opportunities supported: [1 and 6](#)",
		"Board Assurance Framework Opportunities supported: [2](#) and [2](#)",
		"Opportunities supported: [1](#)",
	} {
		if _, err := parseBAF(text, 7); err == nil || !strings.HasPrefix(err.Error(), "line 7: ") {
			t.Errorf("%q: got error %v, want one naming line 7", text, err)
		}
	}
}

func TestMeasuringProgressOnOneLine(t *testing.T) {
	doc := strings.Join([]string{
		"## 5. Our goals and objectives",
		"### Future workforce goal",
		"**Objective 1**",
		"**Measuring progress****Board Assurance Framework Opportunities supported: [1, 3 and 4](#)**",
		"",
		"KPI Descriptor\tHEE Executive Lead",
		`<ul style="list-style-type: none"> <li>i. First.</li> <li>ii. Second &amp; last.</li> </ul>` + "\t<p>(i) Ann Lee; (ii) Bo Ray/Cy Dee</p>",
		"",
		"## 6. Foundations of Success",
	}, "\n")
	k, err := extractKPIs(newDocument(doc))
	if err != nil {
		t.Fatal(err)
	}
	obj := k.Objectives.values["FW1"]
	if obj == nil || obj.Line != 4 || !slices.Equal(obj.BAFOpportunities, []int{1, 3, 4}) || len(obj.KPIs) != 2 {
		t.Fatalf("FW1: %+v", obj)
	}
	if got := obj.KPIs[1]; got.Code != "FW1-02" || got.Group != nil || got.Descriptor != "Second & last." || got.Lead != "Bo Ray / Cy Dee" || got.Line != 7 {
		t.Errorf("FW1-02: %+v", got)
	}
}

func TestDescriptorsAndLeads(t *testing.T) {
	items, err := splitNumbered("i. Count (see i.e. note). ii. Rate. iv. not a new KPI iii. Share.", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[0].text != "Count (see i.e. note)." || items[1].text != "Rate. iv. not a new KPI" || items[2].numeral != "iii" {
		t.Errorf("split: %+v", items)
	}
	leads, err := parseLeads("<p>(i) to (ii) Ann Lee; (iii) Bo Ray</p>", items, 3)
	if err != nil || !slices.Equal(leads, []string{"Ann Lee", "Ann Lee", "Bo Ray"}) {
		t.Errorf("leads %q, %v", leads, err)
	}
	for cell, want := range map[string]string{
		"<p>(i) Ann Lee; (ii) Bo Ray</p>":             "line 3: lead cell",
		"<p>(i) to (iii) Ann Lee; (iv) Bo Ray</p>":    "line 3: lead cell",
		"<p>(i) Ann Lee; (i) &amp; (ii) Bo Ray</p>":   "line 3: lead cell names (i) twice",
		"<p>(iii) to (i) Ann Lee</p>":                 "line 3: cannot read lead",
		"<p>(i) Ann Lee, (ii) &amp; (iii) Bo Ray</p>": "line 3: cannot read lead",
		"<p><b>Ann</b> Lee <em>and</em> Bo Ray</p>":   "line 3: unexpected markup",
		"<p></p>": "line 3: no executive lead",
	} {
		_, err := parseLeads(cell, items, 3)
		wantError(t, err, want)
	}
	for cell, want := range map[string]string{
		"Count of starts.": "line 3: KPI descriptor",
		"<ul> <li>i. One.</li> <li>iii. Three.</li> </ul>": `line 3: KPI numbered "iii" follows "i"`,
		"<ul> <li>One.</li> </ul>":                         "line 3: list item",
		"<p>Group</p> <ul> <li>i. One.</li> </ul>":         "line 3: KPI descriptor cell is neither",
	} {
		_, _, err := parseDescriptors(cell, 3)
		wantError(t, err, want)
	}
}

// wantError checks that err is a lineError whose message starts with want.
func wantError(t *testing.T, err error, want string) {
	t.Helper()
	var le *lineError
	if !errors.As(err, &le) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got error %v, want one starting %q", err, want)
	}
}
