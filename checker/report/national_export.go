package report

import (
	"html/template"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// NationalHTML is the national picture of a roll-up as the html report
// draws it: the charts as inline SVG (no script) and the tables of
// figures, every text escaped. Style it with NationalStylesheet. It is
// empty when n is nil.
func NationalHTML(n *checker.National) template.HTML {
	return nationalHTML(n, nil)
}

// nationalRules are the selectors that begin the html report's style
// rules for the national picture; ":root" holds the colours they use.
var nationalRules = []string{":root ", "section.national ", "svg.chart", "table.figures", "details.metip", "ul.notes "}

// NationalStylesheet is the part of the html report's stylesheet that
// styles NationalHTML, taken from the report's own page template, for
// a page that shows the national picture with its own styles (the
// portal serves it as a stylesheet, as its Content-Security-Policy
// allows no inline style).
func NationalStylesheet() string {
	css := htmlTemplateText[strings.Index(htmlTemplateText, "<style>")+len("<style>") : strings.Index(htmlTemplateText, "</style>")]
	var b strings.Builder
	for _, line := range strings.Split(css, "\n") {
		for _, sel := range nationalRules {
			if strings.HasPrefix(line, sel) {
				b.WriteString(line + "\n")
				break
			}
		}
	}
	return b.String()
}
