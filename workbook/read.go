package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// Defaults for Limits.
const (
	DefaultMaxUncompressed int64 = 64 << 20
	DefaultMaxCells              = 200_000
	maxZipEntries                = 10_000
)

// Limits bound what Read accepts. The zero value means the defaults.
type Limits struct {
	// MaxBytes is the largest workbook file accepted; 0 means
	// document.DefaultMaxBytes.
	MaxBytes int64
	// MaxUncompressed bounds the total unpacked size of the workbook's
	// parts, checked in the zip directory before anything is unpacked
	// (a workbook is a zip file: this refuses decompression bombs).
	MaxUncompressed int64
	// MaxCells bounds the number of cells read from all sheets.
	MaxCells int
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = document.DefaultMaxBytes
	}
	if l.MaxUncompressed <= 0 {
		l.MaxUncompressed = DefaultMaxUncompressed
	}
	if l.MaxCells <= 0 {
		l.MaxCells = DefaultMaxCells
	}
	return l
}

// Error is a workbook rdpcheck cannot read. It names the file and, when
// the fault is in one place, the sheet and cell, and says what to do.
type Error struct {
	File, Sheet, Cell string
	Msg               string
}

// Error formats the error as "file: sheet S, cell C: message".
func (e *Error) Error() string {
	switch {
	case e.Sheet == "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Cell == "":
		return fmt.Sprintf("%s: sheet %q: %s", e.File, e.Sheet, e.Msg)
	}
	return fmt.Sprintf("%s: sheet %q, cell %s: %s", e.File, e.Sheet, e.Cell, e.Msg)
}

// Magic bytes of the containers a spreadsheet may come in.
var (
	zipMagic = []byte("PK\x03\x04")
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// encryptionInfo is the stream an encrypted (password-protected)
	// .xlsx holds in its compound-file container, in UTF-16LE.
	encryptionInfo = utf16le("EncryptionInfo")
)

func utf16le(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, r := range s {
		out = append(out, byte(r), 0)
	}
	return out
}

// IsWorkbook reports whether a file is a spreadsheet rather than a YAML
// or JSON plan, by its name (.xlsx, .xlsm, .xls, .ods) or its first bytes
// (a zip or compound-file container).
func IsWorkbook(name string, head []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm", ".xls", ".ods":
		return true
	}
	return bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, cfbMagic)
}

// Read reads a plan from the workbook file at path.
func Read(path string, lim Limits) (map[string]any, *Locator, error) {
	lim = lim.withDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: fmt.Sprintf("cannot read the file: %v", unwrapPathError(err))}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, lim.MaxBytes+1))
	if err != nil {
		return nil, nil, &Error{File: path, Msg: fmt.Sprintf("cannot read the file: %v", err)}
	}
	return ReadBytes(path, data, lim)
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// ReadBytes reads a plan from a workbook's bytes; name is used in
// messages. It refuses, with an *Error, anything but an unencrypted
// .xlsx within the limits, and a workbook whose sheets or columns do not
// follow the plan layout.
func ReadBytes(name string, data []byte, lim Limits) (map[string]any, *Locator, error) {
	lim = lim.withDefaults()
	fail := func(msg string, args ...any) error { return &Error{File: name, Msg: fmt.Sprintf(msg, args...)} }
	if int64(len(data)) > lim.MaxBytes {
		return nil, nil, fail("the workbook is larger than the limit of %d bytes (--max-file-size); a plan workbook is far smaller, so check that this is the right file", lim.MaxBytes)
	}
	if bytes.HasPrefix(data, cfbMagic) {
		if bytes.Contains(data, encryptionInfo) {
			return nil, nil, fail("the workbook is protected with a password, so rdpcheck cannot read it; in Excel choose File > Info > Protect Workbook > Encrypt with Password, clear the password, save, and check it again")
		}
		return nil, nil, fail("this is an old Excel 97-2003 workbook (.xls), which rdpcheck cannot read; open it in Excel and choose File > Save As > Excel Workbook (*.xlsx), then check the .xlsx")
	}
	if !bytes.HasPrefix(data, zipMagic) {
		if strings.EqualFold(filepath.Ext(name), ".xls") {
			return nil, nil, fail("this .xls file is not an Excel workbook rdpcheck can read; open it in Excel and choose File > Save As > Excel Workbook (*.xlsx), then check the .xlsx")
		}
		return nil, nil, fail("the file is not an Excel workbook (.xlsx): it is damaged or in another format; save it from Excel as Excel Workbook (*.xlsx)")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, fail("the workbook is damaged and cannot be opened (%v); save it again from Excel as Excel Workbook (*.xlsx)", err)
	}
	if err := inspectZip(zr, lim); err != nil {
		return nil, nil, fail("%s", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.MaxUncompressed, UnzipXMLSizeLimit: lim.MaxUncompressed})
	if err != nil {
		return nil, nil, fail("the workbook is damaged and cannot be opened (%v); save it again from Excel as Excel Workbook (*.xlsx)", err)
	}
	defer f.Close()
	r := &reader{f: f, name: name, plan: map[string]any{}, loc: &Locator{cells: map[string]string{}}, cellsLeft: lim.MaxCells, maxCells: lim.MaxCells, parents: map[string]map[string]int{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		r.date1904 = *props.Date1904
	}
	for i := range layout {
		if err := r.sheet(&layout[i]); err != nil {
			return nil, nil, err
		}
	}
	return r.plan, r.loc, nil
}

// inspectZip looks at the zip directory before anything is unpacked: an
// OpenDocument spreadsheet is named as such, and a workbook whose parts
// would unpack to more than the limit is refused.
func inspectZip(zr *zip.Reader, lim Limits) error {
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("the workbook holds %d parts, far more than a plan workbook; it may be built to exhaust memory, so rdpcheck does not open it", len(zr.File))
	}
	var total uint64
	hasWorkbook := false
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		switch zf.Name {
		case "mimetype":
			if zf.UncompressedSize64 < 100 {
				if rc, err := zf.Open(); err == nil {
					b, _ := io.ReadAll(io.LimitReader(rc, 100))
					rc.Close()
					if strings.Contains(string(b), "opendocument") {
						return fmt.Errorf("this is an OpenDocument spreadsheet (.ods), which rdpcheck cannot read; in LibreOffice choose File > Save As and the file type Excel 2007-365 (.xlsx), then check the .xlsx")
					}
				}
			}
		case "xl/workbook.xml":
			hasWorkbook = true
		}
	}
	if total > uint64(lim.MaxUncompressed) {
		return fmt.Errorf("the workbook would unpack to %d bytes, more than the limit of %d; a plan workbook is far smaller, so it may be built to exhaust memory (a decompression bomb) and rdpcheck does not open it", total, lim.MaxUncompressed)
	}
	if !hasWorkbook {
		return fmt.Errorf("the file is a zip archive but not an Excel workbook (it has no xl/workbook.xml); save the plan from Excel as Excel Workbook (*.xlsx)")
	}
	return nil
}

// Locator maps the JSON pointers of a plan read from a workbook to the
// cells they came from.
type Locator struct {
	cells map[string]string // pointer -> "Sheet!A1"
}

// Find returns the sheet and cell of the value at a JSON pointer, or of
// its nearest ancestor that came from a cell; "" when there is none.
func (l *Locator) Find(pointer string) (sheet, cell string) {
	if l == nil {
		return "", ""
	}
	segs := document.SplitPointer(pointer)
	for n := len(segs); n >= 0; n-- {
		p := ""
		for _, s := range segs[:n] {
			p += "/" + document.EscapePointerToken(s)
		}
		if ref, ok := l.cells[p]; ok {
			i := strings.LastIndexByte(ref, '!')
			return ref[:i], ref[i+1:]
		}
	}
	return "", ""
}

// set records the cell of a pointer, unless it already has one.
func (l *Locator) set(pointer, sheet, cell string) {
	if _, ok := l.cells[pointer]; !ok {
		l.cells[pointer] = sheet + "!" + cell
	}
}

// reader reads one workbook into a plan.
type reader struct {
	f         *excelize.File
	name      string
	plan      map[string]any
	loc       *Locator
	date1904  bool
	cellsLeft int
	maxCells  int
	// parents maps, per parent array, an item's key to its index.
	parents map[string]map[string]int
}

func (r *reader) errorAt(sheet, cell, msg string, args ...any) error {
	return &Error{File: r.name, Sheet: sheet, Cell: cell, Msg: fmt.Sprintf(msg, args...)}
}

// rows reads a sheet's cells (raw values), refusing merged cells and
// more cells than the limit allows.
func (r *reader) rows(s *sheet) ([][]string, error) {
	if idx, _ := r.f.GetSheetIndex(s.name); idx < 0 {
		return nil, r.errorAt("", "", "the workbook has no sheet named %q (it has: %s); restore the sheet or its name, as rdpcheck reads sheets by name (rdpcheck init --region REGION -o plan.xlsx writes a workbook with every sheet)", s.name, strings.Join(r.f.GetSheetList(), ", "))
	}
	merged, err := r.f.GetMergeCells(s.name, true)
	if err != nil {
		return nil, r.errorAt(s.name, "", "cannot read the sheet: %v", err)
	}
	if len(merged) > 0 {
		m := merged[0]
		return nil, r.errorAt(s.name, m.GetStartAxis(), "cells %s:%s are merged; unmerge them (Home > Merge & Center > Unmerge Cells) so that each value has its own cell", m.GetStartAxis(), m.GetEndAxis())
	}
	it, err := r.f.Rows(s.name)
	if err != nil {
		return nil, r.errorAt(s.name, "", "cannot read the sheet: %v", err)
	}
	defer it.Close()
	var out [][]string
	for it.Next() {
		row, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, r.errorAt(s.name, "", "cannot read the sheet: %v", err)
		}
		r.cellsLeft -= max(len(row), 1)
		if r.cellsLeft < 0 {
			return nil, r.errorAt(s.name, "", "the workbook holds more cells than the limit of %d; a plan workbook is far smaller, so rdpcheck stops reading it", r.maxCells)
		}
		out = append(out, row)
	}
	return out, it.Error()
}

// sheet reads one sheet of the layout into the plan.
func (r *reader) sheet(s *sheet) error {
	rows, err := r.rows(s)
	if err != nil {
		return err
	}
	if s.fields {
		return r.fieldsSheet(s, rows)
	}
	return r.tableSheet(s, rows)
}

// fieldsSheet reads a sheet of single values by their labels.
func (r *reader) fieldsSheet(s *sheet, rows [][]string) error {
	byLabel := map[string]int{}
	for i, row := range rows {
		if i > 0 && len(row) > 0 {
			if _, dup := byLabel[strings.TrimSpace(row[0])]; !dup {
				byLabel[strings.TrimSpace(row[0])] = i
			}
		}
	}
	for _, c := range s.cols {
		i, ok := byLabel[c.header]
		if !ok {
			return r.errorAt(s.name, "A", "no row is labelled %q in column A; restore the label, as rdpcheck finds each value by it", c.header)
		}
		cell, _ := excelize.CoordinatesToCellName(2, i+1)
		r.locate(c.field, s.name, cell)
		raw := ""
		if len(rows[i]) > 1 {
			raw = rows[i][1]
		}
		v, ok, err := r.value(s.name, cell, raw, c)
		if err != nil {
			return err
		}
		if ok {
			setPointer(r.plan, c.field, v)
		} else if c.blank {
			setPointer(r.plan, c.field, nil)
		}
	}
	return nil
}

// locate records the cell of a pointer and of its ancestors that have none.
func (r *reader) locate(pointer, sheet, cell string) {
	segs := document.SplitPointer(pointer)
	p := ""
	for _, seg := range segs {
		p += "/" + document.EscapePointerToken(seg)
		r.loc.set(p, sheet, cell)
	}
}

// tableSheet reads a sheet of items, one per row.
func (r *reader) tableSheet(s *sheet, rows [][]string) error {
	if len(rows) == 0 {
		rows = [][]string{{}}
	}
	header := map[string]int{}
	for i, h := range rows[0] {
		if h = strings.TrimSpace(h); h != "" {
			if _, dup := header[h]; !dup {
				header[h] = i
			}
		}
	}
	need := []string{}
	if s.parent != "" {
		need = append(need, s.parentHeader)
	}
	for _, c := range s.cols {
		if c.kind != kindReference {
			need = append(need, c.header)
		}
	}
	for _, h := range need {
		if _, ok := header[h]; !ok {
			return r.errorAt(s.name, "", "row 1 has no column headed %q; restore the header, as rdpcheck reads each column by its header", h)
		}
	}
	get := func(row []string, h string) (string, string, int) {
		col := header[h]
		raw := ""
		if col < len(row) {
			raw = row[col]
		}
		return raw, "", col + 1
	}
	keys := map[string]int{}
	if s.parent == "" {
		r.parents[s.list] = keys
	}
	if s.required {
		if _, ok := document.Lookup(r.plan, s.list); !ok {
			setPointer(r.plan, s.list, []any{})
		}
	}
	for i := 1; i < len(rows); i++ {
		row := rows[i]
		if blankRow(row, header, need) && !r.hasFormula(s, i+1, header, need) {
			continue
		}
		first, _ := excelize.CoordinatesToCellName(1, i+1)
		var listPtr string
		var parentKey string
		if s.parent != "" {
			raw, _, col := get(row, s.parentHeader)
			keyCell, _ := excelize.CoordinatesToCellName(col, i+1)
			parentKey = strings.TrimSpace(raw)
			if parentKey == "" {
				return r.errorAt(s.name, keyCell, "the row has no %s; say which %s it belongs to", strings.ToLower(s.parentHeader), strings.ToLower(s.parentHeader))
			}
			idx, ok := r.parents[s.parent][parentKey]
			if !ok {
				ps := sheetFor(s.parent)
				return r.errorAt(s.name, keyCell, "%s %q is not on the %s sheet; add it there or correct this cell", strings.ToLower(s.parentHeader), parentKey, ps.name)
			}
			listPtr = s.parent + "/" + strconv.Itoa(idx) + "/" + s.list
		} else {
			listPtr = s.list
		}
		list, _ := document.Lookup(r.plan, listPtr)
		items, _ := list.([]any)
		itemPtr := listPtr + "/" + strconv.Itoa(len(items))
		r.locate(itemPtr, s.name, first)
		var item any
		if len(s.cols) == 1 && s.cols[0].field == "" {
			c := s.cols[0]
			raw, _, col := get(row, c.header)
			cell, _ := excelize.CoordinatesToCellName(col, i+1)
			v, ok, err := r.value(s.name, cell, raw, c)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			item = v
		} else {
			m := map[string]any{}
			for _, c := range s.cols {
				if c.kind == kindReference {
					continue
				}
				raw, _, col := get(row, c.header)
				cell, _ := excelize.CoordinatesToCellName(col, i+1)
				r.locate(itemPtr+"/"+c.field, s.name, cell)
				v, ok, err := r.value(s.name, cell, raw, c)
				if err != nil {
					return err
				}
				if ok {
					setPointer(m, "/"+c.field, v)
				} else if c.blank {
					setPointer(m, "/"+c.field, nil)
				}
			}
			item = m
			if s.parent == "" {
				if k, ok := m[keyField(s)].(string); ok {
					if _, dup := keys[k]; !dup {
						keys[k] = len(items)
					}
				}
			}
		}
		setPointer(r.plan, listPtr, append(items, item))
	}
	return nil
}

// keyField is the field by which child sheets name an item of s.
func keyField(s *sheet) string {
	for i := range layout {
		if layout[i].parent == s.list {
			return layout[i].parentKey
		}
	}
	return ""
}

// blankRow reports whether a row has no value in the columns read.
func blankRow(row []string, header map[string]int, need []string) bool {
	for _, h := range need {
		if col := header[h]; col < len(row) && strings.TrimSpace(row[col]) != "" {
			return false
		}
	}
	return true
}

// hasFormula reports whether a row without cached values has a formula
// in a column read (so that it is computed rather than skipped).
func (r *reader) hasFormula(s *sheet, row int, header map[string]int, need []string) bool {
	for _, h := range need {
		cell, _ := excelize.CoordinatesToCellName(header[h]+1, row)
		if f, _ := r.f.GetCellFormula(s.name, cell); f != "" {
			return true
		}
	}
	return false
}

// value reads one cell as its column's kind says. ok is false for an
// empty cell.
func (r *reader) value(sheet, cell, raw string, c column) (v any, ok bool, err error) {
	typ, _ := r.f.GetCellType(sheet, cell)
	if raw == "" {
		formula, _ := r.f.GetCellFormula(sheet, cell)
		if formula == "" {
			return nil, false, nil
		}
		raw, err = r.f.CalcCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, false, r.errorAt(sheet, cell, "the formula =%s cannot be worked out (%v); type the value instead", formula, err)
		}
		if raw == "" {
			return nil, false, nil
		}
		typ = excelize.CellTypeUnset
		if _, err := strconv.ParseFloat(raw, 64); err != nil {
			typ = excelize.CellTypeFormula
		}
	}
	isNumber := typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber
	switch c.kind {
	case kindText:
		return raw, true, nil
	case kindDate:
		if isNumber || typ == excelize.CellTypeDate {
			if serial, err := strconv.ParseFloat(raw, 64); err == nil {
				t, err := excelize.ExcelDateToTime(serial, r.date1904)
				if err == nil {
					return t.Format(time.DateOnly), true, nil
				}
			}
		}
		return raw, true, nil
	case kindValue:
		if isNumber {
			if n, ok := plainNumber(raw); ok {
				return n, true, nil
			}
		}
		return raw, true, nil
	case kindList:
		var out []any
		for _, part := range strings.Split(raw, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
		if len(out) == 0 {
			return nil, false, nil
		}
		return out, true, nil
	}
	// the numeric kinds
	if n, ok := plainNumber(strings.TrimSpace(raw)); ok {
		return n, true, nil
	}
	return nil, false, r.errorAt(sheet, cell, "the %s column holds the text %q where a number belongs; %s", c.header, raw, numberHint(raw, c))
}

// plainNumber reads a finite number and writes it in its shortest form
// (so that 466.95699999999999 as Excel stores it reads as 466.957).
func plainNumber(s string) (json.Number, bool) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return "", false
	}
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return json.Number(strconv.FormatInt(int64(x), 10)), true
	}
	return json.Number(strconv.FormatFloat(x, 'f', -1, 64)), true
}

// numberHint says how to write a number the planner wrote as text.
func numberHint(raw string, c column) string {
	cleaned := strings.NewReplacer("£", "", ",", "", "%", "", " ", "").Replace(strings.TrimSpace(raw))
	cleaned = strings.TrimSuffix(strings.TrimSuffix(cleaned, "m"), "M")
	if _, ok := plainNumber(cleaned); ok {
		switch c.kind {
		case kindMoney:
			return fmt.Sprintf("write the amount in £ million as a plain number: %s", cleaned)
		case kindPercent:
			return fmt.Sprintf("write the percentage as a plain number: %s", cleaned)
		}
		return fmt.Sprintf("write it as a plain number: %s", cleaned)
	}
	return "type a plain number in the cell (no units or words)"
}

// setPointer sets the value at a JSON pointer under root, creating the
// objects on the way; list indexes must exist or be the next one.
func setPointer(root map[string]any, pointer string, v any) {
	segs := document.SplitPointer(pointer)
	var cur any = root
	for i, seg := range segs {
		last := i == len(segs)-1
		switch x := cur.(type) {
		case map[string]any:
			if last {
				x[seg] = v
				return
			}
			next, ok := x[seg]
			if !ok {
				next = map[string]any{}
				x[seg] = next
			}
			cur = next
		case []any:
			idx, _ := strconv.Atoi(seg)
			if idx < 0 || idx >= len(x) {
				return
			}
			if last {
				x[idx] = v
				return
			}
			cur = x[idx]
		default:
			return
		}
	}
}

// SheetRows reads every sheet of a workbook as shown (formatted values),
// for a report's excerpts; the same guards as Read apply.
func SheetRows(path string) (map[string][][]string, error) {
	lim := Limits{}.withDefaults()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, lim.MaxBytes)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if err := inspectZip(zr, lim); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.MaxUncompressed, UnzipXMLSizeLimit: lim.MaxUncompressed})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][][]string{}
	cells := lim.MaxCells
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			cells -= max(len(r), 1)
		}
		if cells < 0 {
			return nil, fmt.Errorf("%s holds more than %d cells", path, lim.MaxCells)
		}
		out[name] = rows
	}
	return out, nil
}

// IsPlanWorkbook reports whether the file at path is a workbook in the
// plan layout: a zip holding an Excel workbook that has the layout's
// Submission sheet. It reads only the zip directory and at most 64 KiB of
// the workbook part, so a large or hostile file costs little; a damaged
// file is not a plan.
func IsPlanWorkbook(path string) bool {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name != "xl/workbook.xml" {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		head, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
		return bytes.Contains(head, []byte(`name="`+sheetSubmission+`"`))
	}
	return false
}
