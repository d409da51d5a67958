package main_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hee-rdp/rdpcheck/checker"
)

// validBook writes a valid plan as a workbook, for a test to spoil.
func validBook(t *testing.T, dir string) string {
	t.Helper()
	book := filepath.Join(dir, "valid.xlsx")
	if r := run(t, "", "convert", "fixtures/plans/valid/london.yaml", "-o", book); r.code != 0 {
		t.Fatalf("convert: exit %d\n%s", r.code, r.stderr)
	}
	return book
}

// spoil opens the valid workbook, changes it and saves it under name.
func spoil(t *testing.T, dir, name string, change func(f *excelize.File), opts ...excelize.Options) string {
	t.Helper()
	f, err := excelize.OpenFile(validBook(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	change(f)
	out := filepath.Join(dir, name)
	if err := f.SaveAs(out, opts...); err != nil {
		t.Fatal(err)
	}
	return out
}

func writeBytes(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	out := filepath.Join(dir, name)
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// zipOf builds a zip archive from names and contents.
func zipOf(t *testing.T, entries map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, name := range []string{"mimetype", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		data, ok := entries[name]
		if !ok {
			continue
		}
		fw, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBadWorkbooks: each kind of bad workbook is refused with a clear
// message naming the sheet and cell where there is one, exit 2, and the
// other file of the run is still checked.
func TestBadWorkbooks(t *testing.T) {
	cases := []struct {
		name        string
		make        func(t *testing.T, dir string) string
		sheet, cell string
		want        []string
	}{
		{"missing sheet", func(t *testing.T, dir string) string {
			return spoil(t, dir, "plan.xlsx", func(f *excelize.File) { f.DeleteSheet("Budget") })
		}, "", "", []string{`no sheet named "Budget"`, "restore"}},
		{"renamed sheet", func(t *testing.T, dir string) string {
			return spoil(t, dir, "plan.xlsx", func(f *excelize.File) { f.SetSheetName("KPIs", "Indicators") })
		}, "", "", []string{`no sheet named "KPIs"`, "Indicators"}},
		{"renamed column", func(t *testing.T, dir string) string {
			return spoil(t, dir, "plan.xlsx", func(f *excelize.File) { f.SetCellStr("KPIs", "G1", "Goal") })
		}, "KPIs", "", []string{`no column headed "Target"`}},
		{"merged cells", func(t *testing.T, dir string) string {
			return spoil(t, dir, "plan.xlsx", func(f *excelize.File) { f.MergeCell("Actions", "B3", "C3") })
		}, "Actions", "B3", []string{"B3:C3", "merged", "Unmerge"}},
		{"text in a number cell", func(t *testing.T, dir string) string {
			return spoil(t, dir, "plan.xlsx", func(f *excelize.File) { f.SetCellStr("Budget", "D3", "£238.1m") })
		}, "Budget", "D3", []string{`"£238.1m"`, "plain number: 238.1"}},
		{"child row of an unknown objective", func(t *testing.T, dir string) string {
			return spoil(t, dir, "plan.xlsx", func(f *excelize.File) { f.SetCellStr("Actions", "A2", "FW9") })
		}, "Actions", "A2", []string{`"FW9" is not on the Objectives sheet`}},
		{"password-protected", func(t *testing.T, dir string) string {
			return spoil(t, dir, "plan.xlsx", func(*excelize.File) {}, excelize.Options{Password: "secret"})
		}, "", "", []string{"password", "Encrypt with Password"}},
		{"old .xls", func(t *testing.T, dir string) string {
			return writeBytes(t, dir, "plan.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...))
		}, "", "", []string{"Excel 97-2003", "Save As > Excel Workbook (*.xlsx)"}},
		{".xls renamed .xlsx (detected by its bytes)", func(t *testing.T, dir string) string {
			return writeBytes(t, dir, "plan.xlsx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...))
		}, "", "", []string{"Excel 97-2003"}},
		{"OpenDocument .ods", func(t *testing.T, dir string) string {
			return writeBytes(t, dir, "plan.ods", zipOf(t, map[string][]byte{"mimetype": []byte("application/vnd.oasis.opendocument.spreadsheet")}))
		}, "", "", []string{"OpenDocument", "Excel 2007-365 (.xlsx)"}},
		{"corrupt", func(t *testing.T, dir string) string {
			b, _ := os.ReadFile(validBook(t, dir))
			return writeBytes(t, dir, "plan.xlsx", b[:len(b)/2])
		}, "", "", []string{"damaged"}},
		{"decompression bomb", func(t *testing.T, dir string) string {
			return writeBytes(t, dir, "plan.xlsx", zipOf(t, map[string][]byte{
				"xl/workbook.xml":          []byte("<workbook/>"),
				"xl/worksheets/sheet1.xml": make([]byte, 65<<20),
			}))
		}, "", "", []string{"unpack to", "decompression bomb"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bad := tc.make(t, dir)
			r := run(t, "", "check", "--format", "json", "fixtures/plans/valid/london.yaml", bad)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
			}
			rep := validReport(t, r.stdout)
			var good, got *checker.FileResult
			for i := range rep.Files {
				switch rep.Files[i].Path {
				case bad:
					got = &rep.Files[i]
				case "fixtures/plans/valid/london.yaml":
					good = &rep.Files[i]
				}
			}
			if good == nil || good.Error != nil || len(good.Findings) != 0 || good.Region != "London" {
				t.Errorf("the valid plan's result was lost or spoilt: %+v", good)
			}
			if got == nil || got.Error == nil {
				t.Fatalf("the bad workbook was not refused: %+v", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got.Error.Message, w) {
					t.Errorf("message lacks %q:\n%s", w, got.Error.Message)
				}
			}
			if got.Error.Sheet != tc.sheet || got.Error.Cell != tc.cell {
				t.Errorf("located at sheet %q cell %q, want %q %q", got.Error.Sheet, got.Error.Cell, tc.sheet, tc.cell)
			}
		})
	}
}

// TestWorkbookRollupAndWalk: the roll-up reads workbooks as it reads
// YAML (the same findings), and a directory walk picks up .xlsx files.
func TestWorkbookRollupAndWalk(t *testing.T) {
	dir := t.TempDir()
	for _, f := range fixtures(t, "valid") {
		book := filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".xlsx")
		if r := run(t, "", "convert", f, "-o", book); r.code != 0 {
			t.Fatalf("convert %s: %s", f, r.stderr)
		}
	}
	books := decodeReport(t, run(t, "", "rollup", "--format", "json", dir).stdout)
	plans := decodeReport(t, run(t, "", "rollup", "--format", "json", "fixtures/plans/valid").stdout)
	if books.Summary.Files != plans.Summary.Files || books.Summary.Unchecked != 0 {
		t.Fatalf("roll-up of the workbooks: %+v; of the plans: %+v", books.Summary, plans.Summary)
	}
	for i := range plans.Files {
		if !reflect.DeepEqual(keys(plans.Files[i].Findings), keys(books.Files[i].Findings)) {
			t.Errorf("%s and %s: different roll-up findings", plans.Files[i].Path, books.Files[i].Path)
		}
	}
}

// TestWorkbookOnStdin: a workbook piped to "check -" is recognised by
// its bytes and checked, located by sheet and cell.
func TestWorkbookOnStdin(t *testing.T) {
	dir := t.TempDir()
	book := spoil(t, dir, "plan.xlsx", func(f *excelize.File) { f.SetCellInt("Budget", "D3", 1) })
	data, err := os.ReadFile(book)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, string(data), "check", "-")
	if r.code != 1 || !strings.Contains(r.stdout, "-:Budget!") {
		t.Errorf("exit %d, want 1 with findings located on the Budget sheet\n%s%s", r.code, r.stdout, r.stderr)
	}
}
