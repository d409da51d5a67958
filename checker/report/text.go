package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/hee-rdp/rdpcheck/checker"
)

// ANSI escape sequences used when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// textReporter writes the Report for people: grouped by file, then by
// objective, one finding a line, then a summary.
type textReporter struct {
	color bool
}

// Write writes r as plain text. The layout is:
//
//	path/to/plan.yaml (Region)
//	  plan (plan-wide)
//	    path/to/plan.yaml:412:3 error RDP-BUD-002 message
//	  FW1
//	    path/to/plan.yaml:88:7 warning RDP-KPI-004 message
//	path/to/clean.yaml (Region): no findings
//	path/to/broken.yaml: could not be checked: path/to/broken.yaml:3:5: message
//
//	3 files checked, 1 could not be checked: 1 error, 1 warning, 0 infos
//
// Findings are grouped where consecutive findings share an objective; the
// order of r is kept as it is. A finding's title and standard are not
// shown, so that each finding stays on one line; control characters
// (newlines, tabs, escape codes) in any text taken from the report are
// replaced by spaces for the same reason. The summary line repeats
// r.Summary as given.
func (t *textReporter) Write(w io.Writer, r *checker.Report) error {
	if r == nil {
		return errNilReport
	}
	var b bytes.Buffer
	for i := range r.Files {
		t.writeFile(&b, &r.Files[i])
	}
	if len(r.Files) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(summaryLine(r.Summary))
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// writeFile writes one file's block: a single line for a clean or
// unreadable file, or a header followed by its findings grouped by
// objective.
func (t *textReporter) writeFile(b *bytes.Buffer, f *checker.FileResult) {
	header := t.paint(ansiBold, clean(f.Path))
	if f.Region != "" {
		header += " (" + clean(f.Region) + ")"
	}
	switch {
	case len(f.Findings) == 0 && f.Error == nil:
		fmt.Fprintf(b, "%s: no findings\n", header)
		return
	case len(f.Findings) == 0:
		fmt.Fprintf(b, "%s: could not be checked: %s\n", header, fileError(f.Path, f.Error))
		return
	}

	fmt.Fprintf(b, "%s\n", header)
	if f.Error != nil {
		fmt.Fprintf(b, "  could not be checked: %s\n", fileError(f.Path, f.Error))
	}
	for i, fd := range f.Findings {
		if i == 0 || fd.Objective != f.Findings[i-1].Objective {
			fmt.Fprintf(b, "  %s\n", objectiveLabel(fd.Objective))
		}
		fmt.Fprintf(b, "    %s %s %s %s\n",
			location(f.Path, fd.Line, fd.Column),
			t.severity(fd.Severity),
			clean(fd.Rule),
			clean(fd.Message))
	}
}

// severity returns the severity word, coloured when colour is on: red for
// errors, yellow for warnings, cyan for infos. Unknown severities are
// written as they are, uncoloured.
func (t *textReporter) severity(s checker.Severity) string {
	word := clean(string(s))
	switch s {
	case checker.SeverityError:
		return t.paint(ansiRed, word)
	case checker.SeverityWarning:
		return t.paint(ansiYellow, word)
	case checker.SeverityInfo:
		return t.paint(ansiCyan, word)
	}
	return word
}

// paint wraps s in the given ANSI code when colour is on.
func (t *textReporter) paint(code, s string) string {
	if !t.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

// objectiveLabel names an objective group: the objective id, with the
// plan-wide group spelt out.
func objectiveLabel(objective string) string {
	switch objective {
	case checker.PlanWide:
		return checker.PlanWide + " (plan-wide)"
	case "":
		return "(no objective)"
	}
	return clean(objective)
}

// location formats file:line:col, leaving out what is unknown (zero).
func location(path string, line, column int) string {
	loc := clean(path)
	if line > 0 {
		loc += ":" + strconv.Itoa(line)
		if column > 0 {
			loc += ":" + strconv.Itoa(column)
		}
	}
	return loc
}

// fileError formats why a file could not be checked, prefixed by its
// location when the error has one and the message does not already
// start with the file name.
func fileError(path string, e *checker.FileError) string {
	msg := clean(e.Message)
	if e.Line > 0 && !strings.HasPrefix(e.Message, path+":") {
		msg = location(path, e.Line, e.Column) + ": " + msg
	}
	return msg
}

// summaryLine counts files and findings, e.g.
// "3 files checked, 1 could not be checked: 1 error, 2 warnings, 0 infos".
func summaryLine(s checker.Summary) string {
	line := plural(s.Files, "file", "files") + " checked"
	if s.Unchecked > 0 {
		line += fmt.Sprintf(", %d could not be checked", s.Unchecked)
	}
	return line + ": " +
		plural(s.Errors, "error", "errors") + ", " +
		plural(s.Warnings, "warning", "warnings") + ", " +
		plural(s.Infos, "info", "infos")
}

// plural writes n followed by the singular noun for exactly one, the
// plural otherwise (including zero).
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// clean replaces control characters (newlines, tabs, ESC, ...) with
// spaces, so that text from plans and policies can neither break the
// one-line-per-finding layout nor send escape codes to the terminal.
func clean(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
