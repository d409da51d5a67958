// Command extract-reference transcribes the reference data that rdpcheck
// checks Regional Delivery Plans against from the HEE Business Plan 2022/23,
// so that no figure in policies/reference is copied by hand.
//
// Usage, from the repository root:
//
//	go run ./cmd/extract-reference -source ../shared/hee/004_32c34cc149f25956.txt -out policies/reference
//
// It reads the text rendering of the business plan and writes three files
// under -out, which OPA mounts beside reference/data.json:
//
//	metip/data.json   data.reference.metip   the annex's 2022/23 METIP activity tables
//	budget/data.json  data.reference.budget  the income and expenditure tables of section 8
//	kpis/data.json    data.reference.kpis    KPI descriptors and BAF opportunities per objective (section 5)
//
// Figures are kept exactly as published, including where a published table
// does not add up: checking the arithmetic is the job of `rdpcheck data
// check`, not of this program. Every row carries its source line number so
// that findings can cite it. The output is deterministic: JSON indented by two
// spaces, object keys in document order, a trailing newline.
//
// If the document is not laid out as this program expects (a table row with
// the wrong number of cells, a figure it cannot read, a missing table or
// block) it exits with status 1 and an error naming the source line, and
// writes nothing.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	source := flag.String("source", "", "the business plan text, e.g. ../shared/hee/004_32c34cc149f25956.txt")
	out := flag.String("out", "", "the directory to write metip/, budget/ and kpis/data.json into, e.g. policies/reference")
	flag.Parse()
	if *source == "" || *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*source, *out); err != nil {
		fmt.Fprintf(os.Stderr, "extract-reference: %v\n", err)
		os.Exit(1)
	}
}

// run extracts all three files from source before writing any of them under out.
func run(source, out string) error {
	text, err := os.ReadFile(source)
	if err != nil {
		return err
	}
	files, err := extract(string(text))
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	for _, f := range files {
		path := filepath.Join(out, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// outputFile is one generated file: its path under -out and its contents.
type outputFile struct {
	path string
	data []byte
}

// extract transcribes the business plan text into the three reference files.
func extract(text string) ([]outputFile, error) {
	d := newDocument(text)
	metip, err := extractMETIP(d)
	if err != nil {
		return nil, err
	}
	budget, err := extractBudget(d)
	if err != nil {
		return nil, err
	}
	kpis, err := extractKPIs(d)
	if err != nil {
		return nil, err
	}
	var files []outputFile
	for _, f := range []struct {
		path  string
		value any
	}{
		{"metip/data.json", metip},
		{"budget/data.json", budget},
		{"kpis/data.json", kpis},
	} {
		data, err := encodeJSON(f.value, "  ")
		if err != nil {
			return nil, err
		}
		files = append(files, outputFile{f.path, data})
	}
	return files, nil
}

// ---- The source document ----

// document is the source text split into lines; line n (1-based) is lines[n-1].
type document struct {
	lines []string
}

func newDocument(text string) document {
	return document{strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")}
}

// last is the number of the document's last line.
func (d document) last() int { return len(d.lines) }

// line returns the text of line n.
func (d document) line(n int) string { return d.lines[n-1] }

// blank reports whether line n is past the end of the document or empty.
func (d document) blank(n int) bool { return n > d.last() || strings.TrimSpace(d.line(n)) == "" }

// nextNonBlank returns the first non-blank line at or after n, or a number
// past the end of the document if there is none.
func (d document) nextNonBlank(n int) int {
	for n <= d.last() && d.blank(n) {
		n++
	}
	return n
}

// findHeading returns the number of the first heading at or after line from
// whose text is title, or 0 if there is none.
func (d document) findHeading(from int, title string) int {
	for n := from; n <= d.last(); n++ {
		if text, ok := headingText(d.line(n)); ok && text == title {
			return n
		}
	}
	return 0
}

// lineError is a problem with the source's structure, reported with the
// 1-based number of the line where it was found.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// errorAt returns a lineError for line n.
func errorAt(n int, format string, args ...any) error {
	return &lineError{n, fmt.Sprintf(format, args...)}
}

// headingText returns the text of a markdown heading ("## Title") or of a
// line that is bold as a whole ("**Title**"), without the markup, and
// whether the line is one of these.
func headingText(line string) (string, bool) {
	s := strings.TrimSpace(line)
	bold := len(s) > 4 && strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**")
	if !strings.HasPrefix(s, "#") && !bold {
		return "", false
	}
	return stripMarkdown(s), true
}

// stripMarkdown removes heading hashes and ** emphasis from a line.
func stripMarkdown(line string) string {
	s := strings.TrimLeft(strings.TrimSpace(line), "#")
	return strings.TrimSpace(strings.ReplaceAll(s, "**", ""))
}

// cells splits a table row at its tabs.
func cells(row string) []string { return strings.Split(row, "\t") }

// cellText returns a cell's text without <b> markup, with HTML entities
// (such as &amp;) decoded and surrounding space trimmed.
func cellText(cell string) string {
	cell = strings.NewReplacer("<b>", "", "</b>", "").Replace(cell)
	return strings.TrimSpace(html.UnescapeString(cell))
}

// isBold reports whether a cell is wrapped in <b>…</b>.
func isBold(cell string) bool {
	c := strings.TrimSpace(cell)
	return strings.HasPrefix(c, "<b>") && strings.HasSuffix(c, "</b>")
}

// printedNumber matches a figure as the document prints it: an optional
// minus sign, digits optionally grouped by thousands commas, optional decimals.
var printedNumber = regexp.MustCompile(`^-?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?$`)

// figure returns a printed figure without its thousands commas and otherwise
// digit for digit as printed, and whether s is a figure at all.
func figure(s string) (string, bool) {
	if !printedNumber.MatchString(s) {
		return "", false
	}
	return strings.ReplaceAll(s, ",", ""), true
}

// ---- JSON output ----

// object is a JSON object whose keys keep the order they were added in, so
// that the generated files follow the document's order.
type object[V any] struct {
	keys   []string
	values map[string]V
}

// add adds key with value v, and reports false if key is already present.
func (o *object[V]) add(key string, v V) bool {
	if _, dup := o.values[key]; dup {
		return false
	}
	if o.values == nil {
		o.values = map[string]V{}
	}
	o.keys = append(o.keys, key)
	o.values[key] = v
	return true
}

// MarshalJSON writes the object's members in insertion order.
func (o object[V]) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, key := range o.keys {
		k, err := encodeJSON(key, "")
		if err != nil {
			return nil, err
		}
		v, err := encodeJSON(o.values[key], "")
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encodeJSON encodes v, indented by indent if it is not empty, leaving
// characters such as & and < as they are rather than escaping them. Indented
// output ends with a newline, compact output does not.
func encodeJSON(v any, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if indent == "" {
		return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
	}
	return b.Bytes(), nil
}

// ---- METIP activity tables (annex) ----

// metipFile is policies/reference/metip/data.json.
type metipFile struct {
	Source string              `json:"source"`
	Tables object[*metipTable] `json:"tables"`
}

// metipTable is one METIP activity table, merged from all its parts.
type metipTable struct {
	Title               string      `json:"title"`
	Columns             []string    `json:"columns"`
	Programmes          []programme `json:"programmes"`
	PublishedTotals     object[int] `json:"published_totals"`
	PublishedGrandTotal int         `json:"published_grand_total"`
	Line                int         `json:"line"`

	grandTotalLine int // line of the Grand Total row, 0 until it has been read
}

// programme is one row of a METIP table. Blank cells are left out of Cells.
type programme struct {
	Name           string      `json:"name"`
	Line           int         `json:"line"`
	Cells          object[int] `json:"cells"`
	PublishedTotal int         `json:"published_total"`
}

// metipTables lists the annex's table headings and the ids they are
// published under, in document order.
var metipTables = []struct{ heading, id string }{
	{"Undergraduate Medical and Dental activity", "undergraduate_medical_dental"},
	{"Postgraduate Medical & Dental activity", "postgraduate_medical_dental"},
	{"Clinical non-commissioned education activity", "clinical_non_commissioned"},
	{"Directly Commissioned Education Programme activity", "directly_commissioned"},
}

// metipTableID returns the id of the METIP table with the given heading, or "".
func metipTableID(heading string) string {
	for _, t := range metipTables {
		if t.heading == heading {
			return t.id
		}
	}
	return ""
}

// extractMETIP reads the METIP tables from the annex. A table may be printed
// in several parts, each under a repeat of its heading and header rows; the
// parts are merged, and only the last may hold the Grand Total row. Any
// tab-separated row in the annex outside these tables is an error.
func extractMETIP(d document) (*metipFile, error) {
	const annex = "2022/23 Multi Professional Education and Training Investment Plan (METIP)"
	start := d.findHeading(1, annex)
	if start == 0 {
		return nil, fmt.Errorf("no heading %q: cannot find the METIP annex", annex)
	}
	file := &metipFile{Source: "HEE Business Plan 2022/23, annex: 2022/23 METIP activity tables"}
	var open *metipTable // the table still waiting for its Grand Total row
	for n := start + 1; n <= d.last(); n++ {
		heading, _ := headingText(d.line(n))
		id := metipTableID(heading)
		if id == "" {
			if strings.Contains(d.line(n), "\t") {
				return nil, errorAt(n, "tab-separated row outside the known METIP tables")
			}
			continue
		}
		t, seen := file.Tables.values[id]
		switch {
		case open != nil && open != t:
			return nil, errorAt(n, "table %q starts before table %q (line %d) has its Grand Total row", heading, open.Title, open.Line)
		case seen && t.grandTotalLine != 0:
			return nil, errorAt(n, "table %q printed again after its Grand Total row (line %d)", heading, t.grandTotalLine)
		case !seen:
			t = &metipTable{Title: heading, Line: n}
			file.Tables.add(id, t)
		}
		end, err := readMETIPPart(d, n, t)
		if err != nil {
			return nil, err
		}
		open = nil
		if t.grandTotalLine == 0 {
			open = t
		}
		n = end
	}
	if open != nil {
		return nil, errorAt(open.Line, "table %q has no Grand Total row", open.Title)
	}
	for _, want := range metipTables {
		if _, ok := file.Tables.values[want.id]; !ok {
			return nil, fmt.Errorf("no METIP table headed %q after line %d", want.heading, start)
		}
	}
	return file, nil
}

// readMETIPPart reads the part of table t under the heading at line heading:
// two header rows, then programme rows up to a blank line. It returns the
// last line it read.
func readMETIPPart(d document, heading int, t *metipTable) (int, error) {
	n := d.nextNonBlank(heading + 1)
	columns, err := readMETIPHeader(d, n)
	if err != nil {
		return 0, err
	}
	if t.Columns == nil {
		t.Columns = columns
	} else if !slices.Equal(columns, t.Columns) {
		return 0, errorAt(n+1, "columns %q differ from those of the table's first part (line %d): %q", columns, t.Line, t.Columns)
	}
	for n += 2; !d.blank(n); n++ {
		if t.grandTotalLine != 0 {
			return 0, errorAt(n, "row after the Grand Total row (line %d)", t.grandTotalLine)
		}
		row, err := readMETIPRow(d.line(n), n, columns)
		if err != nil {
			return 0, err
		}
		if row.Name == "Grand Total" {
			t.PublishedTotals, t.PublishedGrandTotal, t.grandTotalLine = row.Cells, row.PublishedTotal, n
			continue
		}
		if slices.ContainsFunc(t.Programmes, func(p programme) bool { return p.Name == row.Name }) {
			return 0, errorAt(n, "programme %q appears twice in table %q", row.Name, t.Title)
		}
		t.Programmes = append(t.Programmes, row)
	}
	return n - 1, nil
}

// readMETIPHeader checks the two header rows at lines n and n+1 ("Programme
// Name", …; then the column names, the row-total column last) and returns
// the figure columns, without the row-total column.
func readMETIPHeader(d document, n int) ([]string, error) {
	if n+1 > d.last() || cellText(cells(d.line(n))[0]) != "Programme Name" {
		return nil, errorAt(n, "expected the header row \"Programme Name\\t…\" under the table heading")
	}
	top, names := cells(d.line(n)), cells(d.line(n+1))
	if len(names) != len(top) || cellText(names[0]) != "" {
		return nil, errorAt(n+1, "expected a row of column names with %d cells, the first blank, under the header row", len(top))
	}
	last := len(names) - 1
	total := cellText(names[last])
	if total == "" {
		total = cellText(top[last])
	}
	if total != "Total" && total != "Grand Total" {
		return nil, errorAt(n, "the last column is %q, expected the row total (\"Total\" or \"Grand Total\")", total)
	}
	var columns []string
	for _, c := range names[1:last] {
		name := cellText(c)
		if name == "" || slices.Contains(columns, name) {
			return nil, errorAt(n+1, "column name %q is blank or repeated", name)
		}
		columns = append(columns, name)
	}
	return columns, nil
}

// readMETIPRow reads a row of programme name, one figure per column and the
// row total. Blank figure cells are left out; the total must be present.
func readMETIPRow(row string, n int, columns []string) (programme, error) {
	c := cells(row)
	if len(c) != len(columns)+2 {
		return programme{}, errorAt(n, "expected %d cells (programme name, %d columns, total), found %d", len(columns)+2, len(columns), len(c))
	}
	p := programme{Name: cellText(c[0]), Line: n}
	if p.Name == "" {
		return programme{}, errorAt(n, "row without a programme name")
	}
	for i, column := range columns {
		text := cellText(c[i+1])
		if text == "" {
			continue
		}
		v, err := activity(text, n, column)
		if err != nil {
			return programme{}, err
		}
		p.Cells.add(column, v)
	}
	text := cellText(c[len(c)-1])
	if text == "" {
		return programme{}, errorAt(n, "row %q has no total", p.Name)
	}
	total, err := activity(text, n, "total")
	if err != nil {
		return programme{}, err
	}
	p.PublishedTotal = total
	return p, nil
}

// activity parses a whole-number activity figure such as "1,767".
func activity(text string, n int, column string) (int, error) {
	digits, ok := figure(text)
	v, err := strconv.Atoi(digits)
	if !ok || err != nil {
		return 0, errorAt(n, "%s: %q is not a whole number", column, text)
	}
	return v, nil
}

// ---- Budget tables (section 8) ----

// budgetFile is policies/reference/budget/data.json.
type budgetFile struct {
	Source      string       `json:"source"`
	Unit        string       `json:"unit"`
	Income      *budgetTable `json:"income"`
	Expenditure *budgetTable `json:"expenditure"`
}

// budgetTable is one of the two budget tables; Line is its heading's line.
type budgetTable struct {
	Line int         `json:"line"`
	Rows []budgetRow `json:"rows"`
}

// budgetRow is one row of a budget table. Figures are JSON numbers with the
// printed digits (nil, written as null, where the cell is blank); the
// percentage is written without its % sign.
type budgetRow struct {
	Label        string       `json:"label"`
	Line         int          `json:"line"`
	Kind         string       `json:"kind"`
	Budget202122 *json.Number `json:"budget_2021_22"`
	Budget202223 *json.Number `json:"budget_2022_23"`
	Difference   *json.Number `json:"difference"`
	PctChange    *json.Number `json:"pct_change"`
}

// budgetSpec describes a budget table: its key in budget/data.json, the
// heading it is printed under, and the labels of its first and last rows.
type budgetSpec struct{ key, heading, first, last string }

// budgetTables are the two budget tables of section 8.
var budgetTables = []budgetSpec{
	{"income", "Programme Allocation and other significant income", "Allocation and other income", "Total Income"},
	{"expenditure", "Summary of planned expenditure", "Expenditure", "Total expenditure"},
}

// extractBudget reads the income and expenditure tables of section 8. Every
// table in the section must sit under one of the two known headings.
func extractBudget(d document) (*budgetFile, error) {
	const section, next = "8. Financial requirements", "9. Accountability and Measuring Progress"
	start := d.findHeading(1, section)
	if start == 0 {
		return nil, fmt.Errorf("no heading %q: cannot find the budget tables", section)
	}
	end := d.findHeading(start, next)
	if end == 0 {
		return nil, fmt.Errorf("no heading %q after line %d: cannot find the end of section 8", next, start)
	}
	tables := map[string]*budgetTable{}
	heading, headingLine := "", 0
	for n := start + 1; n < end; n++ {
		if text, ok := headingText(d.line(n)); ok {
			heading, headingLine = text, n
		}
		if !strings.Contains(d.line(n), "\t") {
			continue
		}
		i := slices.IndexFunc(budgetTables, func(t budgetSpec) bool { return t.heading == heading })
		if i < 0 {
			return nil, errorAt(n, "table under heading %q, which is not one of the budget tables", heading)
		}
		spec := budgetTables[i]
		if _, dup := tables[spec.key]; dup {
			return nil, errorAt(n, "a second table under heading %q", heading)
		}
		t, last, err := readBudgetTable(d, n, headingLine)
		if err != nil {
			return nil, err
		}
		if first, final := t.Rows[0], t.Rows[len(t.Rows)-1]; first.Label != spec.first || final.Label != spec.last {
			return nil, errorAt(n, "the %s table runs from %q to %q, expected %q to %q", spec.key, first.Label, final.Label, spec.first, spec.last)
		}
		tables[spec.key] = t
		n = last
	}
	for _, spec := range budgetTables {
		if tables[spec.key] == nil {
			return nil, fmt.Errorf("no table under heading %q in section 8 (lines %d-%d)", spec.heading, start, end)
		}
	}
	return &budgetFile{
		Source:      "HEE Business Plan 2022/23, section 8 (Financial requirements)",
		Unit:        "GBP million",
		Income:      tables["income"],
		Expenditure: tables["expenditure"],
	}, nil
}

// readBudgetTable reads the table whose header rows start at line n, up to
// a blank line, and returns it with the last line it read.
func readBudgetTable(d document, n, heading int) (*budgetTable, int, error) {
	if err := checkBudgetHeader(d, n); err != nil {
		return nil, 0, err
	}
	t := &budgetTable{Line: heading}
	for n += 2; !d.blank(n); n++ {
		row, err := readBudgetRow(d.line(n), n)
		if err != nil {
			return nil, 0, err
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		return nil, 0, errorAt(n, "budget table without rows")
	}
	return t, n - 1, nil
}

// checkBudgetHeader checks the two header rows at lines n and n+1: the
// years, then the units (£ million, and % for the last column).
func checkBudgetHeader(d document, n int) error {
	wants := [][]string{
		{"", "2021-22 Budget", "2022-23 Budget"},
		{"", "£ million", "£ million", "£ million", "% Change"},
	}
	for i, want := range wants {
		if n+i > d.last() {
			return errorAt(n+i, "expected a budget table header row")
		}
		c := cells(d.line(n + i))
		if len(c) != 5 || !slices.Equal(mapCells(c[:len(want)]), want) {
			return errorAt(n+i, "expected a budget table header row of 5 cells starting %q", want)
		}
	}
	return nil
}

// mapCells returns the cellText of each cell.
func mapCells(c []string) []string {
	texts := make([]string, len(c))
	for i, cell := range c {
		texts[i] = cellText(cell)
	}
	return texts
}

// readBudgetRow reads a row of label, the two years' budgets, the
// difference and the percentage change. A bold row without figures is a
// heading, a bold row with figures a subtotal; other rows are lines and must
// carry at least one figure.
func readBudgetRow(row string, n int) (budgetRow, error) {
	c := cells(row)
	if len(c) != 5 {
		return budgetRow{}, errorAt(n, "expected 5 cells (label, 2021-22, 2022-23, difference, %% change), found %d", len(c))
	}
	r := budgetRow{Label: strings.TrimSpace(strings.TrimPrefix(cellText(c[0]), "•")), Line: n}
	if r.Label == "" {
		return budgetRow{}, errorAt(n, "row without a label")
	}
	fields := []**json.Number{&r.Budget202122, &r.Budget202223, &r.Difference, &r.PctChange}
	blank := 0
	for i, field := range fields {
		v, err := amount(cellText(c[i+1]), i == len(fields)-1, n)
		if err != nil {
			return budgetRow{}, err
		}
		if v == nil {
			blank++
		}
		*field = v
	}
	switch {
	case isBold(c[0]) && blank == len(fields):
		r.Kind = "heading"
	case isBold(c[0]):
		r.Kind = "subtotal"
	case blank == len(fields):
		return budgetRow{}, errorAt(n, "row %q has no figures but is not a bold heading", r.Label)
	default:
		r.Kind = "line"
	}
	return r, nil
}

// amount parses a budget figure such as "4,602.10", or with percent set a
// percentage such as "7.19%", into a JSON number with the printed digits.
// A blank cell gives nil.
func amount(text string, percent bool, n int) (*json.Number, error) {
	if text == "" {
		return nil, nil
	}
	number, hasPercent := strings.CutSuffix(text, "%")
	digits, ok := figure(number)
	if !ok || hasPercent != percent {
		want := "an amount in £ million"
		if percent {
			want = "a percentage"
		}
		return nil, errorAt(n, "%q is not %s", text, want)
	}
	v := json.Number(digits)
	return &v, nil
}

// ---- KPIs and BAF opportunities (section 5) ----

// kpiFile is policies/reference/kpis/data.json.
type kpiFile struct {
	Source     string             `json:"source"`
	Objectives object[*objective] `json:"objectives"`
}

// objective is the "Measuring progress" block of one objective; Line is the
// line of its "Measuring progress" heading.
type objective struct {
	Line             int   `json:"line"`
	BAFOpportunities []int `json:"baf_opportunities"`
	KPIs             []kpi `json:"kpis"`
}

// kpi is one KPI descriptor. Group is the bold group heading it is listed
// under, or nil (null) where the descriptors are not grouped.
type kpi struct {
	Code       string  `json:"code"`
	Group      *string `json:"group"`
	Numeral    string  `json:"numeral"`
	Descriptor string  `json:"descriptor"`
	Lead       string  `json:"lead"`
	Line       int     `json:"line"`
}

// anchor is where an objective starts in section 5.
type anchor struct {
	id   string
	line int
}

// goalPrefixes maps the goal headings of section 5 to their objective id prefixes.
var goalPrefixes = map[string]string{
	"Future workforce goal":           "FW",
	"Current workforce goal":          "CW",
	"Quality and patient safety goal": "QP",
}

var objectiveHeading = regexp.MustCompile(`^Objective (\d+)$`)

// extractKPIs reads the "Measuring progress" block of every objective in
// section 5, stopping at section 6 (whose KPIs are internal to HEE).
func extractKPIs(d document) (*kpiFile, error) {
	const section, next = "5. Our goals and objectives", "6. Foundations of Success"
	start := d.findHeading(1, section)
	if start == 0 {
		return nil, fmt.Errorf("no heading %q: cannot find the objectives", section)
	}
	end := d.findHeading(start, next)
	if end == 0 {
		return nil, fmt.Errorf("no heading %q after line %d: cannot find the end of section 5", next, start)
	}
	anchors, err := objectiveAnchors(d, start, end)
	if err != nil {
		return nil, err
	}
	file := &kpiFile{Source: "HEE Business Plan 2022/23, section 5 (Measuring progress under each objective)"}
	for i, a := range anchors {
		stop := end
		if i+1 < len(anchors) {
			stop = anchors[i+1].line
		}
		obj, err := readObjective(d, a, stop)
		if err != nil {
			return nil, err
		}
		if !file.Objectives.add(a.id, obj) {
			return nil, errorAt(a.line, "objective %s appears twice", a.id)
		}
	}
	return file, nil
}

// objectiveAnchors finds where each objective starts between lines start
// and end: the "Restoration and recovery" section (RR1), "Objective N"
// under each goal (FW1…, CW1…, QP1…, numbered 1, 2, … in order) and the
// "Cross cutting objective" row (CC1).
func objectiveAnchors(d document, start, end int) ([]anchor, error) {
	var anchors []anchor
	prefix, next := "", 1
	for n := start + 1; n < end; n++ {
		if cellText(cells(d.line(n))[0]) == "Cross cutting objective" {
			anchors = append(anchors, anchor{"CC1", n})
			prefix = ""
			continue
		}
		title, ok := headingText(d.line(n))
		if !ok {
			continue
		}
		m := objectiveHeading.FindStringSubmatch(title)
		switch {
		case strings.HasPrefix(title, "Restoration and recovery"):
			anchors = append(anchors, anchor{"RR1", n})
			prefix = ""
		case goalPrefixes[title] != "":
			prefix, next = goalPrefixes[title], 1
		case m != nil && prefix == "":
			return nil, errorAt(n, "%q outside a goal", title)
		case m != nil && m[1] != strconv.Itoa(next):
			return nil, errorAt(n, "found %q, expected Objective %d", title, next)
		case m != nil:
			anchors = append(anchors, anchor{prefix + m[1], n})
			next++
		}
	}
	if len(anchors) == 0 {
		return nil, errorAt(start, "no objectives in section 5")
	}
	return anchors, nil
}

// readObjective reads the one "Measuring progress" block between the
// objective's start and line stop: the BAF opportunities line (on the same
// line or the next), then the KPI table.
func readObjective(d document, a anchor, stop int) (*objective, error) {
	obj := &objective{}
	baf := ""
	for n := a.line; n < stop; n++ {
		title, ok := headingText(d.line(n))
		rest, found := strings.CutPrefix(title, "Measuring progress")
		if !ok || !found {
			continue
		}
		if obj.Line != 0 {
			return nil, errorAt(n, "a second Measuring progress block for %s (the first is at line %d)", a.id, obj.Line)
		}
		obj.Line, baf = n, rest
	}
	if obj.Line == 0 {
		return nil, errorAt(a.line, "no Measuring progress block for %s before line %d", a.id, stop)
	}
	n := obj.Line
	if baf == "" {
		n = d.nextNonBlank(n + 1)
		if n >= stop {
			return nil, errorAt(obj.Line, "no BAF opportunities line for %s", a.id)
		}
		baf = stripMarkdown(d.line(n))
	}
	var err error
	if obj.BAFOpportunities, err = parseBAF(baf, n); err != nil {
		return nil, err
	}
	if obj.KPIs, err = readKPITable(d, d.nextNonBlank(n+1), stop, a.id); err != nil {
		return nil, err
	}
	return obj, nil
}

var (
	bafLine  = regexp.MustCompile(`^Board Assurance Framework Opportunit(?:ies|y/ies) supported:\s*(.+)$`)
	bafLink  = regexp.MustCompile(`\[([^\]]*)\]\(#\)`)
	bafSplit = regexp.MustCompile(`\s*,\s*|\s+and\s+`)
)

// parseBAF reads the BAF opportunity numbers from a line such as
// "Board Assurance Framework Opportunities supported: [1](#), [2](#) and [4](#)"
// or "… supported: [1, 2 and 4](#)". The numbers must be 1 to 5, each once.
func parseBAF(text string, n int) ([]int, error) {
	m := bafLine.FindStringSubmatch(text)
	if m == nil {
		return nil, errorAt(n, "expected \"Board Assurance Framework Opportunities supported: …\", found %q", text)
	}
	between := strings.NewReplacer(",", "", "and", "").Replace(bafLink.ReplaceAllString(m[1], ""))
	links := bafLink.FindAllStringSubmatch(m[1], -1)
	if len(links) == 0 || strings.TrimSpace(between) != "" {
		return nil, errorAt(n, "cannot read the BAF opportunities in %q", m[1])
	}
	var numbers []int
	for _, link := range links {
		for _, s := range bafSplit.Split(strings.TrimSpace(link[1]), -1) {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 || v > 5 || slices.Contains(numbers, v) {
				return nil, errorAt(n, "%q in %q is not a BAF opportunity number (1-5, each once)", s, m[1])
			}
			numbers = append(numbers, v)
		}
	}
	return numbers, nil
}

// readKPITable reads the KPI table whose header is at line n: rows of
// descriptor cell and lead cell, up to a blank line or line stop. KPIs are
// coded id-01, id-02, … in order across all rows.
func readKPITable(d document, n, stop int, id string) ([]kpi, error) {
	if n >= stop || d.line(n) != "KPI Descriptor\tHEE Executive Lead" {
		return nil, errorAt(n, "expected the KPI table header \"KPI Descriptor\\tHEE Executive Lead\" for %s", id)
	}
	var kpis []kpi
	for n++; n < stop && !d.blank(n); n++ {
		c := cells(d.line(n))
		if len(c) != 2 {
			return nil, errorAt(n, "expected 2 cells (KPI descriptor, executive lead), found %d", len(c))
		}
		group, items, err := parseDescriptors(c[0], n)
		if err != nil {
			return nil, err
		}
		leads, err := parseLeads(c[1], items, n)
		if err != nil {
			return nil, err
		}
		for i, item := range items {
			code := fmt.Sprintf("%s-%02d", id, len(kpis)+1)
			kpis = append(kpis, kpi{code, group, item.numeral, item.text, leads[i], n})
		}
	}
	if len(kpis) == 0 {
		return nil, errorAt(n, "KPI table for %s has no rows", id)
	}
	return kpis, nil
}

// numbered is a KPI descriptor with its roman numeral ("ii" for "ii. …").
type numbered struct {
	numeral, text string
}

// numerals are the roman numerals KPI descriptors are numbered with, in order.
var numerals = []string{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}

// nextNumeral returns the numeral after s, or "" if there is none.
func nextNumeral(s string) string {
	i := slices.Index(numerals, s)
	if i < 0 || i+1 == len(numerals) {
		return ""
	}
	return numerals[i+1]
}

var (
	descriptorList = regexp.MustCompile(`^(?:<p><b>(.+?)</b></p>\s*)?<ul[^>]*>((?:\s*<li>.*?</li>)+)\s*</ul>$`)
	listItem       = regexp.MustCompile(`<li>(.*?)</li>`)
	numberedItem   = regexp.MustCompile(`^([ivx]+)\.\s+(.+)$`)
	numeralMark    = regexp.MustCompile(`(?:^|\s)([ivx]+)\.\s`)
)

// parseDescriptors reads a KPI descriptor cell: either plain text "i. …",
// possibly with further KPIs "ii. … iii. …" run on in the same cell, or an
// HTML list "<p><b>Group</b></p> <ul> <li>i. …</li> … </ul>" whose group
// heading is optional. It returns the group (nil if none) and the KPIs.
func parseDescriptors(cell string, n int) (*string, []numbered, error) {
	cell = strings.TrimSpace(cell)
	if !strings.HasPrefix(cell, "<") {
		items, err := splitNumbered(html.UnescapeString(cell), n)
		return nil, items, err
	}
	m := descriptorList.FindStringSubmatch(cell)
	if m == nil {
		return nil, nil, errorAt(n, "KPI descriptor cell is neither numbered text nor a <ul> list")
	}
	var group *string
	if m[1] != "" {
		g := cellText(m[1])
		group = &g
	}
	var items []numbered
	for _, li := range listItem.FindAllStringSubmatch(m[2], -1) {
		item := numberedItem.FindStringSubmatch(cellText(li[1]))
		if item == nil {
			return nil, nil, errorAt(n, "list item %q does not start with a numeral such as \"i.\"", li[1])
		}
		items = append(items, numbered{item[1], item[2]})
	}
	return group, items, checkNumbering(items, n)
}

// splitNumbered splits "i. … ii. … iii. …" into its numbered parts. Only the
// numeral that follows the previous one in sequence starts a new part, so
// text such as "(a) … i.e. …" inside a descriptor is left alone.
func splitNumbered(text string, n int) ([]numbered, error) {
	marks := numeralMark.FindAllStringSubmatchIndex(text, -1)
	if len(marks) == 0 || marks[0][0] != 0 {
		return nil, errorAt(n, "KPI descriptor %q does not start with a numeral such as \"i.\"", text)
	}
	var items []numbered
	textStart := 0
	for _, m := range marks {
		numeral := text[m[2]:m[3]]
		if len(items) > 0 && numeral != nextNumeral(items[len(items)-1].numeral) {
			continue
		}
		if len(items) > 0 {
			items[len(items)-1].text = strings.TrimSpace(text[textStart:m[0]])
		}
		items = append(items, numbered{numeral: numeral})
		textStart = m[1]
	}
	items[len(items)-1].text = strings.TrimSpace(text[textStart:])
	return items, checkNumbering(items, n)
}

// checkNumbering checks that KPIs are numbered in sequence and that their
// descriptors are plain text.
func checkNumbering(items []numbered, n int) error {
	for i, item := range items {
		if i > 0 && item.numeral != nextNumeral(items[i-1].numeral) {
			return errorAt(n, "KPI numbered %q follows %q", item.numeral, items[i-1].numeral)
		}
		if item.text == "" || strings.ContainsAny(item.text, "<>") {
			return errorAt(n, "KPI %s. has an empty descriptor or one with markup: %q", item.numeral, item.text)
		}
	}
	return nil
}

var (
	leadPart    = regexp.MustCompile(`^(\([ivx]+\)(?:\s*(?:&|to)\s*\([ivx]+\))*)\s+([^()]+)$`)
	leadNumeral = regexp.MustCompile(`\(([ivx]+)\)`)
)

// parseLeads reads the executive lead cell of a KPI row and returns the lead
// of each KPI in items. The cell names either one lead for all of them, or
// leads by numeral: "(i) Wendy Reid; (ii) & (iii) Patrick Mitchell",
// "(i) to (v) Mark Radford; (vi) David Farrelly".
func parseLeads(cell string, items []numbered, n int) ([]string, error) {
	text := cellText(strings.NewReplacer("<p>", "", "</p>", "").Replace(cell))
	if strings.ContainsAny(text, "<>") {
		return nil, errorAt(n, "unexpected markup in lead cell %q", text)
	}
	if text == "" {
		return nil, errorAt(n, "no executive lead")
	}
	leads := make([]string, len(items))
	if !strings.HasPrefix(text, "(") {
		for i := range leads {
			leads[i] = personNames(text)
		}
		return leads, nil
	}
	byNumeral := map[string]string{}
	for _, part := range strings.Split(text, ";") {
		m := leadPart.FindStringSubmatch(strings.TrimSpace(part))
		list, ok := numeralRange(m)
		if !ok {
			return nil, errorAt(n, "cannot read lead %q: expected \"(i) Name\", \"(i) & (ii) Name\" or \"(i) to (v) Name\"", part)
		}
		for _, numeral := range list {
			if _, dup := byNumeral[numeral]; dup {
				return nil, errorAt(n, "lead cell names (%s) twice", numeral)
			}
			byNumeral[numeral] = personNames(m[2])
		}
	}
	for i, item := range items {
		lead, ok := byNumeral[item.numeral]
		if !ok {
			return nil, errorAt(n, "lead cell %q names no lead for KPI %s.", text, item.numeral)
		}
		leads[i] = lead
		delete(byNumeral, item.numeral)
	}
	if len(byNumeral) > 0 {
		return nil, errorAt(n, "lead cell %q names leads for KPIs that are not in the row", text)
	}
	return leads, nil
}

// numeralRange returns the numerals named by a match of leadPart: those of
// "(ii) & (iii)", or all numerals in the range "(i) to (v)". It reports false
// if there was no match or the range is not one.
func numeralRange(m []string) ([]string, bool) {
	if m == nil {
		return nil, false
	}
	var list []string
	for _, numeral := range leadNumeral.FindAllStringSubmatch(m[1], -1) {
		list = append(list, numeral[1])
	}
	if !strings.Contains(m[1], "to") {
		return list, true
	}
	if len(list) != 2 {
		return nil, false
	}
	from, to := slices.Index(numerals, list[0]), slices.Index(numerals, list[1])
	if from < 0 || to < from {
		return nil, false
	}
	return numerals[from : to+1], true
}

// personNames spaces a shared lead evenly: "Mark Radford/ Calum Pallister"
// becomes "Mark Radford / Calum Pallister".
func personNames(s string) string {
	names := strings.Split(s, "/")
	for i, name := range names {
		names[i] = strings.TrimSpace(name)
	}
	return strings.Join(names, " / ")
}
