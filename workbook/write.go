package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// inputRows is how many rows below the data keep their drop-down lists,
// number formats and unlocked cells, for the planner to add items.
const inputRows = 200

// Write writes a plan document as a workbook. It refuses, naming each
// one, values the workbook has no place for: a key outside the plan
// layout, or a value of the wrong kind (text where a number belongs), so
// that a conversion never loses part of a plan silently.
func Write(w io.Writer, plan map[string]any) error {
	f, err := Build(plan)
	if err != nil {
		return err
	}
	defer f.Close()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	data, err := canonicalZip(buf.Bytes())
	if err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	_, err = w.Write(data)
	return err
}

// canonicalZip rewrites a workbook's zip with its parts in a fixed order
// ([Content_Types].xml first, then by name) and no timestamps, so that
// the same plan always gives a byte-identical workbook.
func canonicalZip(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	files := slices.Clone(zr.File)
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i].Name == "[Content_Types].xml", files[j].Name == "[Content_Types].xml"
		if a != b {
			return a
		}
		return files[i].Name < files[j].Name
	})
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range files {
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
		if err == nil {
			_, err = io.Copy(w, rc)
		}
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Build lays a plan document out as a workbook (see Write).
func Build(plan map[string]any) (*excelize.File, error) {
	b := &builder{f: excelize.NewFile(), plan: plan, used: map[string]bool{}}
	b.region, _ = plan["region"].(string)
	if err := b.styles(); err != nil {
		return nil, err
	}
	if err := b.readMe(); err != nil {
		return nil, err
	}
	for i := range layout {
		if err := b.sheet(&layout[i]); err != nil {
			return nil, err
		}
	}
	b.unused("", plan)
	if len(b.problems) > 0 {
		b.f.Close()
		sort.Strings(b.problems)
		return nil, fmt.Errorf("the plan cannot be written as a workbook without losing part of it:\n  %s", strings.Join(b.problems, "\n  "))
	}
	return b.f, nil
}

// builder writes one workbook.
type builder struct {
	f        *excelize.File
	plan     map[string]any
	region   string
	used     map[string]bool // pointers of the values written
	problems []string
	style    map[kind]int
	header   int
	label    int
}

// styles registers the cell styles: a locked header, and per kind an
// unlocked input style with its number format (published figures stay
// locked).
func (b *builder) styles() error {
	unlocked := &excelize.Protection{Locked: false}
	specs := map[kind]*excelize.Style{
		kindText:      {Protection: unlocked, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}},
		kindInteger:   {Protection: unlocked, NumFmt: 3},
		kindNumber:    {Protection: unlocked},
		kindMoney:     {Protection: unlocked, CustomNumFmt: ptr(`"£"#,##0.000"m"`)},
		kindPercent:   {Protection: unlocked, CustomNumFmt: ptr(`0.0"%"`)},
		kindDate:      {Protection: unlocked, NumFmt: 49},
		kindValue:     {Protection: unlocked},
		kindList:      {Protection: unlocked},
		kindReference: {Protection: &excelize.Protection{Locked: true}, NumFmt: 3, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}},
	}
	b.style = map[kind]int{}
	for k := kindText; k <= kindReference; k++ { // in a fixed order, so that style ids are the same each time
		id, err := b.f.NewStyle(specs[k])
		if err != nil {
			return fmt.Errorf("workbook style: %w", err)
		}
		b.style[k] = id
	}
	var err error
	b.header, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}, Protection: &excelize.Protection{Locked: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("workbook style: %w", err)
	}
	b.label, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return fmt.Errorf("workbook style: %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// readMe writes the read-me sheet: what each sheet and column holds,
// from the plan schema's descriptions.
func (b *builder) readMe() error {
	f := b.f
	if err := f.SetSheetName("Sheet1", sheetReadMe); err != nil {
		return fmt.Errorf("read-me sheet: %w", err)
	}
	rows := [][]string{
		{"Regional Delivery Plan workbook (rdp/v1)", "", ""},
		{"Fill in the white cells; grey cells show published figures for reference and cannot be changed. Keep the sheet names and column headers as they are: rdpcheck reads them by name. Add rows below the last one for more items.", "", ""},
		{"Check the workbook with: rdpcheck check plan.xlsx", "", ""},
		{"Sheet", "Column", "What it holds"},
	}
	for i := range layout {
		s := &layout[i]
		rows = append(rows, []string{s.name, "", s.about})
		if s.parent != "" {
			rows = append(rows, []string{"", s.parentHeader, "Which " + strings.ToLower(s.parentHeader) + " the row belongs to: " + parentName(s) + "."})
		}
		for _, c := range s.cols {
			rows = append(rows, []string{"", c.header, b.explain(s, c)})
		}
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellStr(sheetReadMe, cell, v); err != nil {
				return fmt.Errorf("read-me sheet: %w", err)
			}
		}
	}
	_ = f.SetCellStyle(sheetReadMe, "A1", "A1", b.label)
	_ = f.SetCellStyle(sheetReadMe, "A4", "C4", b.header)
	_ = f.SetColWidth(sheetReadMe, "A", "A", 20)
	_ = f.SetColWidth(sheetReadMe, "B", "B", 22)
	_ = f.SetColWidth(sheetReadMe, "C", "C", 110)
	return f.ProtectSheet(sheetReadMe, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true})
}

// parentName says what the parent column refers to.
func parentName(s *sheet) string {
	if p := sheetFor(s.parent); p != nil {
		return "a row of the " + p.name + " sheet"
	}
	return s.parent
}

// sheetFor returns the table sheet listing the given array.
func sheetFor(list string) *sheet {
	for i := range layout {
		if layout[i].parent == "" && layout[i].list == list {
			return &layout[i]
		}
	}
	return nil
}

// explain is a column's read-me text: its schema description, its unit
// and its allowed values.
func (b *builder) explain(s *sheet, c column) string {
	if c.kind == kindReference {
		if c.published == "total" {
			return "The total the national METIP publishes for the region (for reference; not read back)."
		}
		return "The planned starts the national METIP publishes for the region (for reference; not read back)."
	}
	path := schemaPath(s, c)
	info := describe(path)
	if c.kind == kindList { // the allowed values of the list's items
		info.allowed = describe(append(path, "*")).allowed
	}
	text := info.description
	switch c.kind {
	case kindMoney:
		text += " In £ million, as a plain number (238.1 for £238.1m)."
	case kindPercent:
		text += " A percentage as a plain number (85 for 85%)."
	case kindDate:
		text += " A date (YYYY-MM-DD or a date typed in Excel)."
	case kindList:
		text += " Several values are separated by commas."
	}
	if len(info.allowed) > 0 {
		text += " Allowed: " + strings.Join(info.allowed, ", ") + "."
	}
	return strings.TrimSpace(text)
}

// sheet writes one sheet of the layout.
func (b *builder) sheet(s *sheet) error {
	if _, err := b.f.NewSheet(s.name); err != nil {
		return fmt.Errorf("sheet %s: %w", s.name, err)
	}
	var err error
	if s.fields {
		err = b.fieldsSheet(s)
	} else {
		err = b.tableSheet(s)
	}
	if err != nil {
		return fmt.Errorf("sheet %s: %w", s.name, err)
	}
	return nil
}

// fieldsSheet writes a sheet of single values: Field, Value.
func (b *builder) fieldsSheet(s *sheet) error {
	f := b.f
	_ = f.SetCellStr(s.name, "A1", "Field")
	_ = f.SetCellStr(s.name, "B1", "Value")
	_ = f.SetCellStyle(s.name, "A1", "B1", b.header)
	for i, c := range s.cols {
		row := i + 2
		label, _ := excelize.CoordinatesToCellName(1, row)
		cell, _ := excelize.CoordinatesToCellName(2, row)
		_ = f.SetCellStr(s.name, label, c.header)
		_ = f.SetCellStyle(s.name, label, label, b.label)
		_ = f.SetCellStyle(s.name, cell, cell, b.style[c.kind])
		if v, ok := document.Lookup(b.plan, c.field); ok {
			b.put(s.name, cell, c, v, c.field)
		}
		if err := b.addValidation(s.name, cell, describe(schemaPath(s, c)), c); err != nil {
			return err
		}
	}
	_ = f.SetColWidth(s.name, "A", "A", 22)
	_ = f.SetColWidth(s.name, "B", "B", 90)
	return b.protect(s.name)
}

// tableSheet writes a sheet of items, one per row.
func (b *builder) tableSheet(s *sheet) error {
	f := b.f
	cols := s.cols
	first := 1
	if s.parent != "" {
		_ = f.SetCellStr(s.name, "A1", s.parentHeader)
		_ = f.SetColWidth(s.name, "A", "A", 28)
		first = 2
	}
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(first+i, 1)
		_ = f.SetCellStr(s.name, cell, c.header)
		col, _ := excelize.ColumnNumberToName(first + i)
		_ = f.SetColStyle(s.name, col, b.style[c.kind])
		if c.width > 0 {
			_ = f.SetColWidth(s.name, col, col, c.width)
		}
	}
	last, _ := excelize.CoordinatesToCellName(first+len(cols)-1, 1)
	row := 2
	var err error
	if s.parent == "" {
		items, _ := document.Lookup(b.plan, s.list)
		row, err = b.items(s, "", items, s.list, row)
		if err != nil {
			return err
		}
	} else {
		_ = f.SetColStyle(s.name, "A", b.style[kindText])
		parents, _ := document.Lookup(b.plan, s.parent)
		list, _ := parents.([]any)
		seen := map[string]bool{}
		for i, p := range list {
			pm, _ := p.(map[string]any)
			ptr := s.parent + "/" + strconv.Itoa(i)
			items, ok := document.Lookup(pm, "/"+s.list)
			if !ok || isEmpty(items) {
				continue
			}
			key, _ := pm[s.parentKey].(string)
			where := describePointer(ptr)
			switch {
			case key == "":
				b.problems = append(b.problems, fmt.Sprintf("%s has no %s, so its rows on the %s sheet could not say which it belongs to; give it one", where, s.parentKey, s.name))
				continue
			case seen[key]:
				b.problems = append(b.problems, fmt.Sprintf("%s %q appears more than once; the %s sheet links rows to it by %s, so merge the entries first", where, key, s.name, s.parentKey))
				continue
			}
			seen[key] = true
			row, err = b.items(s, key, items, ptr+"/"+s.list, row)
			if err != nil {
				return err
			}
		}
	}
	_ = f.SetCellStyle(s.name, "A1", last, b.header)
	end := row + inputRows
	if s.parent != "" {
		if err := b.validateRange(s.name, 1, end, describe(schemaPath(&sheet{list: s.parent}, column{field: s.parentKey})), column{kind: kindText}); err != nil {
			return err
		}
	}
	for i, c := range cols {
		if c.kind == kindReference {
			continue
		}
		if err := b.validateRange(s.name, first+i, end, describe(schemaPath(s, c)), c); err != nil {
			return err
		}
	}
	return b.protect(s.name)
}

// items writes the items of one list from row on, and returns the next
// free row.
func (b *builder) items(s *sheet, key string, items any, ptr string, row int) (int, error) {
	if items == nil {
		return row, nil
	}
	list, ok := items.([]any)
	if !ok {
		b.problems = append(b.problems, fmt.Sprintf("%s should be a list", describePointer(ptr)))
		b.used[ptr] = true
		return row, nil
	}
	b.used[ptr] = true
	first := 1
	if s.parent != "" {
		first = 2
	}
	for i, item := range list {
		ip := ptr + "/" + strconv.Itoa(i)
		b.used[ip] = true
		if s.parent != "" {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			_ = b.f.SetCellStr(s.name, cell, key)
		}
		for j, c := range s.cols {
			cell, _ := excelize.CoordinatesToCellName(first+j, row)
			if c.kind == kindReference {
				b.putReference(s, c, cell, key, item)
				continue
			}
			if c.field == "" {
				b.put(s.name, cell, c, item, ip)
				continue
			}
			m, ok := item.(map[string]any)
			if !ok {
				b.problems = append(b.problems, fmt.Sprintf("%s should be a set of fields", describePointer(ip)))
				break
			}
			if v, ok := document.Lookup(m, "/"+c.field); ok {
				b.put(s.name, cell, c, v, ip+"/"+c.field)
			}
		}
		row++
	}
	return row, nil
}

// putReference writes a published METIP figure, for reference.
func (b *builder) putReference(s *sheet, c column, cell, key string, item any) {
	m, _ := item.(map[string]any)
	var n float64
	var ok bool
	switch c.published {
	case "total":
		table, _ := m["table"].(string)
		n, ok = published(b.region, table, "")
	default:
		name, _ := m["name"].(string)
		n, ok = published(b.region, key, name)
	}
	if ok {
		_ = b.f.SetCellFloat(s.name, cell, n, -1, 64)
	}
}

// put writes one value into a cell as its column's kind says, or
// records why it cannot.
func (b *builder) put(sheetName, cell string, c column, v any, ptr string) {
	b.used[ptr] = true
	bad := func(want string) {
		b.problems = append(b.problems, fmt.Sprintf("%s is %s, but the workbook's %s column holds %s", describePointer(ptr), describeValue(v), c.header, want))
	}
	if v == nil {
		if !c.blank {
			bad("a value")
		}
		return
	}
	switch c.kind {
	case kindText, kindDate:
		s, ok := v.(string)
		if !ok {
			bad("text")
			return
		}
		_ = b.f.SetCellStr(sheetName, cell, s)
	case kindInteger, kindNumber, kindMoney, kindPercent:
		n, ok := v.(json.Number)
		if !ok {
			bad("a number")
			return
		}
		b.number(sheetName, cell, n)
	case kindValue:
		switch x := v.(type) {
		case json.Number:
			b.number(sheetName, cell, x)
		case string:
			_ = b.f.SetCellStr(sheetName, cell, x)
		default:
			bad("a number or text")
		}
	case kindList:
		list, ok := v.([]any)
		if !ok {
			bad("a list")
			return
		}
		parts := make([]string, len(list))
		for i, x := range list {
			s, ok := x.(string)
			if !ok || s == "" || strings.Contains(s, ",") || strings.TrimSpace(s) != s {
				bad("a list of names without commas")
				return
			}
			parts[i] = s
			b.used[ptr+"/"+strconv.Itoa(i)] = true
		}
		_ = b.f.SetCellStr(sheetName, cell, strings.Join(parts, ", "))
	}
}

// number writes a number cell, keeping every digit the plan has.
func (b *builder) number(sheetName, cell string, n json.Number) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		_ = b.f.SetCellInt(sheetName, cell, i)
		return
	}
	x, _ := strconv.ParseFloat(string(n), 64)
	_ = b.f.SetCellFloat(sheetName, cell, x, -1, 64)
}

// validateRange adds the drop-down list or range check of a column, from
// row 2 to row end.
func (b *builder) validateRange(sheetName string, col, end int, info fieldInfo, c column) error {
	from, _ := excelize.CoordinatesToCellName(col, 2)
	to, _ := excelize.CoordinatesToCellName(col, end)
	return b.addValidation(sheetName, from+":"+to, info, c)
}

// addValidation adds the drop-down list or range check of a cell or range.
func (b *builder) addValidation(sheetName, sqref string, info fieldInfo, c column) error {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(sqref)
	switch {
	case len(info.allowed) > 0 && c.kind != kindList:
		if err := dv.SetDropList(info.allowed); err != nil {
			return fmt.Errorf("drop-down list for %s: %w", c.header, err)
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, c.header, "Choose one of: "+strings.Join(info.allowed, ", "))
	case info.min != nil && info.max != nil:
		if err := dv.SetRange(*info.min, *info.max, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
			return fmt.Errorf("range for %s: %w", c.header, err)
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, c.header, fmt.Sprintf("Enter a whole number from %g to %g", *info.min, *info.max))
	default:
		return nil
	}
	return b.f.AddDataValidation(sheetName, dv)
}

// protect freezes the header row and protects the sheet, leaving the
// input cells editable and rows insertable.
func (b *builder) protect(name string) error {
	if err := b.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	return b.f.ProtectSheet(name, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, InsertRows: true, DeleteRows: true,
		FormatColumns: true, FormatRows: true, Sort: true, AutoFilter: true,
	})
}

// unused records every value of the plan that no sheet holds.
func (b *builder) unused(ptr string, v any) {
	if b.used[ptr] && !isContainer(v) {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			b.unused(ptr+"/"+document.EscapePointerToken(k), x[k])
		}
	case []any:
		for i, item := range x {
			b.unused(ptr+"/"+strconv.Itoa(i), item)
		}
	default:
		if !b.used[ptr] {
			b.problems = append(b.problems, fmt.Sprintf("%s has no column in the workbook; remove it or move it to a field the plan layout has", describePointer(ptr)))
		}
	}
}

// isContainer reports whether v is a map or a list.
func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// isEmpty reports whether v is nil or an empty list.
func isEmpty(v any) bool {
	l, ok := v.([]any)
	return v == nil || ok && len(l) == 0
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// describePointer names a place in the plan for a message: the JSON
// pointer, as the plan's fields are named.
func describePointer(ptr string) string {
	if ptr == "" {
		return "the plan"
	}
	return "the value at " + ptr
}

// describeValue says what a value is, for a message.
func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "empty (null)"
	case string:
		return strconv.Quote(x) + " (text)"
	case json.Number:
		return string(x) + " (a number)"
	case bool:
		return strconv.FormatBool(x) + " (true/false)"
	case []any:
		return "a list"
	case map[string]any:
		return "a set of fields"
	}
	return fmt.Sprint(v)
}
