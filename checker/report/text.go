package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

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

func init() {
	register(FormatText, func(opt Options) Reporter { return &textReporter{color: opt.Color} })
}

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
// shown, so that each finding stays on one line; any text taken from the
// report goes through clean, so that it stays on its line and can carry
// neither escape codes nor workflow commands. The summary line repeats
// r.Summary as given.
func (t *textReporter) Write(w io.Writer, v *View) error {
	if err := checkView(v); err != nil {
		return err
	}
	r := v.Report
	var b bytes.Buffer
	for _, f := range v.Files {
		t.writeFile(&b, v, f)
	}
	writeNationalText(&b, r.National)
	t.writeNotesText(&b, r.PublishedNotes)
	if len(r.Files) > 0 {
		b.WriteByte('\n')
		t.writeMatrix(&b, v)
	}
	b.WriteString(summaryLine(r.Summary))
	b.WriteByte('\n')
	if p := provenance(r.Provenance); p != nil {
		for _, line := range p.Lines() {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeFile writes one file's block: a single line for a clean or
// unreadable file, or a header followed by its findings grouped by
// objective.
func (t *textReporter) writeFile(b *bytes.Buffer, v *View, f FileView) {
	header := t.paint(ansiBold, clean(f.Path))
	if f.Region != "" {
		header += " (" + clean(f.Region) + ")"
	}
	switch {
	case len(f.Findings) == 0 && f.Error == nil && len(f.Resolved) == 0:
		fmt.Fprintf(b, "%s: no findings\n", header)
		return
	case len(f.Findings) == 0 && f.Error != nil:
		fmt.Fprintf(b, "%s: could not be checked: %s\n", header, fileError(f.Path, f.Error))
		return
	}

	fmt.Fprintf(b, "%s\n", header)
	if f.Error != nil {
		fmt.Fprintf(b, "  could not be checked: %s\n", fileError(f.Path, f.Error))
	}
	for _, g := range f.Groups {
		fmt.Fprintf(b, "  %s\n", objectiveHeading(v, g.Objective))
		for _, fd := range g.Findings {
			fmt.Fprintf(b, "    %s %s %s %s%s\n",
				findingLocation(f.Path, fd),
				t.severity(fd.Severity),
				clean(fd.Rule),
				clean(fd.Message),
				clean(marks(fd)))
		}
	}
	if len(f.Resolved) > 0 {
		b.WriteString("  resolved since the baseline\n")
		for _, fd := range f.Resolved {
			fmt.Fprintf(b, "    %s %s %s\n", clean(fd.Objective), clean(fd.Rule), clean(fd.Message))
		}
	}
}

// marks describes what a finding's waiver and baseline status add to it,
// for one-line formats: " [new]", " [waived until 2023-03-31 by ...: why]".
func marks(f checker.Finding) string {
	var m string
	if f.Change == checker.ChangeNew {
		m += " [new]"
	}
	if f.Waiver != nil {
		m += " [waived " + markupWaiver(f.Waiver) + "]"
	}
	return m
}

// matrixLabel names a file's row in the matrix: its region first, then
// its file (see FileView.RowLabel).
func matrixLabel(f FileView) string {
	return clean(f.RowLabel())
}

// objectiveHeading names an objective group: its label and, for a
// business-plan objective, its title.
func objectiveHeading(v *View, objective string) string {
	if title := v.Title(objective); title != "" && objective != checker.PlanWide {
		return objectiveLabel(objective) + " " + clean(title)
	}
	return objectiveLabel(objective)
}

// writeLegend lists the objectives of the matrix with their titles.
func writeLegend(b *bytes.Buffer, v *View) {
	width := 0
	for _, o := range v.Objectives {
		width = max(width, len(clean(o)))
	}
	if len(v.Titles) > 0 {
		b.WriteString("\nObjectives:\n")
	}
	for _, o := range v.Objectives {
		if title := v.Title(o); title != "" {
			fmt.Fprintf(b, "  %-*s  %s\n", width, clean(o), clean(title))
		}
	}
}

// matrixMark is the one-letter status of an objective in the text matrix.
var matrixMark = map[checker.Severity]string{checker.SeverityError: "E", checker.SeverityWarning: "W", checker.SeverityInfo: "I"}

// matrixHeading heads the matrix's first column, whose rows read
// "Region (file)"; "plan" is the first objective column.
const matrixHeading = "region (file)"

// writeMatrix writes the status matrix: one row per file, one column per
// objective, each cell the worst severity of the file's findings about it.
func (t *textReporter) writeMatrix(b *bytes.Buffer, v *View) {
	width := len(matrixHeading)
	for _, f := range v.Files {
		width = max(width, len([]rune(matrixLabel(f))))
	}
	b.WriteString("Status by objective (E error, W warning, I info, w waived only, . none):\n")
	fmt.Fprintf(b, "  %-*s", width, matrixHeading)
	for _, o := range v.Objectives {
		fmt.Fprintf(b, " %s", clean(o))
	}
	b.WriteByte('\n')
	for _, f := range v.Files {
		var row strings.Builder
		label := matrixLabel(f)
		fmt.Fprintf(&row, "  %s%s", label, strings.Repeat(" ", width-len([]rune(label))))
		if f.Error != nil {
			row.WriteString(" not checked")
		}
		for _, o := range v.Objectives {
			if f.Error != nil {
				break
			}
			mark := "."
			g := f.Status(o)
			switch state, _ := g.State(); state {
			case StateError, StateWarning:
				mark = t.paintSeverity(g.Worst, matrixMark[g.Worst])
			case StateWaived:
				mark = "w"
			}
			fmt.Fprintf(&row, " %s%s", mark, strings.Repeat(" ", len(clean(o))-1))
		}
		b.WriteString(strings.TrimRight(row.String(), " "))
		b.WriteByte('\n')
	}
	writeLegend(b, v)
	b.WriteByte('\n')
}

// severity returns the severity word, coloured when colour is on: red for
// errors, yellow for warnings, cyan for infos. Unknown severities are
// written as they are, uncoloured.
func (t *textReporter) severity(s checker.Severity) string {
	return t.paintSeverity(s, clean(string(s)))
}

// paintSeverity colours text in the colour of a severity.
func (t *textReporter) paintSeverity(s checker.Severity, text string) string {
	switch s {
	case checker.SeverityError:
		return t.paint(ansiRed, text)
	case checker.SeverityWarning:
		return t.paint(ansiYellow, text)
	case checker.SeverityInfo:
		return t.paint(ansiCyan, text)
	}
	return text
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

// findingLocation formats where a finding is: file:Sheet!Cell in a
// workbook, else file:line:col.
func findingLocation(path string, fd checker.Finding) string {
	if fd.Sheet != "" {
		return clean(path) + ":" + cellRef(fd.Sheet, fd.Cell)
	}
	return location(path, fd.Line, fd.Column)
}

// cellRef writes a sheet and cell as a spreadsheet does: Budget!D7, or
// 'Plan-wide risks'!B3 when the sheet's name is more than letters and digits.
func cellRef(sheet, cell string) string {
	name := clean(sheet)
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			name = "'" + strings.ReplaceAll(name, "'", "''") + "'"
			break
		}
	}
	if cell == "" {
		return name
	}
	return name + "!" + clean(cell)
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
	line += ": " +
		plural(s.Errors, "error", "errors") + ", " +
		plural(s.Warnings, "warning", "warnings") + ", " +
		plural(s.Infos, "info", "infos")
	if s.Waived > 0 {
		line += fmt.Sprintf(", %d waived", s.Waived)
	}
	if s.New > 0 || s.Resolved > 0 {
		line += fmt.Sprintf("; since the baseline %d new, %d resolved", s.New, s.Resolved)
	}
	return line + skippedText(s)
}

// skippedText says what the directory walks skipped, when they skipped
// anything: "; skipped 2 files that are not plans".
func skippedText(s checker.Summary) string {
	var parts []string
	if s.SkippedNotPlans > 0 {
		parts = append(parts, plural(s.SkippedNotPlans, "file that is not a plan", "files that are not plans"))
	}
	if s.SkippedNotRegular > 0 {
		parts = append(parts, plural(s.SkippedNotRegular, "entry that is not a regular file (such as a named pipe)", "entries that are not regular files (such as named pipes)"))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; skipped " + strings.Join(parts, " and ")
}

// plural writes n followed by the singular noun for exactly one, the
// plural otherwise (including zero).
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
