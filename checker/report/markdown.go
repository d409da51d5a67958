package report

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// FormatMarkdown is the GitHub-flavoured Markdown report, for a
// pull-request comment.
const FormatMarkdown = "markdown"

func init() {
	register(FormatMarkdown, func(opt Options) Reporter {
		return &markdownReporter{docsURL: opt.DocsURL, version: opt.ToolVersion}
	})
}

// markdownReporter writes the report as GitHub-flavoured Markdown for a
// pull-request comment: a heading with the summary, the status of each
// plan by objective as a table, then each plan's findings in a collapsed
// block per objective.
type markdownReporter struct {
	docsURL string
	version string
}

// Markdown status marks, as GitHub renders them.
const (
	mdMarkError     = "❌"
	mdMarkWarning   = "⚠️"
	mdMarkInfo      = "ℹ️"
	mdMarkOK        = "✅"
	mdMarkUnchecked = "⛔"
	mdMarkNew       = "🆕"
	mdMarkWaived    = "🔕"
)

// Write writes v as Markdown. The layout is:
//
//	## ❌ rdpcheck: 3 files checked, 1 could not be checked: 2 errors, 1 warning, 2 infos
//
//	| plan | plan-wide | RR1 | FW1 |
//	|:---|:---:|:---:|:---:|
//	| broken.yaml | ⛔ not checked | — | — |
//	| failing.yaml (Region) | ❌ 1 | ❌ 1 | ⚠️ 2 |
//	| clean.yaml (Region) | ✅ | ✅ | ✅ |
//
//	### failing.yaml (Region)
//
//	<details><summary>plan-wide — ❌ 1 error, ℹ️ 1 info</summary>
//
//	- ❌ **RDP-BUD-002** [title](docs#rdp-bud-002) — line 412: message
//	  - Standard: …
//	  - Fix: …
//
//	</details>
//
// A ❌ cell counts the objective's errors; a ⚠️ cell, whose worst finding
// is a warning or an info, counts its findings. Waived findings count in
// neither (a ✅ cell says how many there are) but are listed, with their
// waiver; 🆕 marks a finding that is new since the baseline report, and
// each plan's findings resolved since then follow its objectives. Plans
// without findings appear only in the table. A finding's rule links to its anchor in the
// rules documentation (Options.DocsURL) when the rule is documented in
// v.Rules; its standard comes from the finding or else the rule, and the
// fix is the rule's remediation.
//
// Every text taken from the report (paths, regions, objectives, rule ids,
// messages) is made safe by clean and then escaped (mdText): a word that
// would mention, reference or link (@team, #12, owner/repo#1, a URL,
// [x](y)) goes in a code span, HTML's < > & become entities and Markdown's
// punctuation (including the table's |) is backslash-escaped, so that a
// plan can neither break the layout, inject HTML or images, nor mention
// people or issues in the comment.
func (m *markdownReporter) Write(w io.Writer, v *View) error {
	if err := checkView(v); err != nil {
		return err
	}
	s := v.Report.Summary
	var b bytes.Buffer
	mark := map[string]string{StateError: mdMarkError, StateWarning: mdMarkWarning}[v.Overall()]
	if mark == "" {
		mark = mdMarkOK
	}
	fmt.Fprintf(&b, "## %s rdpcheck: %s\n\n", mark, summaryLine(s))
	if len(v.Files) == 0 {
		b.WriteString("No plan files were checked.\n")
	} else {
		m.writeTable(&b, v)
		for _, f := range v.Files {
			m.writeFile(&b, v, f)
		}
	}
	writeNationalMarkdown(&b, v.Report.National)
	writeNotesMarkdown(&b, v.Report.PublishedNotes)
	if p := provenance(v.Report.Provenance); p != nil {
		fmt.Fprintf(&b, "\n**%s.** %s Rulebook sha256 `%s`.\n", provenanceHeading, mdText(p.Headline), p.Rulebook)
		for _, c := range p.Changes {
			fmt.Fprintf(&b, "- changed: %s\n", mdText(c))
		}
		for _, r := range p.Read {
			fmt.Fprintf(&b, "- read %s %s (sha256 `%s`)\n", mdText(r.What), mdText(r.Path), r.Hash)
		}
	}
	if m.version != "" {
		fmt.Fprintf(&b, "\n<sub>rdpcheck %s</sub>\n", html.EscapeString(clean(m.version)))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeTable writes the status table and its legend.
func (m *markdownReporter) writeTable(b *bytes.Buffer, v *View) {
	b.WriteString("| plan |")
	for _, o := range v.Objectives {
		fmt.Fprintf(b, " %s |", mdText(markupObjective(o)))
	}
	b.WriteString("\n|:---|")
	b.WriteString(strings.Repeat(":---:|", len(v.Objectives)))
	b.WriteByte('\n')
	for _, f := range v.Files {
		fmt.Fprintf(b, "| %s |", mdText(f.RowLabel()))
		for i, o := range v.Objectives {
			var cell string
			switch {
			case f.Error != nil && i == 0:
				cell = mdMarkUnchecked + " not checked"
			case f.Error != nil:
				cell = "—"
			default:
				cell = mdStatusCell(f.Status(o))
			}
			fmt.Fprintf(b, " %s |", cell)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(b, "\n%s no findings (or only waived ones) · %s warnings or infos (count of findings) · %s errors (count of errors) · %s could not be checked",
		mdMarkOK, mdMarkWarning, mdMarkError, mdMarkUnchecked)
	if v.Report.Summary.New > 0 {
		fmt.Fprintf(b, " · %s new since the baseline", mdMarkNew)
	}
	if v.Report.Summary.Waived > 0 {
		fmt.Fprintf(b, " · %s waived", mdMarkWaived)
	}
	b.WriteByte('\n')
	var legend []string
	for _, o := range v.Objectives {
		if title := v.Title(o); title != "" {
			legend = append(legend, "**"+mdText(markupObjective(o))+"** "+mdText(title))
		}
	}
	if len(legend) > 0 {
		fmt.Fprintf(b, "\nObjectives: %s\n", strings.Join(legend, " · "))
	}
}

// mdStatusCell is one cell of the status table.
func mdStatusCell(g *Group) string {
	switch state, n := g.State(); state {
	case StateError:
		return mdMarkError + " " + strconv.Itoa(n)
	case StateWarning:
		return mdMarkWarning + " " + strconv.Itoa(n)
	case StateWaived:
		return mdMarkOK + " (" + strconv.Itoa(n) + " waived)"
	}
	return mdMarkOK
}

// writeFile writes a plan's section: why it could not be checked, and its
// findings in one collapsed block per objective. Plans without findings
// or errors have no section; the table shows them.
func (m *markdownReporter) writeFile(b *bytes.Buffer, v *View, f FileView) {
	if f.Error == nil && len(f.Findings) == 0 && len(f.Resolved) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### %s\n", mdText(markupPlanName(f)))
	if f.Error != nil {
		fmt.Fprintf(b, "\n%s **Could not be checked:** %s\n", mdMarkUnchecked, mdText(fileError(f.Path, f.Error)))
	}
	for _, g := range f.Groups {
		fmt.Fprintf(b, "\n<details><summary>%s — %s</summary>\n\n",
			mdHTML(markupHeading(v, g.Objective)), markupCounts(g, mdCountMarks))
		for _, fd := range g.Findings {
			m.writeFinding(b, v, fd)
		}
		b.WriteString("\n</details>\n")
	}
	if len(f.Resolved) > 0 {
		fmt.Fprintf(b, "\n<details><summary>%s resolved since the baseline — %s</summary>\n\n",
			mdMarkOK, plural(len(f.Resolved), "finding", "findings"))
		for _, fd := range f.Resolved {
			fmt.Fprintf(b, "- **%s** (%s)", mdText(fd.Rule), mdText(markupObjective(fd.Objective)))
			m.writeTitle(b, v, fd)
			fmt.Fprintf(b, " — %s\n", mdText(fd.Message))
		}
		b.WriteString("\n</details>\n")
	}
}

// writeFinding writes one finding as a list item, with its standard,
// fix and waiver as a nested list.
func (m *markdownReporter) writeFinding(b *bytes.Buffer, v *View, fd checker.Finding) {
	rule := v.Rules[fd.Rule]
	fmt.Fprintf(b, "- %s ", mdSeverityMark(fd.Severity))
	if fd.Change == checker.ChangeNew {
		b.WriteString(mdMarkNew + " ")
	}
	fmt.Fprintf(b, "**%s**", mdText(fd.Rule))
	m.writeTitle(b, v, fd)
	b.WriteString(" —")
	if fd.Sheet != "" {
		fmt.Fprintf(b, " %s:", mdText(cellRef(fd.Sheet, fd.Cell)))
	} else if fd.Line > 0 {
		fmt.Fprintf(b, " line %d:", fd.Line)
	}
	fmt.Fprintf(b, " %s\n", mdText(fd.Message))
	if std := findingStandard(fd, rule); std != "" {
		fmt.Fprintf(b, "  - Standard: %s\n", mdText(std))
	}
	if rule.Remediation != "" {
		fmt.Fprintf(b, "  - Fix: %s\n", mdText(rule.Remediation))
	}
	if fd.Waiver != nil {
		fmt.Fprintf(b, "  - %s Waived %s\n", mdMarkWaived, mdText(markupWaiver(fd.Waiver)))
	}
}

// writeTitle writes a finding's title, its own or else its rule's, linked
// to the rule's documentation when the rule is documented.
func (m *markdownReporter) writeTitle(b *bytes.Buffer, v *View, fd checker.Finding) {
	rule, documented := v.Rules[fd.Rule]
	title := fd.Title
	if title == "" {
		title = rule.Title
	}
	switch {
	case documented:
		if title == "" {
			title = "documentation"
		}
		fmt.Fprintf(b, " [%s](%s)", mdText(title), mdURL(ruleURL(m.docsURL, fd.Rule)))
	case title != "":
		fmt.Fprintf(b, " %s", mdText(title))
	}
}

// mdCountMarks mark the counts of the details' summaries.
var mdCountMarks = map[string]string{"error": mdMarkError, "warning": mdMarkWarning, "info": mdMarkInfo, "waived": mdMarkWaived}

// markupCounts describes a group's findings, e.g. "2 errors, 1 warning,
// 1 waived", each count preceded by its mark when marks has one.
func markupCounts(g Group, marks map[string]string) string {
	var parts []string
	add := func(n int, kind, one, many string) {
		if n > 0 {
			part := plural(n, one, many)
			if marks[kind] != "" {
				part = marks[kind] + " " + part
			}
			parts = append(parts, part)
		}
	}
	add(g.Errors, "error", "error", "errors")
	add(g.Warnings, "warning", "warning", "warnings")
	add(g.Infos, "info", "info", "infos")
	add(markupUnwaived(&g)-g.Errors-g.Warnings-g.Infos, "other", "other finding", "other findings")
	add(g.Waived, "waived", "waived", "waived")
	return strings.Join(parts, ", ")
}

// markupUnwaived counts the findings of a group that are not waived.
func markupUnwaived(g *Group) int {
	return len(g.Findings) - g.Waived
}

// markupWaiver describes the waiver that accepts a finding, e.g.
// "until 2023-03-31 by J. Smith: agreed with the region (waivers.yaml:4)".
func markupWaiver(w *checker.Waiver) string {
	text := "until " + w.Expires
	if w.ApprovedBy != "" {
		text += " by " + w.ApprovedBy
	}
	if w.Justification != "" {
		text += ": " + w.Justification
	}
	if w.Source != "" {
		text += " (" + w.Source + ")"
	}
	return text
}

// mdSeverityMark is the mark of a finding's severity.
func mdSeverityMark(s checker.Severity) string {
	switch s {
	case checker.SeverityError:
		return mdMarkError
	case checker.SeverityWarning:
		return mdMarkWarning
	case checker.SeverityInfo:
		return mdMarkInfo
	}
	return "•"
}

// mdText escapes text from a report for Markdown inline text, including
// table cells: see markdownReporter.Write. The text is first made safe by
// clean; then each word that GitHub would turn into a mention, an issue
// or pull-request reference, or a link (see mdLinky) is put in a code
// span, where GitHub does none of these, and in every other word HTML's
// < > & become entities and Markdown's punctuation is backslash-escaped.
func mdText(s string) string {
	words := strings.Split(clean(s), " ")
	for i, w := range words {
		if mdLinky(w) {
			words[i] = mdCode(w)
			continue
		}
		var b strings.Builder
		for _, r := range w {
			switch r {
			case '&':
				b.WriteString("&amp;")
			case '<':
				b.WriteString("&lt;")
			case '>':
				b.WriteString("&gt;")
			case '\\', '`', '*', '_', '[', ']', '|', '~':
				b.WriteByte('\\')
				b.WriteRune(r)
			default:
				b.WriteRune(r)
			}
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}

// mdHTML escapes text for the HTML parts of the Markdown report (the
// <summary> of a collapsed block), where Markdown is not read but GitHub
// still finds mentions and references: linky words go in <code>.
func mdHTML(s string) string {
	words := strings.Split(clean(s), " ")
	for i, w := range words {
		words[i] = html.EscapeString(w)
		if mdLinky(w) {
			words[i] = "<code>" + words[i] + "</code>"
		}
	}
	return strings.Join(words, " ")
}

// mdCommitLike matches what GitHub may link as a commit: 7 to 40
// hexadecimal digits.
var mdCommitLike = regexp.MustCompile(`^[0-9a-fA-F]{7,40}$`)

// mdLinky reports whether GitHub would turn a word into a mention
// (@team), a reference (#12, owner/repo#1, GH-12), a link (a URL, www.…,
// an e-mail address) or a commit link, or whether it holds link, image or
// HTML syntax ([x](y), ![](…), <img>).
func mdLinky(w string) bool {
	lower := strings.ToLower(w)
	return strings.ContainsAny(w, "@#") || strings.Contains(w, "](") || strings.Contains(lower, "://") ||
		strings.Contains(lower, "www.") || strings.Contains(lower, "gh-") ||
		(mdCommitLike.MatchString(w) && strings.ContainsAny(lower, "abcdef"))
}

// mdCode puts a word in a code span: delimited by one more backtick than
// the longest run inside it (padded with spaces when it starts or ends
// with one), with | escaped so that it cannot split a table cell.
func mdCode(w string) string {
	longest, run := 0, 0
	for _, r := range w {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	w = strings.ReplaceAll(w, "|", `\|`)
	if strings.HasPrefix(w, "`") || strings.HasSuffix(w, "`") {
		w = " " + w + " "
	}
	return fence + w + fence
}

// mdURL makes a link destination safe inside Markdown's (…).
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(clean(u))
}

// markupObjective names an objective for headings and columns: its id,
// with the plan-wide group spelt out.
func markupObjective(objective string) string {
	switch objective {
	case checker.PlanWide:
		return "plan-wide"
	case "":
		return "(no objective)"
	}
	return objective
}

// markupHeading names an objective with its title, for group headings.
func markupHeading(v *View, objective string) string {
	if title := v.Title(objective); title != "" && objective != checker.PlanWide {
		return markupObjective(objective) + " " + title
	}
	return markupObjective(objective)
}

// markupPlanName is a file's path followed by its region, when known.
func markupPlanName(f FileView) string {
	if f.Region == "" {
		return f.Path
	}
	return f.Path + " (" + f.Region + ")"
}
