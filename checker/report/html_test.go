package report

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hee-rdp/rdpcheck/checker"
)

// htmlTestPlans are the plan files of htmlTestReport, written to a
// temporary working directory so that the excerpts are deterministic.
// plans/missing.yaml is deliberately absent.
var htmlTestPlans = map[string]string{
	"plans/broken.yaml": "schema_version: rdp/v1\nregion: London\nregion: London\n",
	"plans/clean.yaml":  "schema_version: rdp/v1\nregion: London\n",
	"plans/failing.yaml": `schema_version: rdp/v1
region: North East and Yorkshire
financial_year: 2022/23
objectives:
  - id: RR1
    actions:
      - title: Expand clinical placements
        owner: ""
  - id: FW1
    kpis:
      - id: FW1-01
        target: 4.5
        baseline: 4.1   # < 12 months old & unverified
budget:
  allocation: 976.0
  declared_total: 977.1
`,
}

// htmlTestReport is a report on htmlTestPlans: an unreadable plan, a
// failing plan with findings on its first and last lines, one without a
// line, one with HTML in its message, a new one and a waived one, a plan
// read from standard input and one that has gone missing (both without
// excerpts), and a clean plan with a finding resolved since the baseline.
func htmlTestReport() *checker.Report {
	return &checker.Report{
		Version: checker.ReportVersion,
		Files: []checker.FileResult{
			{
				Path:   "-",
				Region: "South West",
				Findings: []checker.Finding{{
					Rule: "RDP-KPI-004", Severity: checker.SeverityWarning, Objective: "FW2",
					Path: "/objectives/2/kpis/0/target", Line: 3, Column: 9,
					Message: "KPI target is for 2021/22, not the plan year 2022/23",
				}},
			},
			{
				Path:  "plans/broken.yaml",
				Error: &checker.FileError{Message: `duplicate key "region" (first at 2:1)`, Line: 3, Column: 1},
			},
			{
				Path: "plans/clean.yaml", Region: "London",
				Resolved: []checker.Finding{{
					Rule: "RDP-OWN-001", Severity: checker.SeverityError, Objective: "RR1",
					Path: "/objectives/0/actions/1/owner", Message: "Action 2 has no owner",
				}},
			},
			{
				Path:   "plans/failing.yaml",
				Region: "North East and Yorkshire",
				Findings: []checker.Finding{
					{
						Rule: "RDP-GOV-001", Severity: checker.SeverityInfo, Objective: checker.PlanWide,
						Message: "No senior responsible owner is named for the plan",
					},
					{
						Rule: "RDP-BUD-002", Severity: checker.SeverityError, Objective: checker.PlanWide,
						Path: "/budget/declared_total", Line: 16, Column: 3,
						Message: "Budget total £977.100m is over the allocation of £976.000m by £1.100m",
					},
					{
						Rule: "SCHEMA", Severity: checker.SeverityError, Objective: checker.PlanWide,
						Path: "/schema_version", Line: 1, Column: 17,
						Message: `schema_version "rdp/v1" is deprecated`,
					},
					{
						Rule: "RDP-OWN-001", Severity: checker.SeverityError, Objective: "RR1",
						Path: "/objectives/0/actions/0/owner", Line: 8, Column: 16,
						Message: "Action 1 has no owner; name the accountable post holder", Change: checker.ChangeNew,
					},
					{
						Rule: "RDP-KPI-004", Severity: checker.SeverityWarning, Objective: "FW1",
						Path: "/objectives/1/kpis/0/target", Line: 12, Column: 17,
						Message: "KPI target 4.5% is below the national ambition of 5.0%", Title: "KPI meets national ambition",
					},
					{
						Rule: "RDP-KPI-007", Severity: checker.SeverityInfo, Objective: "FW1",
						Path: "/objectives/1/kpis/0/baseline", Line: 13, Column: 19,
						Message: "KPI baseline is < 12 months old & not yet verified <script>alert(1)</script>",
					},
					{
						Rule: "RDP-KPI-004", Severity: checker.SeverityWarning, Objective: "FW2",
						Path: "/objectives/1/kpis/0/target", Line: 12, Column: 17,
						Message: "KPI target is for 2021/22, not the plan year 2022/23", Waiver: markupTestWaiver,
					},
				},
			},
			{
				Path:   "plans/missing.yaml",
				Region: "London",
				Findings: []checker.Finding{{
					Rule: "RDP-OWN-001", Severity: checker.SeverityError, Objective: "RR1",
					Path: "/objectives/0/actions/0/owner", Line: 2, Message: "Action 1 has no owner",
				}},
			},
		},
		Summary:    checker.Summary{Files: 5, Unchecked: 1, Errors: 4, Warnings: 2, Infos: 2, Waived: 1, New: 1, Resolved: 1},
		Provenance: testProvenance(),
	}
}

// writeHTMLTestPlans writes htmlTestPlans into a new directory.
func writeHTMLTestPlans(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range htmlTestPlans {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// renderHTMLTestReport writes the html report of htmlTestReport from a
// working directory holding htmlTestPlans. The working directory is
// changed in a subtest, so the caller's is restored on return.
func renderHTMLTestReport(t *testing.T, opt Options) []byte {
	t.Helper()
	dir := writeHTMLTestPlans(t)
	var out []byte
	t.Run("render", func(t *testing.T) {
		t.Chdir(dir)
		out = renderView(t, FormatHTML, opt, htmlTestReport(), testObjectives, markupTestRules)
	})
	if out == nil {
		t.FailNow()
	}
	return out
}

func TestHTMLGolden(t *testing.T) {
	golden(t, "html.golden", renderHTMLTestReport(t, Options{ToolVersion: "v1.2.3"}))
}

func TestHTMLExcerpts(t *testing.T) {
	out := string(renderHTMLTestReport(t, Options{}))
	for _, want := range []string{
		// first line: the excerpt starts there
		"<figcaption>plans/failing.yaml, lines 1–3</figcaption>\n<pre><code>" +
			`<mark class="hit"><span class="ln"><span aria-hidden="true">▶ </span>1</span>schema_version: rdp/v1</mark>` + "\n" +
			`<span class="ln">2</span>region: North East and Yorkshire` + "\n" +
			`<span class="ln">3</span>financial_year: 2022/23` + "\n</code></pre>",
		// last line: the excerpt ends there
		"<figcaption>plans/failing.yaml, lines 14–16</figcaption>",
		`<mark class="hit"><span class="ln"><span aria-hidden="true">▶ </span>16</span>  declared_total: 977.1</mark>` + "\n</code></pre>",
		// the plan's text is escaped
		`<span class="ln">13</span>        baseline: 4.1   # &lt; 12 months old &amp; unverified`,
		"<figcaption>plans/failing.yaml, lines 6–10</figcaption>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	// Standard input, a missing file and a finding without a line have no
	// excerpt: six excerpts in all, for the six located findings of
	// plans/failing.yaml.
	if got := strings.Count(out, `<figure class="excerpt">`); got != 6 {
		t.Errorf("html has %d excerpts, want 6", got)
	}
	for _, absent := range []string{"<figcaption>-,", "<figcaption>plans/missing.yaml"} {
		if strings.Contains(out, absent) {
			t.Errorf("html has an excerpt it cannot have: %q", absent)
		}
	}
}

func TestHTMLWaiversAndBaseline(t *testing.T) {
	out := string(renderHTMLTestReport(t, Options{}))
	for _, want := range []string{
		"5 files checked, 1 could not be checked: 4 errors, 2 warnings, 2 infos, 1 waived; since the baseline 1 new, 1 resolved",
		`<details class="objective sev-waived" id="plan-4-3" open>` + "\n" + `<summary><h3>FW2 — <span class="mark" aria-hidden="true">✔</span> 1 waived</h3></summary>`,
		`<li class="finding sev-warning waived">` + "\n" + `<h4><span class="severity"><span class="mark" aria-hidden="true">⚠</span> warning</span> <span class="badge">waived</span> `,
		"<dt>Waived</dt><dd>until 2023-03-31 by J. Smith &lt;jsmith&gt;: baseline verified by the regional analyst | 2022 (waivers.yaml:4)</dd>",
		`<span class="severity"><span class="mark" aria-hidden="true">✖</span> error</span> <span class="badge">new</span> <a href="https://github.com/hee-rdp/rdpcheck/blob/main/docs/rules.md#rdp-own-001">`,
		`<p class="status-ok"><span class="mark" aria-hidden="true">✔</span> No findings.</p>` + "\n" +
			`<details class="objective resolved" open>` + "\n" +
			`<summary><h3>Resolved since the baseline — <span class="mark" aria-hidden="true">✔</span> 1 finding</h3></summary>`,
		`<li><code>RDP-OWN-001</code> (RR1) <a href="https://github.com/hee-rdp/rdpcheck/blob/main/docs/rules.md#rdp-own-001">Every action has an owner</a> — Action 2 has no owner</li>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}

func TestHTMLReadsEachFileOnce(t *testing.T) {
	dir := writeHTMLTestPlans(t)
	reads := map[string]int{}
	h := &htmlReporter{readFile: func(path string) ([]byte, error) {
		reads[path]++
		return htmlReadSource(filepath.Join(dir, path))
	}}
	var buf bytes.Buffer
	if err := h.Write(&buf, NewView(htmlTestReport(), testObjectives, nil)); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"plans/failing.yaml": 1, "plans/missing.yaml": 1}
	if len(reads) != len(want) {
		t.Errorf("read %v, want %v", reads, want)
	}
	for path, n := range want {
		if reads[path] != n {
			t.Errorf("read %s %d times, want %d (all reads: %v)", path, reads[path], n, reads)
		}
	}
}

// htmlPageTags are the elements the html report is made of.
var htmlPageTags = map[string]bool{}

func init() {
	for _, name := range strings.Fields(`html head meta title style body header main section footer h1 h2 h3 h4 p a
		div table caption thead tbody tr th td ul ol li span details summary code pre mark dl dt dd figure figcaption`) {
		htmlPageTags[name] = true
	}
}

func TestHTMLEscapesAndIsSelfContained(t *testing.T) {
	r := htmlTestReport()
	r.Files[3].Region = `<img src=x onerror=alert(1)>`
	out := string(renderView(t, FormatHTML, Options{DocsURL: "javascript:alert(1)", ToolVersion: `"><script>`}, r, testObjectives, markupTestRules))
	// Only the page's own tags, none of which loads anything.
	for _, tag := range regexp.MustCompile(`<[a-zA-Z][^>]*>`).FindAllString(out, -1) {
		name := strings.ToLower(regexp.MustCompile(`^<([a-zA-Z0-9]+)`).FindStringSubmatch(tag)[1])
		if !htmlPageTags[name] || regexp.MustCompile(`(?i)\s(src|srcset|on[a-z]+)=`).MatchString(tag) {
			t.Errorf("html contains the tag %s", tag)
		}
	}
	for _, bad := range []string{"javascript:", "url(", "@import", "http://"} {
		if strings.Contains(out, bad) {
			t.Errorf("html contains %q", bad)
		}
	}
	for _, want := range []string{
		"KPI baseline is &lt; 12 months old &amp; not yet verified &lt;script&gt;alert(1)&lt;/script&gt;",
		`>&lt;img src=x onerror=alert(1)&gt;</a>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}

func TestHTMLDocsURL(t *testing.T) {
	out := string(renderView(t, FormatHTML, Options{DocsURL: "https://example.org/docs/rules.md#top"}, testReport(), testObjectives, markupTestRules))
	for _, want := range []string{
		`<a href="https://example.org/docs/rules.md#rdp-bud-002"><code>RDP-BUD-002</code> Budget within allocation</a>`,
		`<a href="https://example.org/docs/rules.md">docs/rules.md</a>`,
		`<code>RDP-GOV-001</code></h4>`, // undocumented: no link, no title
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	out = string(renderView(t, FormatHTML, Options{}, testReport(), testObjectives, markupTestRules))
	if want := `<a href="https://github.com/hee-rdp/rdpcheck/blob/main/docs/rules.md#rdp-own-001"><code>RDP-OWN-001</code> Every action has an owner</a>`; !strings.Contains(out, want) {
		t.Errorf("html lacks %q", want)
	}
}

func TestHTMLEmptyReport(t *testing.T) {
	out := string(renderView(t, FormatHTML, Options{}, &checker.Report{Version: checker.ReportVersion}, testObjectives, nil))
	for _, want := range []string{"<p>No plan files were checked.</p>", "0 files checked: 0 errors, 0 warnings, 0 infos"} {
		if !strings.Contains(out, want) {
			t.Errorf("html of an empty report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<table") {
		t.Errorf("html of an empty report has a table")
	}
}

// chromium returns the path of the Chromium browser. When it is missing
// it installs the Debian package chromium if the test runs as root, and
// otherwise skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	find := func() string {
		if path, err := exec.LookPath("chromium"); err == nil {
			return path
		}
		if _, err := os.Stat("/usr/bin/chromium"); err == nil {
			return "/usr/bin/chromium"
		}
		return ""
	}
	if path := find(); path != "" {
		return path
	}
	if os.Geteuid() != 0 {
		t.Skip("chromium is not on PATH nor at /usr/bin/chromium, and the test is not root so cannot apt-get install it; install the Debian package chromium to run this test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	install := func(args ...string) error {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Logf("apt-get %s: %v\n%s", strings.Join(args, " "), err, lastLines(out, 20))
		}
		return err
	}
	t.Log("chromium is missing: installing the Debian package chromium")
	if err := install("install", "-y", "--no-install-recommends", "chromium"); err != nil {
		// A fresh machine may have no package lists yet.
		if install("update") != nil || install("install", "-y", "--no-install-recommends", "chromium") != nil {
			t.Skip("chromium is missing and apt-get install -y chromium failed (see the log above); install the Debian package chromium to run this test")
		}
	}
	path := find()
	if path == "" {
		t.Skip("apt-get installed chromium but it is not on PATH nor at /usr/bin/chromium")
	}
	return path
}

// lastLines returns the last n lines of out.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// runChromium runs headless Chromium on a page with the given extra
// arguments and returns its standard output.
func runChromium(t *testing.T, browser, page string, args ...string) []byte {
	t.Helper()
	profile, err := os.MkdirTemp("", "rdpcheck-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	// Chromium's helpers may still be writing as it exits; a profile left
	// behind must not fail the test.
	t.Cleanup(func() { os.RemoveAll(profile) })
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	argv := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--user-data-dir=" + profile,
	}, args...)
	argv = append(argv, (&url.URL{Scheme: "file", Path: page}).String())
	cmd := exec.CommandContext(ctx, browser, argv...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = errors.New("timed out after 90s")
		}
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, lastLines(stderr.Bytes(), 30))
	}
	return stdout.Bytes()
}

// domTableCells matches the cells of a row of the status table in the DOM.
var domTableCells = regexp.MustCompile(`<td class="([^"]*)"(?: data-objective="([^"]*)")?[^>]*>(.*?)</td>`)

// domCellParts matches what a status cell shows and what it says to
// screen readers.
var domCellParts = regexp.MustCompile(`<span aria-hidden="true">(.*?)</span><span class="visually-hidden">(.*?)</span>`)

// domText is the text of a fragment of the DOM, its tags removed.
func domText(fragment string) string {
	return strings.TrimSpace(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(fragment, ""))
}

func TestHTMLInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	browser := chromium(t)
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, renderHTMLTestReport(t, Options{ToolVersion: "v1.2.3"}), 0o644); err != nil {
		t.Fatal(err)
	}

	dom := string(runChromium(t, browser, page, "--dump-dom"))
	if !strings.Contains(dom, `<table class="status">`) {
		t.Fatalf("the DOM has no status table:\n%s", dom)
	}
	// The browser saw the page as written: five objective columns, one row
	// per plan, and the plan's text as text, not markup.
	head := regexp.MustCompile(`(?s)<thead>(.*?)</thead>`).FindStringSubmatch(dom)
	if head == nil {
		t.Fatalf("the status table has no thead:\n%s", dom)
	}
	var columns []string
	for _, m := range regexp.MustCompile(`<th scope="col">(.*?)</th>`).FindAllStringSubmatch(head[1], -1) {
		columns = append(columns, domText(m[1]))
	}
	if got, want := strings.Join(columns, " "), "Plan plan-wide RR1 FW1 FW2"; got != want {
		t.Errorf("status table columns = %q, want %q", got, want)
	}
	if strings.Contains(dom, "<script") {
		t.Errorf("a plan's <script> became an element in the DOM")
	}

	// A cell shows a mark and a count, and tells screen readers in words.
	type cell struct{ class, shown, label string }
	rows := map[string][]cell{}
	for _, m := range regexp.MustCompile(`(?s)<tr data-file="([^"]*)">(.*?)</tr>`).FindAllStringSubmatch(dom, -1) {
		for _, c := range domTableCells.FindAllStringSubmatch(m[2], -1) {
			x := cell{class: c[1], shown: domText(c[3])}
			if parts := domCellParts.FindStringSubmatch(c[3]); parts != nil {
				x.shown, x.label = domText(parts[1]), domText(parts[2])
			}
			rows[m[1]] = append(rows[m[1]], x)
		}
	}
	ok := cell{"status-ok", "✔", "no findings"}
	want := map[string][]cell{
		"-":                  {ok, ok, ok, {"status-warning", "⚠ 1", "1 warning"}},
		"plans/broken.yaml":  {{"status-unchecked", "⊘ not checked", ""}},
		"plans/clean.yaml":   {ok, ok, ok, ok},
		"plans/failing.yaml": {{"status-error", "✖ 2", "2 errors, 1 info"}, {"status-error", "✖ 1", "1 error"}, {"status-warning", "⚠ 2", "1 warning, 1 info"}, {"status-ok", "✔ (1 waived)", "1 waived"}},
		"plans/missing.yaml": {ok, {"status-error", "✖ 1", "1 error"}, ok, ok},
	}
	if len(rows) != len(want) {
		t.Errorf("status table has rows for %d plans, want %d", len(rows), len(want))
	}
	for file, cells := range want {
		got := rows[file]
		if len(got) != len(cells) {
			t.Errorf("row of %s has cells %q, want %q", file, got, cells)
			continue
		}
		for i := range cells {
			if got[i] != cells[i] {
				t.Errorf("row of %s, cell %d = %q, want %q", file, i+1, got[i], cells[i])
			}
		}
	}
	if !regexp.MustCompile(`<td class="status-unchecked" colspan="4">`).MatchString(dom) {
		t.Errorf("the unreadable plan's row does not span the objectives")
	}
	// The failing plan's plan-wide cell links to its section, which holds
	// the excerpt with the finding's line highlighted.
	section := regexp.MustCompile(`(?s)<details class="objective sev-error" id="plan-4-0" open="">(.*?)</details>`).FindStringSubmatch(dom)
	if section == nil {
		t.Fatalf("no open plan-wide section for plans/failing.yaml in the DOM")
	}
	if !strings.Contains(section[1], `<mark class="hit"><span class="ln"><span aria-hidden="true">▶ </span>16</span>  declared_total: 977.1</mark>`) {
		t.Errorf("plan-wide section lacks the highlighted line 16:\n%s", section[1])
	}

	img, data := screenshot(t, browser, page, "1280,1024")
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		t.Fatalf("screenshot is %dx%d", b.Dx(), b.Dy())
	}
	if n := colours(img, 16); n < 16 {
		t.Errorf("screenshot has only %d colours: the page did not render", n)
	}
	t.Logf("screenshot: %d bytes, %v", len(data), img.Bounds())
}

// screenshot has Chromium take a screenshot of page at the given window
// size ("width,height") and returns it decoded, with the PNG's bytes.
func screenshot(t *testing.T, browser, page, size string) (image.Image, []byte) {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "report.png")
	runChromium(t, browser, page, "--hide-scrollbars", "--window-size="+size, "--screenshot="+shot)
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	return img, data
}

// colours counts the distinct colours of img, up to limit.
func colours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
