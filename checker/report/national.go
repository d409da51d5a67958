package report

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// This file presents the roll-up's national picture (checker.National)
// and its notes on the published tables (Report.PublishedNotes) in text,
// Markdown and HTML. The figures arrive worked out; nothing is added up here.

// notesTitle heads the notes on the published tables in every format.
const notesTitle = "Notes on the published tables"

// notesIntro says what the notes are, for a reader who is not a developer.
const notesIntro = "The business plan's own tables do not add up in these places. They are not any region's fault and do not count towards the result; rdpcheck data check lists them too."

// thousandsText formats a whole number with thousands separators: 12,787.
func thousandsText(n int64) string {
	s := strconv.FormatInt(abs64(n), 10)
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// signedText is thousandsText with a + on positive numbers.
func signedText(n int64) string {
	if n > 0 {
		return "+" + thousandsText(n)
	}
	return thousandsText(n)
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// millionsText formats thousands of pounds as £ million with three
// decimals, exactly: 5449400 is "5,449.400".
func millionsText(k int64) string {
	sign := ""
	if k < 0 {
		sign = "-"
	}
	return fmt.Sprintf("%s%s.%03d", sign, thousandsText(abs64(k)/1000), abs64(k)%1000)
}

// gbpMillions is millionsText with the pound sign and unit: £5,449.400m.
func gbpMillions(k int64) string {
	s := millionsText(k)
	if strings.HasPrefix(s, "-") {
		return "-£" + s[1:] + "m"
	}
	return "£" + s + "m"
}

// percentOf is part of whole in whole percent, rounded half up ("—"
// without a whole).
func percentOf(part, whole int64) string {
	if whole <= 0 {
		return "—"
	}
	return strconv.FormatInt((part*200+whole)/(2*whole), 10) + "%"
}

// shortName is a region's short name for narrow tables.
func shortName(n *checker.National, region string) string {
	for _, r := range n.Regions {
		if r.Region == region && r.Short != "" {
			return r.Short
		}
	}
	return region
}

// plannedRegions are the regions the roll-up has a plan for.
func plannedRegions(n *checker.National) []checker.NationalRegion {
	var out []checker.NationalRegion
	for _, r := range n.Regions {
		if r.Planned {
			out = append(out, r)
		}
	}
	return out
}

// nationalCols adds up a programme's national columns.
func nationalCols(p checker.NationalProgramme) int64 {
	return p.Total - p.RegionalSum
}

// differingShares describes the regions whose planned share of a
// programme is not their published share: "London 13.1% (published 12.9%)".
func differingShares(p checker.NationalProgramme) []string {
	var out []string
	for _, s := range p.Shares {
		if s.Differs {
			out = append(out, fmt.Sprintf("%s %.1f%% (published %.1f%%)", s.Region, s.PlannedPct, s.PublishedPct))
		}
	}
	return out
}

// commitmentFigures are a commitment's planned figure and progress
// towards its target, or dashes when the plans do not measure it.
func commitmentFigures(c checker.Commitment) (planned, progress string) {
	if !c.Measured {
		return "—", "—"
	}
	return thousandsText(c.Planned), percentOf(c.Planned, c.Target)
}

// commitmentStatus says whether the plans meet a measured commitment.
func commitmentStatus(c checker.Commitment) string {
	if !c.Measured {
		return "not shown by the plans' figures"
	}
	if c.Planned >= c.Target {
		return "met"
	}
	return thousandsText(c.Target-c.Planned) + " short"
}

// truncate shortens s to at most n runes, ending in "…" when cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// textTable writes rows as aligned columns, two spaces apart, indented by
// two: figures right-aligned, the first column and the columns named in
// left left-aligned.
func textTable(b *bytes.Buffer, rows [][]string, left ...int) {
	var width []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i == 0 || slices.Contains(left, i) {
				line.WriteString("  " + c + pad)
			} else {
				line.WriteString("  " + pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
}

// nationalNameWidth is the widest programme or heading name in text tables.
const nationalNameWidth = 40

// writeNationalText writes the national picture as compact text tables.
func writeNationalText(b *bytes.Buffer, n *checker.National) {
	if n == nil {
		return
	}
	planned := plannedRegions(n)
	fmt.Fprintf(b, "\nNational picture: the %d regional plans of %d added up against the business plan\n", len(planned), len(n.Regions))
	var legend []string
	for _, r := range n.Regions {
		legend = append(legend, r.Short+" "+clean(r.Region))
	}
	fmt.Fprintf(b, "  Regions: %s.\n", strings.Join(legend, ", "))
	if len(planned) < len(n.Regions) {
		b.WriteString("  Regions without a plan in the roll-up show no figures, so the sums are lower bounds.\n")
	}
	for _, t := range n.METIP {
		fmt.Fprintf(b, "\n  METIP %s: planned starts\n", clean(t.Title))
		header := []string{"programme"}
		for _, r := range planned {
			header = append(header, r.Short)
		}
		header = append(header, "regions", "+national", "published", "difference")
		rows := [][]string{header}
		var shares []string
		for _, p := range t.Programmes {
			row := []string{truncate(clean(p.Name), nationalNameWidth)}
			for _, r := range planned {
				row = append(row, thousandsText(p.Planned[r.Region]))
			}
			row = append(row, thousandsText(p.RegionalSum), thousandsText(nationalCols(p)), thousandsText(p.Figure), signedText(p.Difference))
			rows = append(rows, row)
			if d := differingShares(p); len(d) > 0 {
				shares = append(shares, clean(p.Name)+": "+clean(strings.Join(d, ", ")))
			}
		}
		textTable(b, rows)
		if len(shares) == 0 {
			b.WriteString("  Every region's share of each programme is its published share.\n")
		} else {
			b.WriteString("  Shares of the regions' starts that differ from the published shares:\n")
			for _, s := range shares {
				fmt.Fprintf(b, "    %s\n", s)
			}
		}
	}
	bud := n.Budget
	fmt.Fprintf(b, "\n  Budget (£m): the regions' budgets against the national programme allocation (%s %s)\n", clean(bud.AllocationLabel), gbpMillions(bud.Allocation))
	header := []string{"heading"}
	for _, r := range planned {
		header = append(header, r.Short)
	}
	header = append(header, "regions", "national", "difference")
	rows := [][]string{header}
	for _, h := range bud.Headings {
		row := []string{truncate(clean(h.Heading), nationalNameWidth)}
		for _, r := range planned {
			row = append(row, millionsText(h.Regions[r.Region]))
		}
		rows = append(rows, append(row, millionsText(h.Total), millionsText(h.National), millionsText(h.Total-h.National)))
	}
	row := []string{"Declared totals"}
	for _, r := range planned {
		row = append(row, millionsText(bud.Regions[r.Region]))
	}
	rows = append(rows, append(row, millionsText(bud.Total), millionsText(bud.Allocation), millionsText(-bud.Headroom)))
	textTable(b, rows)
	if bud.Headroom >= 0 {
		fmt.Fprintf(b, "  The regions' budgets add up to %s, %s of the allocation of %s, leaving %s.\n", gbpMillions(bud.Total), percentOf(bud.Total, bud.Allocation), gbpMillions(bud.Allocation), gbpMillions(bud.Headroom))
	} else {
		fmt.Fprintf(b, "  The regions' budgets add up to %s, over the allocation of %s by %s.\n", gbpMillions(bud.Total), gbpMillions(bud.Allocation), gbpMillions(-bud.Headroom))
	}
	b.WriteString("\n  National commitments\n")
	rows = [][]string{{"commitment", "planned", "target", "progress", "status"}}
	for _, c := range n.Commitments {
		plannedText, progress := commitmentFigures(c)
		rows = append(rows, []string{truncate(clean(c.Description), 60), plannedText, thousandsText(c.Target), progress, commitmentStatus(c)})
	}
	textTable(b, rows, 4)
}

// writeNotesText writes the notes on the published tables.
func (t *textReporter) writeNotesText(b *bytes.Buffer, notes []checker.FileResult) {
	if len(notes) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n  %s\n", notesTitle, notesIntro)
	for _, f := range notes {
		for _, fd := range f.Findings {
			fmt.Fprintf(b, "    %s %s %s\n", location(f.Path, fd.Line, fd.Column), clean(fd.Rule), clean(fd.Message))
		}
	}
}

// mdRow writes one Markdown table row.
func mdRow(b *bytes.Buffer, cells []string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + c + " |")
	}
	b.WriteByte('\n')
}

// mdHeader writes a Markdown table header: the first column left-aligned,
// the others right-aligned.
func mdHeader(b *bytes.Buffer, cells []string) {
	mdRow(b, cells)
	b.WriteString("|:---|")
	b.WriteString(strings.Repeat("---:|", len(cells)-1))
	b.WriteByte('\n')
}

// writeNationalMarkdown writes the national picture as Markdown tables,
// each METIP table collapsed.
func writeNationalMarkdown(b *bytes.Buffer, n *checker.National) {
	if n == nil {
		return
	}
	planned := plannedRegions(n)
	fmt.Fprintf(b, "\n### National picture\n\nThe %d regional plans of %d added up against the business plan.", len(planned), len(n.Regions))
	var legend []string
	for _, r := range n.Regions {
		legend = append(legend, mdText(r.Short)+" "+mdText(r.Region))
	}
	fmt.Fprintf(b, " Regions: %s.\n", strings.Join(legend, ", "))
	b.WriteString("\n#### National commitments\n\n")
	mdHeader(b, []string{"commitment", "planned", "target", "progress", "status"})
	for _, c := range n.Commitments {
		plannedText, progress := commitmentFigures(c)
		mdRow(b, []string{mdText(c.Description), plannedText, thousandsText(c.Target), progress, mdText(commitmentStatus(c))})
	}
	bud := n.Budget
	fmt.Fprintf(b, "\n#### Budget (£m) against the national programme allocation (%s %s)\n\n", mdText(bud.AllocationLabel), mdText(gbpMillions(bud.Allocation)))
	header := []string{"heading"}
	for _, r := range planned {
		header = append(header, mdText(r.Short))
	}
	mdHeader(b, append(header, "regions", "national", "difference"))
	for _, h := range bud.Headings {
		row := []string{mdText(h.Heading)}
		for _, r := range planned {
			row = append(row, millionsText(h.Regions[r.Region]))
		}
		mdRow(b, append(row, millionsText(h.Total), millionsText(h.National), millionsText(h.Total-h.National)))
	}
	row := []string{"**Declared totals**"}
	for _, r := range planned {
		row = append(row, millionsText(bud.Regions[r.Region]))
	}
	mdRow(b, append(row, "**"+millionsText(bud.Total)+"**", "**"+millionsText(bud.Allocation)+"**", millionsText(-bud.Headroom)))
	for _, t := range n.METIP {
		var diffs int
		for _, p := range t.Programmes {
			if p.Difference != 0 {
				diffs++
			}
		}
		fmt.Fprintf(b, "\n<details><summary>METIP %s: planned starts, %s off the national figure</summary>\n\n",
			html.EscapeString(clean(t.Title)), plural(diffs, "programme", "programmes"))
		header := []string{"programme"}
		for _, r := range planned {
			header = append(header, mdText(r.Short))
		}
		mdHeader(b, append(header, "regions", "+national", "published", "difference", "shares off the published"))
		for _, p := range t.Programmes {
			row := []string{mdText(p.Name)}
			for _, r := range planned {
				row = append(row, thousandsText(p.Planned[r.Region]))
			}
			shares := "—"
			if d := differingShares(p); len(d) > 0 {
				shares = mdText(strings.Join(d, ", "))
			}
			mdRow(b, append(row, thousandsText(p.RegionalSum), thousandsText(nationalCols(p)), thousandsText(p.Figure), signedText(p.Difference), shares))
		}
		b.WriteString("\n</details>\n")
	}
}

// writeNotesMarkdown writes the notes on the published tables, collapsed.
func writeNotesMarkdown(b *bytes.Buffer, notes []checker.FileResult) {
	var count int
	for _, f := range notes {
		count += len(f.Findings)
	}
	if count == 0 {
		return
	}
	fmt.Fprintf(b, "\n### %s\n\n%s\n\n<details><summary>%s</summary>\n\n", notesTitle, mdText(notesIntro), plural(count, "note", "notes"))
	for _, f := range notes {
		for _, fd := range f.Findings {
			fmt.Fprintf(b, "- **%s** %s — %s\n", mdText(fd.Rule), mdText(location(f.Path, fd.Line, fd.Column)), mdText(fd.Message))
		}
	}
	b.WriteString("\n</details>\n")
}

// esc escapes text for HTML.
func esc(s string) string { return html.EscapeString(clean(s)) }

// svg chart geometry, in CSS pixels.
const (
	svgWidth   = 760
	svgLabel   = 215 // the left column of labels
	svgFigures = 170 // the right column of figures
	svgBar     = svgWidth - svgLabel - svgFigures
)

// barWidth scales value against scale onto the bar area, in whole pixels.
func barWidth(value, scale int64) int64 {
	if scale <= 0 || value <= 0 {
		return 0
	}
	return min(int64(svgBar), (value*svgBar+scale/2)/scale)
}

// svgOpen starts an accessible inline SVG chart with a title and description.
func svgOpen(b *strings.Builder, id string, height int, title, desc string) {
	fmt.Fprintf(b, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" width="%d" height="%d" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">`,
		id, id, id, svgWidth, height, svgWidth, height)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(desc))
}

// metipChart draws, for one METIP table, each region's planned starts
// (the whole table added up) beside its published starts.
func metipChart(b *strings.Builder, n *checker.National, t checker.NationalTable, id string) {
	planned := plannedRegions(n)
	var scale int64
	type pair struct{ planned, published int64 }
	sums := map[string]pair{}
	for _, r := range planned {
		var s pair
		for _, p := range t.Programmes {
			s.planned += p.Planned[r.Region]
			s.published += p.Published[r.Region]
		}
		sums[r.Region] = s
		scale = max(scale, s.planned, s.published)
	}
	const row = 34
	height := 30 + row*len(planned)
	var desc []string
	for _, r := range planned {
		desc = append(desc, fmt.Sprintf("%s planned %s, published %s", r.Region, thousandsText(sums[r.Region].planned), thousandsText(sums[r.Region].published)))
	}
	svgOpen(b, id, height, "METIP "+t.Title+": planned against published starts by region", strings.Join(desc, "; ")+".")
	fmt.Fprintf(b, `<g class="key"><rect x="%d" y="4" width="12" height="10" class="bar-planned"/><text x="%d" y="13">planned</text><rect x="%d" y="4" width="12" height="10" class="bar-published"/><text x="%d" y="13">published (METIP)</text></g>`,
		svgLabel, svgLabel+16, svgLabel+90, svgLabel+106)
	for i, r := range planned {
		y := 24 + i*row
		s := sums[r.Region]
		fmt.Fprintf(b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, svgLabel-8, y+15, esc(r.Region))
		fmt.Fprintf(b, `<rect class="bar-planned" x="%d" y="%d" width="%d" height="12"><title>%s planned %s</title></rect>`, svgLabel, y+2, barWidth(s.planned, scale), esc(r.Region), thousandsText(s.planned))
		fmt.Fprintf(b, `<rect class="bar-published" x="%d" y="%d" width="%d" height="12"><title>%s published %s</title></rect>`, svgLabel, y+15, barWidth(s.published, scale), esc(r.Region), thousandsText(s.published))
		mark := ""
		if s.planned != s.published {
			mark = " (" + signedText(s.planned-s.published) + ")"
		}
		fmt.Fprintf(b, `<text class="figure" x="%d" y="%d">%s / %s%s</text>`, svgWidth-svgFigures+8, y+15, thousandsText(s.planned), thousandsText(s.published), esc(mark))
	}
	b.WriteString("</svg>")
}

// commitmentChart draws each measured commitment as a progress bar.
func commitmentChart(b *strings.Builder, n *checker.National, id string) {
	var measured []checker.Commitment
	for _, c := range n.Commitments {
		if c.Measured {
			measured = append(measured, c)
		}
	}
	if len(measured) == 0 {
		return
	}
	const row = 30
	var desc []string
	for _, c := range measured {
		desc = append(desc, fmt.Sprintf("%s: planned %s against %s (%s)", c.Description, thousandsText(c.Planned), thousandsText(c.Target), percentOf(c.Planned, c.Target)))
	}
	svgOpen(b, id, 8+row*len(measured), "National commitments: the plans' figures against the commitment", strings.Join(desc, "; ")+".")
	for i, c := range measured {
		y := 4 + i*row
		class := "bar-met"
		if c.Planned < c.Target {
			class = "bar-short"
		}
		fmt.Fprintf(b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, svgLabel-8, y+15, esc(truncate(c.Description, 30)))
		fmt.Fprintf(b, `<rect class="bar-track" x="%d" y="%d" width="%d" height="16"/>`, svgLabel, y+3, svgBar)
		fmt.Fprintf(b, `<rect class="%s" x="%d" y="%d" width="%d" height="16"><title>%s: %s of %s</title></rect>`, class, svgLabel, y+3, barWidth(c.Planned, c.Target), esc(c.Description), thousandsText(c.Planned), thousandsText(c.Target))
		fmt.Fprintf(b, `<text class="figure" x="%d" y="%d">%s of %s (%s)</text>`, svgWidth-svgFigures+8, y+15, thousandsText(c.Planned), thousandsText(c.Target), percentOf(c.Planned, c.Target))
	}
	b.WriteString("</svg>")
}

// budgetChart draws each region's budget, and their sum against the
// national programme allocation.
func budgetChart(b *strings.Builder, n *checker.National, id string) {
	bud := n.Budget
	planned := plannedRegions(n)
	scale := max(bud.Allocation, bud.Total)
	const row = 24
	height := 12 + row*(len(planned)+2)
	var desc []string
	for _, r := range planned {
		desc = append(desc, fmt.Sprintf("%s %s", r.Region, gbpMillions(bud.Regions[r.Region])))
	}
	svgOpen(b, id, height, "Regional budgets against the national programme allocation",
		fmt.Sprintf("%s; together %s against the allocation of %s.", strings.Join(desc, "; "), gbpMillions(bud.Total), gbpMillions(bud.Allocation)))
	var cum int64 // the regions so far, in thousands of pounds: each bar starts where the last ended
	for i, r := range planned {
		y := 4 + i*row
		v := bud.Regions[r.Region]
		x0, x1 := barWidth(cum, scale), barWidth(cum+v, scale)
		cum += v
		fmt.Fprintf(b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, svgLabel-8, y+14, esc(r.Region))
		fmt.Fprintf(b, `<rect class="bar-region" x="%d" y="%d" width="%d" height="14"><title>%s %s</title></rect>`, int64(svgLabel)+x0, y+3, max(x1-x0, 0), esc(r.Region), gbpMillions(v))
		fmt.Fprintf(b, `<text class="figure" x="%d" y="%d">%s (%s)</text>`, svgWidth-svgFigures+8, y+14, gbpMillions(v), percentOf(v, bud.Allocation))
	}
	y := 4 + len(planned)*row
	class := "bar-met"
	if bud.Total > bud.Allocation {
		class = "bar-short"
	}
	fmt.Fprintf(b, `<text class="label strong" x="%d" y="%d" text-anchor="end">All regions</text>`, svgLabel-8, y+14)
	fmt.Fprintf(b, `<rect class="%s" x="%d" y="%d" width="%d" height="14"><title>All regions %s</title></rect>`, class, svgLabel, y+3, barWidth(bud.Total, scale), gbpMillions(bud.Total))
	fmt.Fprintf(b, `<text class="figure strong" x="%d" y="%d">%s (%s)</text>`, svgWidth-svgFigures+8, y+14, gbpMillions(bud.Total), percentOf(bud.Total, bud.Allocation))
	y += row
	fmt.Fprintf(b, `<text class="label" x="%d" y="%d" text-anchor="end">Allocation</text>`, svgLabel-8, y+14)
	fmt.Fprintf(b, `<rect class="bar-allocation" x="%d" y="%d" width="%d" height="14"><title>Allocation %s</title></rect>`, svgLabel, y+3, barWidth(bud.Allocation, scale), gbpMillions(bud.Allocation))
	fmt.Fprintf(b, `<text class="figure" x="%d" y="%d">%s</text>`, svgWidth-svgFigures+8, y+14, gbpMillions(bud.Allocation))
	ax := int64(svgLabel) + barWidth(bud.Allocation, scale)
	fmt.Fprintf(b, `<line class="allocation-line" x1="%d" y1="2" x2="%d" y2="%d"/>`, ax, ax, height-2)
	b.WriteString("</svg>")
}

// nationalHTML is the national picture and the notes on the published
// tables as HTML: charts drawn as inline SVG, then the tables. Every text
// is escaped.
func nationalHTML(n *checker.National, notes []checker.FileResult) template.HTML {
	if n == nil && len(notes) == 0 {
		return ""
	}
	var b strings.Builder
	if n != nil {
		planned := plannedRegions(n)
		b.WriteString(`<section class="national" id="national" aria-labelledby="national-heading">`)
		fmt.Fprintf(&b, `<h2 id="national-heading">National picture</h2><p>The %d regional plans of %d added up against the business plan.</p>`, len(planned), len(n.Regions))
		b.WriteString(`<h3>National commitments</h3>`)
		commitmentChart(&b, n, "chart-commitments")
		b.WriteString(`<table class="figures"><thead><tr><th scope="col">Commitment</th><th scope="col">Planned</th><th scope="col">Target</th><th scope="col">Progress</th><th scope="col">Status</th></tr></thead><tbody>`)
		for _, c := range n.Commitments {
			plannedText, progress := commitmentFigures(c)
			fmt.Fprintf(&b, `<tr><th scope="row" title="%s">%s</th><td>%s</td><td>%s</td><td>%s</td><td class="status">%s</td></tr>`, esc(c.Source), esc(c.Description), plannedText, thousandsText(c.Target), progress, esc(commitmentStatus(c)))
		}
		b.WriteString(`</tbody></table>`)
		bud := n.Budget
		fmt.Fprintf(&b, `<h3>Budgets against the national programme allocation (%s %s)</h3>`, esc(bud.AllocationLabel), gbpMillions(bud.Allocation))
		budgetChart(&b, n, "chart-budget")
		b.WriteString(`<div class="table-wrap"><table class="figures"><caption>£ million, by heading</caption><thead><tr><th scope="col">Heading</th>`)
		for _, r := range planned {
			fmt.Fprintf(&b, `<th scope="col" title="%s">%s</th>`, esc(r.Region), esc(r.Short))
		}
		b.WriteString(`<th scope="col">Regions</th><th scope="col">National</th><th scope="col">Difference</th></tr></thead><tbody>`)
		for _, h := range bud.Headings {
			fmt.Fprintf(&b, `<tr><th scope="row" title="%s">%s</th>`, esc(h.NationalRow), esc(h.Heading))
			for _, r := range planned {
				fmt.Fprintf(&b, `<td>%s</td>`, millionsText(h.Regions[r.Region]))
			}
			fmt.Fprintf(&b, `<td>%s</td><td>%s</td><td>%s</td></tr>`, millionsText(h.Total), millionsText(h.National), millionsText(h.Total-h.National))
		}
		b.WriteString(`<tr class="total"><th scope="row">Declared totals</th>`)
		for _, r := range planned {
			fmt.Fprintf(&b, `<td>%s</td>`, millionsText(bud.Regions[r.Region]))
		}
		fmt.Fprintf(&b, `<td>%s</td><td>%s</td><td>%s</td></tr></tbody></table></div>`, millionsText(bud.Total), millionsText(bud.Allocation), millionsText(-bud.Headroom))
		b.WriteString(`<h3>METIP: planned against published starts</h3>`)
		for i, t := range n.METIP {
			fmt.Fprintf(&b, `<h4>%s</h4>`, esc(t.Title))
			metipChart(&b, n, t, fmt.Sprintf("chart-metip-%d", i))
			fmt.Fprintf(&b, `<details class="metip"><summary>%s programmes, starts by region</summary><div class="table-wrap"><table class="figures"><thead><tr><th scope="col">Programme</th>`, strconv.Itoa(len(t.Programmes)))
			for _, r := range planned {
				fmt.Fprintf(&b, `<th scope="col" title="%s">%s</th>`, esc(r.Region), esc(r.Short))
			}
			b.WriteString(`<th scope="col">Regions</th><th scope="col">+ National</th><th scope="col">Published</th><th scope="col">Difference</th></tr></thead><tbody>`)
			for _, p := range t.Programmes {
				fmt.Fprintf(&b, `<tr><th scope="row">%s</th>`, esc(p.Name))
				for _, r := range planned {
					cell := thousandsText(p.Planned[r.Region])
					for _, s := range p.Shares {
						if s.Region == r.Region && s.Differs {
							cell = fmt.Sprintf(`<span class="off" title="share %.1f%%, published %.1f%%">%s</span>`, s.PlannedPct, s.PublishedPct, cell)
						}
					}
					fmt.Fprintf(&b, `<td>%s</td>`, cell)
				}
				class := ""
				if p.Difference != 0 {
					class = ` class="off"`
				}
				fmt.Fprintf(&b, `<td>%s</td><td>%s</td><td>%s</td><td%s>%s</td></tr>`, thousandsText(p.RegionalSum), thousandsText(nationalCols(p)), thousandsText(p.Figure), class, signedText(p.Difference))
			}
			b.WriteString(`</tbody></table></div></details>`)
		}
		b.WriteString(`</section>`)
	}
	var count int
	for _, f := range notes {
		count += len(f.Findings)
	}
	if count > 0 {
		fmt.Fprintf(&b, `<section class="notes" id="published-notes" aria-labelledby="notes-heading"><h2 id="notes-heading">%s</h2><p>%s</p><ul class="notes">`, notesTitle, esc(notesIntro))
		for _, f := range notes {
			for _, fd := range f.Findings {
				fmt.Fprintf(&b, `<li><code>%s</code> <code>%s</code> — %s</li>`, esc(fd.Rule), esc(location(f.Path, fd.Line, fd.Column)), esc(fd.Message))
			}
		}
		b.WriteString(`</ul></section>`)
	}
	return template.HTML(b.String())
}

// nationalSummary is the national picture in one line, for formats with
// no room for tables (GitHub annotations): how many programmes are off
// the national figure, the budgets against the allocation, and each
// measured commitment.
func nationalSummary(n *checker.National) string {
	var programmes, off int
	for _, t := range n.METIP {
		for _, p := range t.Programmes {
			programmes++
			if p.Difference != 0 {
				off++
			}
		}
	}
	parts := []string{
		fmt.Sprintf("%d of %d regional plans", len(plannedRegions(n)), len(n.Regions)),
		fmt.Sprintf("METIP: %d of %d programmes off the national figure", off, programmes),
		fmt.Sprintf("budgets %s against the allocation of %s (%s)", gbpMillions(n.Budget.Total), gbpMillions(n.Budget.Allocation), percentOf(n.Budget.Total, n.Budget.Allocation)),
	}
	for _, c := range n.Commitments {
		if c.Measured {
			parts = append(parts, fmt.Sprintf("%s: %s of %s (%s)", clean(c.Description), thousandsText(c.Planned), thousandsText(c.Target), percentOf(c.Planned, c.Target)))
		}
	}
	return strings.Join(parts, "; ")
}

// junitNational is the national picture as a JUnit test suite: one
// passing test case whose output holds the picture's tables, so that it
// shows beside the plans in a CI test view. The roll-up rules, not this
// suite, decide what fails.
func junitNational(n *checker.National) *junitTestSuite {
	if n == nil {
		return nil
	}
	var b bytes.Buffer
	writeNationalText(&b, n)
	return &junitTestSuite{Name: "national picture", Tests: 1, Cases: []junitTestCase{{
		Name: "national picture", Classname: "national picture", SystemOut: &junitText{strings.TrimPrefix(b.String(), "\n")},
	}}}
}
