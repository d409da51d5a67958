package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// nationalTestReport is a roll-up of two planned regions of three: London
// plans 10 more Adult Nurse starts than published, the budgets are over
// the allocation, and one commitment is short.
func nationalTestReport() *checker.Report {
	r := checker.NewReport([]checker.FileResult{{Path: checker.NationalRollup, Kind: checker.KindNational, Findings: []checker.Finding{}}})
	r.National = &checker.National{
		Regions: []checker.NationalRegion{{Region: "London", Short: "LDN", Planned: true}, {Region: "Midlands", Short: "MID", Planned: true}, {Region: "South West", Short: "SW"}},
		METIP: []checker.NationalTable{{Table: "clinical", Title: "Clinical <education>", Programmes: []checker.NationalProgramme{{
			Name: "Adult Nurse", Planned: map[string]int64{"London": 110, "Midlands": 100}, Published: map[string]int64{"London": 100, "Midlands": 100, "South West": 50},
			RegionalSum: 210, Total: 210, Figure: 250, Difference: -40,
			Shares: []checker.Share{{Region: "London", PlannedPct: 52.4, PublishedPct: 50, Differs: true}, {Region: "Midlands", PlannedPct: 47.6, PublishedPct: 50, Differs: true}},
		}}}},
		Budget: checker.NationalBudget{
			AllocationLabel: "Total Programme Funding", Allocation: 1000000,
			Regions: map[string]int64{"London": 600500, "Midlands": 450000}, Total: 1050500, Headroom: -50500,
			Headings: []checker.BudgetHeading{{Heading: "Postgraduate medical and dental", Codes: []string{"PGMD"}, NationalRow: "Future workforce", National: 900000,
				Regions: map[string]int64{"London": 500000, "Midlands": 400000}, Total: 900000}},
		},
		Commitments: []checker.Commitment{
			{ID: "gp", Description: "GP trainees recruited a year", Target: 4000, Unit: "trainees", Measured: true, Planned: 3000, Regions: map[string]int64{"London": 1500, "Midlands": 1500}},
			{ID: "midwives", Description: "Additional midwives", Target: 1200, Unit: "midwives"},
		},
	}
	r.PublishedNotes = []checker.FileResult{{Path: "policies/reference/metip/data.json", Kind: checker.KindReference, Findings: []checker.Finding{
		{Rule: "RDP-REF-001", Severity: checker.SeverityWarning, Objective: "reference", Line: 7, Column: 3, Message: "the cells add up to 98 but the published row total is 104"},
	}}}
	return r
}

func renderNational(t *testing.T, format string) string {
	t.Helper()
	rep, err := New(format, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.Write(&b, NewView(nationalTestReport(), []string{checker.PlanWide}, nil)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestNationalPictureInTextAndMarkdown(t *testing.T) {
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{FormatText, []string{
			"National picture: the 2 regional plans of 3",
			"Regions without a plan in the roll-up show no figures, so the sums are lower bounds.",
			"  programme    LDN  MID  regions  +national  published  difference\n  Adult Nurse  110  100      210          0        250         -40\n",
			"Adult Nurse: London 52.4% (published 50.0%), Midlands 47.6% (published 50.0%)",
			"over the allocation of £1,000.000m by £50.500m",
			"  Declared totals                  600.500  450.000  1,050.500  1,000.000      50.500\n",
			"  GP trainees recruited a year    3,000   4,000       75%  1,000 short\n",
			"  Additional midwives                 —   1,200         —  not shown by the plans' figures\n",
			"Notes on the published tables\n",
			"policies/reference/metip/data.json:7:3 RDP-REF-001 the cells add up to 98",
		}},
		{FormatMarkdown, []string{
			"### National picture",
			"| GP trainees recruited a year | 3,000 | 4,000 | 75% | 1,000 short |",
			"| **Declared totals** | 600.500 | 450.000 | **1,050.500** | **1,000.000** | 50.500 |",
			"METIP Clinical &lt;education&gt;: planned starts, 1 programme off the national figure",
			"| Adult Nurse | 110 | 100 | 210 | 0 | 250 | -40 | London 52.4% (published 50.0%), Midlands 47.6% (published 50.0%) |",
			"### Notes on the published tables",
		}},
	} {
		out := renderNational(t, tc.format)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q:\n%s", tc.format, w, out)
			}
		}
		// The notes are no plan's: the status table has no row or column for them.
		if strings.Contains(out, "reference |") || strings.Contains(out, " reference\n") {
			t.Errorf("%s: the notes are in the status table:\n%s", tc.format, out)
		}
	}
}

func TestNationalPictureInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	browser := chromium(t)
	page := filepath.Join(t.TempDir(), "national.html")
	html := renderNational(t, FormatHTML)
	if strings.Contains(html, "<script") || regexp.MustCompile(`(src|href)="https?:`).MatchString(strings.ReplaceAll(html, `href="https://github.com/hee-rdp/rdpcheck/blob/main/docs/rules.md`, "")) {
		t.Error("the national picture uses a script or an external asset")
	}
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(runChromium(t, browser, page, "--dump-dom"))
	charts := regexp.MustCompile(`(?s)<svg class="chart" id="([^"]+)"[^>]*role="img"[^>]*>\s*<title id="[^"]+">(.*?)</title><desc id="[^"]+">(.*?)</desc>(.*?)</svg>`).FindAllStringSubmatch(dom, -1)
	want := map[string][]string{
		"chart-commitments": {"3,000 of 4,000 (75%)"},
		"chart-budget":      {"£600.500m (60%)", "£1,050.500m (105%)", "£1,000.000m"},
		"chart-metip-0":     {"110 / 100 (+10)", "100 / 100"},
	}
	if len(charts) != len(want) {
		t.Fatalf("the DOM has %d charts, want %d:\n%s", len(charts), len(want), dom)
	}
	for _, c := range charts {
		if c[2] == "" || c[3] == "" {
			t.Errorf("chart %s has no title or description", c[1])
		}
		for _, w := range want[c[1]] {
			if !strings.Contains(c[4], w) {
				t.Errorf("chart %s does not show %q beside its bars", c[1], w)
			}
		}
	}
	if !strings.Contains(dom, "Clinical &lt;education&gt;") {
		t.Error("a table title was not escaped")
	}

	img, _ := screenshot(t, browser, page, "1280,2400")
	// The bars are drawn: the planned, short and region colours are on the page.
	for name, colour := range map[string][3]uint32{"planned": {0x1f, 0x5f, 0xa8}, "short": {0xa4, 0x16, 0x1a}, "region": {0x3f, 0x7c, 0xc0}} {
		n := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				if r>>8 == colour[0] && g>>8 == colour[1] && bl>>8 == colour[2] {
					n++
				}
			}
		}
		if n < 500 {
			t.Errorf("the screenshot has %d pixels of the %s bars' colour, want a visible bar", n, name)
		}
	}
}

// The national picture exported for other pages is the html report's
// own: the same charts, and the report's rules that style them.
func TestNationalHTMLAndStylesheet(t *testing.T) {
	if NationalHTML(nil) != "" {
		t.Error("NationalHTML(nil) is not empty")
	}
	r := nationalTestReport()
	if got, want := NationalHTML(r.National), nationalHTML(r.National, nil); got != want || !strings.Contains(string(got), `<svg class="chart" id="chart-commitments"`) {
		t.Errorf("NationalHTML is not the html report's national picture:\n%s", got)
	}
	css := NationalStylesheet()
	for _, want := range []string{":root {", "svg.chart .bar-planned {", "table.figures td {", "section.national h3 {", "svg.chart .allocation-line {"} {
		if !strings.Contains(css, want) {
			t.Errorf("the national stylesheet lacks %q:\n%s", want, css)
		}
		if !strings.Contains(htmlTemplateText, want) {
			t.Errorf("%q is not the html report's rule", want)
		}
	}
	for _, unwanted := range []string{"body {", "h2 {", "@media", "<style>", "print-color-adjust"} {
		if strings.Contains(css, unwanted) {
			t.Errorf("the national stylesheet has %q, which is not about the national picture", unwanted)
		}
	}
}
