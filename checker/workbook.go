package checker

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/workbook"
)

// loadPlan reads a plan file ("-" for stdin): an Excel workbook, chosen
// by its name or its first bytes, through package workbook, and anything
// else as YAML or JSON through package document. For a workbook it also
// returns the locator that maps JSON pointers to sheets and cells.
func (c *Checker) loadPlan(path string, stdin io.Reader) (*document.Document, *workbook.Locator, error) {
	lim := workbook.Limits{MaxBytes: c.opt.Limits.MaxBytes}
	if path == "-" {
		max := c.opt.Limits.MaxBytes
		if max <= 0 {
			max = document.DefaultMaxBytes
		}
		data, err := io.ReadAll(io.LimitReader(stdin, max+1))
		if err != nil {
			return nil, nil, fmt.Errorf("reading standard input: %w", err)
		}
		if workbook.IsWorkbook("", data) {
			plan, loc, err := workbook.ReadBytes("-", data, lim)
			if err != nil {
				return nil, nil, err
			}
			return &document.Document{Name: "-", Value: plan}, loc, nil
		}
		doc, err := document.ReadFrom("-", bytes.NewReader(data), c.opt.Limits)
		return doc, nil, err
	}
	if isWorkbookFile(path) {
		plan, loc, err := workbook.Read(path, lim)
		if err != nil {
			return nil, nil, err
		}
		return &document.Document{Name: path, Value: plan}, loc, nil
	}
	doc, err := readPlan(path, c.opt.Limits)
	return doc, nil, err
}

// isWorkbookFile looks at a file's name and, for a regular file, its
// first bytes (opening a named pipe to look would block).
func isWorkbookFile(path string) bool {
	head := make([]byte, 8)
	if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
		head = nil
	} else if f, err := os.Open(path); err == nil {
		n, _ := io.ReadFull(f, head)
		head = head[:n]
		f.Close()
	}
	return workbook.IsWorkbook(path, head)
}

// locateCells adds the sheet and cell of each finding about a workbook.
func locateCells(findings []Finding, loc *workbook.Locator) {
	if loc == nil {
		return
	}
	for i := range findings {
		findings[i].Sheet, findings[i].Cell = loc.Find(findings[i].Path)
	}
}

// workbookError turns a workbook read error into a FileError with its
// sheet and cell; ok is false for other errors.
func workbookError(err error) (*FileError, bool) {
	var we *workbook.Error
	if !errors.As(err, &we) {
		return nil, false
	}
	msg := we.Msg
	switch {
	case we.Cell != "":
		msg = fmt.Sprintf("sheet %q, cell %s: %s", we.Sheet, we.Cell, we.Msg)
	case we.Sheet != "":
		msg = fmt.Sprintf("sheet %q: %s", we.Sheet, we.Msg)
	}
	return &FileError{Message: msg, Sheet: we.Sheet, Cell: we.Cell}, true
}
