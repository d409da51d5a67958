package report

import (
	"github.com/xuri/excelize/v2"

	"bytes"
	_ "embed"
	"fmt"
	"github.com/hee-rdp/rdpcheck/workbook"
	"html/template"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// FormatHTML is the self-contained HTML report, for reviewers.
const FormatHTML = "html"

// htmlTemplateText is the page; html/template escapes everything taken
// from the report.
//
//go:embed html.tmpl
var htmlTemplateText string

var htmlTemplate = template.Must(template.New("html.tmpl").Parse(htmlTemplateText))

// htmlExcerptContext is how many lines the excerpt shows either side of a
// finding's line.
const htmlExcerptContext = 2

// htmlMaxSourceBytes is the largest plan file read for excerpts; larger
// files are shown without excerpts.
const htmlMaxSourceBytes = 64 << 20

func init() {
	register(FormatHTML, func(opt Options) Reporter {
		read := htmlReadSource
		if opt.ReadSource != nil {
			read = opt.ReadSource
		}
		return &htmlReporter{docsURL: opt.DocsURL, version: opt.ToolVersion, readFile: read}
	})
}

// htmlReporter writes the report as one self-contained HTML page: no
// external assets and no script, with a stylesheet for print.
type htmlReporter struct {
	docsURL string
	version string
	// readFile reads a plan file for excerpts; it is a field so that tests
	// can count the reads.
	readFile func(path string) ([]byte, error)
}

// HTML status marks. They are plain text symbols, so that the page reads
// the same without colour and without an emoji font.
const (
	htmlMarkError     = "✖"
	htmlMarkWarning   = "⚠"
	htmlMarkInfo      = "ℹ"
	htmlMarkOK        = "✔"
	htmlMarkUnchecked = "⊘"
)

// Write writes v as an HTML page: a title and the summary; the status
// table, one row per plan and one column per objective, with the same
// semantics as the markdown report (✔ no findings; ⚠ and the number of
// findings when the worst is a warning or an info; ✖ and the number of
// errors) and a legend; then, for each plan and each objective, its
// findings: severity, rule id and title linked to the rule's
// documentation, location, message, standard, remediation and the lines
// of the plan around the finding's line.
//
// The excerpts are read from the files named in the report, relative to
// the working directory, each at most once per Write. A file that cannot
// be read (standard input "-", a missing or irregular file, one that is
// too large) is shown without excerpts. Nothing else about the
// environment, such as the time, goes into the page, so the same report
// and files give the same bytes.
func (h *htmlReporter) Write(w io.Writer, v *View) error {
	if err := checkView(v); err != nil {
		return err
	}
	page := h.page(v)
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, page); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// htmlPage is what the template shows.
type htmlPage struct {
	Summary    string
	Overall    string // status class of the whole run
	Objectives []string
	// Titles are the objectives' titles, by column (tooltips and legend).
	Titles  []string
	Files   []htmlFile
	Version string
	DocsURL string
	Marks   map[string]string
	// National is the roll-up's national picture and notes on the
	// published tables, already escaped (see nationalHTML).
	National template.HTML
	// Provenance says how the report was made (nil when unknown).
	Provenance *Provenance
}

// htmlFile is one plan.
type htmlFile struct {
	ID, Path, Region string
	// Error says why the plan could not be checked, if it could not.
	Error  string
	Cells  []htmlCell
	Groups []htmlGroup
	// Resolved are the baseline's findings that no longer occur, and
	// ResolvedCount says how many.
	Resolved      []htmlFinding
	ResolvedCount string
}

// htmlCell is one cell of the status table.
type htmlCell struct {
	Objective, Class, Mark, Count, Label, Href string
}

// htmlGroup is one objective's findings in a plan.
type htmlGroup struct {
	ID, Objective, Class, Mark, Counts string
	Findings                           []htmlFinding
}

// htmlFinding is one finding.
type htmlFinding struct {
	Severity, Class, Mark, Objective string
	Rule, Title, URL                 string
	Location, Pointer                string
	Message, Standard, Remediation   string
	// New marks a finding that is not in the baseline report; Waiver
	// describes the waiver that accepts it.
	New     bool
	Waiver  string
	Excerpt *htmlExcerpt
}

// htmlExcerpt is the lines of a plan around a finding.
type htmlExcerpt struct {
	Caption string
	Lines   []htmlLine
}

// htmlLine is one line of an excerpt.
type htmlLine struct {
	Number int
	Text   string
	Hit    bool
}

// page prepares v for the template, reading each plan file at most once.
func (h *htmlReporter) page(v *View) *htmlPage {
	s := v.Report.Summary
	p := &htmlPage{
		Summary:    summaryLine(s),
		Overall:    "status-ok",
		Objectives: make([]string, len(v.Objectives)),
		Version:    clean(h.version),
		DocsURL:    docsPage(h.docsURL),
		Provenance: provenance(v.Report.Provenance),
		Marks: map[string]string{
			"error": htmlMarkError, "warning": htmlMarkWarning, "info": htmlMarkInfo,
			"ok": htmlMarkOK, "unchecked": htmlMarkUnchecked,
		},
	}
	p.Overall = "status-" + v.Overall()
	p.National = nationalHTML(v.Report.National, v.Report.PublishedNotes)
	column := map[string]int{}
	if len(v.Titles) > 0 {
		p.Titles = make([]string, len(v.Objectives))
	}
	for i, o := range v.Objectives {
		p.Objectives[i] = clean(markupObjective(o))
		if p.Titles != nil {
			p.Titles[i] = clean(v.Title(o))
		}
		column[o] = i
	}
	sources := map[string][]string{} // path → lines, nil when unreadable
	for i, f := range v.Files {
		hf := htmlFile{ID: "plan-" + strconv.Itoa(i+1), Path: clean(f.Path), Region: clean(f.Region)}
		if f.Error != nil {
			hf.Error = fileError(f.Path, f.Error)
		}
		for _, o := range v.Objectives {
			hf.Cells = append(hf.Cells, htmlStatusCell(hf.ID, column[o], o, f.Status(o)))
		}
		seen := map[string]bool{}
		for _, g := range f.Groups {
			hg := htmlGroup{Objective: clean(markupHeading(v, g.Objective)), Counts: markupCounts(g, nil)}
			hg.Class, hg.Mark = htmlSeverityClass(g.Worst), htmlSeverityMark(g.Worst)
			if markupUnwaived(&g) == 0 {
				hg.Class, hg.Mark = "sev-waived", htmlMarkOK
			}
			if !seen[g.Objective] {
				seen[g.Objective] = true
				hg.ID = hf.ID + "-" + strconv.Itoa(column[g.Objective])
			}
			for _, fd := range g.Findings {
				hg.Findings = append(hg.Findings, h.finding(v, f.Path, fd, sources))
			}
			hf.Groups = append(hf.Groups, hg)
		}
		for _, fd := range f.Resolved {
			r := h.finding(v, f.Path, fd, nil)
			r.Objective = clean(markupObjective(fd.Objective))
			hf.Resolved = append(hf.Resolved, r)
		}
		hf.ResolvedCount = plural(len(hf.Resolved), "finding", "findings")
		p.Files = append(p.Files, hf)
	}
	return p
}

// finding prepares one finding, with the excerpt of its plan file unless
// sources is nil.
func (h *htmlReporter) finding(v *View, path string, fd checker.Finding, sources map[string][]string) htmlFinding {
	rule, documented := v.Rules[fd.Rule]
	hf := htmlFinding{
		Severity:    clean(string(fd.Severity)),
		Class:       htmlSeverityClass(fd.Severity),
		Mark:        htmlSeverityMark(fd.Severity),
		Rule:        clean(fd.Rule),
		Title:       clean(fd.Title),
		Location:    findingLocation(path, fd),
		Pointer:     clean(fd.Path),
		Message:     clean(fd.Message),
		Standard:    clean(findingStandard(fd, rule)),
		Remediation: clean(rule.Remediation),
		New:         fd.Change == checker.ChangeNew,
	}
	if fd.Waiver != nil {
		hf.Waiver = clean(markupWaiver(fd.Waiver))
	}
	if hf.Title == "" {
		hf.Title = clean(rule.Title)
	}
	if documented {
		hf.URL = ruleURL(h.docsURL, fd.Rule)
	}
	if fd.Sheet != "" && path != "-" && sources != nil {
		hf.Excerpt = workbookExcerpt(path, fd, sources)
		return hf
	}
	if fd.Line <= 0 || path == "-" || sources == nil {
		return hf
	}
	lines, read := sources[path]
	if !read {
		lines = h.source(path)
		sources[path] = lines
	}
	if fd.Line > len(lines) {
		return hf
	}
	first, last := max(1, fd.Line-htmlExcerptContext), min(len(lines), fd.Line+htmlExcerptContext)
	ex := &htmlExcerpt{Caption: fmt.Sprintf("%s, lines %d–%d", clean(path), first, last)}
	if first == last {
		ex.Caption = fmt.Sprintf("%s, line %d", clean(path), first)
	}
	for n := first; n <= last; n++ {
		ex.Lines = append(ex.Lines, htmlLine{Number: n, Text: clean(lines[n-1]), Hit: n == fd.Line})
	}
	hf.Excerpt = ex
	return hf
}

// source reads a plan file and splits it into lines; nil when it cannot
// be read.
func (h *htmlReporter) source(path string) []string {
	if h.readFile == nil {
		return nil
	}
	data, err := h.readFile(path)
	if err != nil {
		return nil
	}
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	lines := strings.Split(text, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1] // the newline that ends the last line
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// htmlReadSource reads a regular file of at most htmlMaxSourceBytes.
func htmlReadSource(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if info.Size() > htmlMaxSourceBytes {
		return nil, fmt.Errorf("%s: too large for excerpts", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, htmlMaxSourceBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > htmlMaxSourceBytes {
		return nil, fmt.Errorf("%s: too large for excerpts", path)
	}
	return data, nil
}

// htmlStatusCell is the cell of a plan's row for one objective.
func htmlStatusCell(planID string, column int, objective string, g *Group) htmlCell {
	c := htmlCell{Objective: objective, Class: "status-ok", Mark: htmlMarkOK, Label: "no findings"}
	if g == nil || len(g.Findings) == 0 {
		return c
	}
	c.Href = "#" + planID + "-" + strconv.Itoa(column)
	c.Label = markupCounts(*g, nil)
	switch state, n := g.State(); state {
	case StateError:
		c.Class, c.Mark, c.Count = "status-error", htmlMarkError, strconv.Itoa(n)
	case StateWarning:
		c.Class, c.Mark, c.Count = "status-warning", htmlMarkWarning, strconv.Itoa(n)
	case StateWaived:
		c.Count = "(" + strconv.Itoa(n) + " waived)"
	}
	return c
}

// htmlSeverityClass is the CSS class of a severity.
func htmlSeverityClass(s checker.Severity) string {
	switch s {
	case checker.SeverityError:
		return "sev-error"
	case checker.SeverityWarning:
		return "sev-warning"
	case checker.SeverityInfo:
		return "sev-info"
	}
	return "sev-other"
}

// htmlSeverityMark is the symbol of a severity.
func htmlSeverityMark(s checker.Severity) string {
	switch s {
	case checker.SeverityError:
		return htmlMarkError
	case checker.SeverityWarning:
		return htmlMarkWarning
	case checker.SeverityInfo:
		return htmlMarkInfo
	}
	return "•"
}

// workbookExcerpt shows the row of a workbook a finding is in: each
// column's header and value, the finding's cell marked. The workbook is
// read once per report: its sheets are kept in sources under
// "path\x00sheet", one line a row with the cells joined by \x1f.
func workbookExcerpt(path string, fd checker.Finding, sources map[string][]string) *htmlExcerpt {
	const sep = "\x1f"
	if _, read := sources[path+"\x00"]; !read {
		sources[path+"\x00"] = nil
		if sheets, err := workbook.SheetRows(path); err == nil {
			for name, rows := range sheets {
				lines := make([]string, len(rows))
				for i, r := range rows {
					lines[i] = strings.Join(r, sep)
				}
				sources[path+"\x00"+name] = lines
			}
		}
	}
	lines := sources[path+"\x00"+fd.Sheet]
	col, row, err := excelize.SplitCellName(fd.Cell)
	if err != nil || row < 2 || row > len(lines) || len(lines) == 0 {
		return nil
	}
	headers, values := strings.Split(lines[0], sep), strings.Split(lines[row-1], sep)
	ex := &htmlExcerpt{Caption: fmt.Sprintf("%s, sheet %s, row %d", clean(path), clean(fd.Sheet), row)}
	for i := range max(len(headers), len(values)) {
		name, _ := excelize.ColumnNumberToName(i + 1)
		h, v := "", ""
		if i < len(headers) {
			h = headers[i]
		}
		if i < len(values) {
			v = values[i]
		}
		if h == "" && v == "" {
			continue
		}
		ex.Lines = append(ex.Lines, htmlLine{Number: row, Text: fmt.Sprintf("%s%d %s: %s", name, row, h, v), Hit: name == col})
	}
	return ex
}
