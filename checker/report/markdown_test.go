package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// markupTestRules documents some of the rules of testReport, as
// checker.Checker.Rules would: RDP-GOV-001 and RDP-KPI-007 stay
// undocumented, like a user policy's plain-string rule.
var markupTestRules = []checker.Rule{
	{
		ID: "RDP-BUD-002", Title: "Budget is within the allocation", Severity: checker.SeverityError,
		Standard:    "HEE Business Plan 2022/23, section 8",
		Remediation: "Reduce planned spending to the allocation, or record the agreed uplift in budget.allocation.",
	},
	{ID: "RDP-KPI-004", Title: "KPI target is for the plan year", Severity: checker.SeverityError},
	{
		ID: "RDP-OWN-001", Title: "Every action has an owner", Severity: checker.SeverityError,
		Standard:    "HEE Business Plan 2022/23, section 2",
		Remediation: "Name the post holder accountable for the action in owner.",
	},
	{
		ID: "SCHEMA", Title: "Plan follows the rdp/v1 format", Severity: checker.SeverityError,
		Remediation: "Correct the plan so that it follows schemas/plan.schema.json.",
	},
}

// renderView writes a View of r, with the given objectives and rules,
// in format.
func renderView(t *testing.T, format string, opt Options, r *checker.Report, objectives []string, rules []checker.Rule) []byte {
	t.Helper()
	rep, err := New(format, opt)
	if err != nil {
		t.Fatalf("New(%q): %v", format, err)
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, NewView(r, objectives, rules)); err != nil {
		t.Fatalf("%s Write: %v", format, err)
	}
	return buf.Bytes()
}

// markupTestWaiver accepts the info RDP-KPI-007 of testReport.
var markupTestWaiver = &checker.Waiver{
	Rule: "RDP-KPI-007", Justification: "baseline verified by the regional analyst | 2022", ApprovedBy: "J. Smith <jsmith>",
	Expires: "2023-03-31", Source: "waivers.yaml:4",
}

// markupWorkflowReport is testReport compared with a baseline, with a
// waiver: RDP-KPI-004 is new, RDP-KPI-007 waived, and a finding of the
// baseline on the clean plan is resolved.
func markupWorkflowReport() *checker.Report {
	r := testReport()
	f := r.Files[1].Findings
	for i := range f {
		f[i].Change = checker.ChangeUnchanged
	}
	f[2].Change = checker.ChangeNew
	f[3].Waiver = markupTestWaiver
	r.Files[2].Resolved = []checker.Finding{{
		Rule: "RDP-OWN-001", Severity: checker.SeverityError, Objective: "RR1",
		Path: "/objectives/0/actions/1/owner", Message: "Action 2 has no owner; name the accountable post holder",
	}}
	r.Summary.Infos, r.Summary.Waived, r.Summary.New, r.Summary.Resolved = 1, 1, 1, 1
	return r
}

func TestMarkdownGolden(t *testing.T) {
	golden(t, "markdown.golden",
		renderView(t, FormatMarkdown, Options{ToolVersion: "v1.2.3"}, markupWorkflowReport(), testObjectives, markupTestRules))
}

func TestMarkdownWaiversAndBaseline(t *testing.T) {
	r := markupWorkflowReport()
	r.Files[1].Findings[2].Waiver = markupTestWaiver // FW1: both findings waived
	r.Summary.Warnings, r.Summary.Waived = 0, 2
	out := string(renderView(t, FormatMarkdown, Options{}, r, testObjectives, markupTestRules))
	for _, want := range []string{
		"2 errors, 0 warnings, 1 info, 2 waived; since the baseline 1 new, 1 resolved\n",
		// waived findings do not count in the table
		"| North East and Yorkshire (fixtures/plans/invalid/budget-over-allocation.yaml) | ❌ 1 | ❌ 1 | ✅ (2 waived) | ✅ |\n",
		"<details><summary>FW1 — 🔕 2 waived</summary>",
		"- ⚠️ 🆕 **RDP-KPI-004** [KPI meets national ambition]",
		"  - 🔕 Waived until 2023-03-31 by J. Smith &lt;jsmith&gt;: baseline verified by the regional analyst \\| 2022 (waivers.yaml:4)\n",
		// a plan whose only news is a resolved finding has a section
		"### fixtures/plans/valid/london.yaml (London)\n\n<details><summary>✅ resolved since the baseline — 1 finding</summary>\n\n" +
			"- **RDP-OWN-001** (RR1) [Every action has an owner](https://github.com/hee-rdp/rdpcheck/blob/main/docs/rules.md#rdp-own-001) — Action 2 has no owner",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

// mdTableRows returns the lines of the status table (header, alignment
// and rows).
func mdTableRows(out string) []string {
	var rows []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "|") {
			rows = append(rows, line)
		}
	}
	return rows
}

// mdCells splits a table row at its unescaped pipes, as GitHub does.
func mdCells(row string) []string {
	var cells []string
	var cell strings.Builder
	escaped := false
	for _, r := range strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|") {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
			continue
		}
		cell.WriteRune(r)
	}
	return append(cells, strings.TrimSpace(cell.String()))
}

func TestMarkdownStatusTable(t *testing.T) {
	out := string(renderView(t, FormatMarkdown, Options{}, testReport(), testObjectives, markupTestRules))
	rows := mdTableRows(out)
	want := [][]string{
		{"plan", "plan-wide", "RR1", "FW1", "FW2"},
		{":---", ":---:", ":---:", ":---:", ":---:"},
		{"fixtures/plans/invalid/broken.yaml", "⛔ not checked", "—", "—", "—"},
		// plan-wide: 1 error and 1 info; FW1: a warning and an info.
		{"North East and Yorkshire (fixtures/plans/invalid/budget-over-allocation.yaml)", "❌ 1", "❌ 1", "⚠️ 2", "✅"},
		{"London (fixtures/plans/valid/london.yaml)", "✅", "✅", "✅", "✅"},
	}
	if len(rows) != len(want) {
		t.Fatalf("table has %d rows, want %d:\n%s", len(rows), len(want), out)
	}
	for i, row := range rows {
		if got := mdCells(row); strings.Join(got, "\x00") != strings.Join(want[i], "\x00") {
			t.Errorf("table row %d = %q, want %q", i, got, want[i])
		}
	}
}

func TestMarkdownFindings(t *testing.T) {
	out := string(renderView(t, FormatMarkdown, Options{DocsURL: "https://example.org/rules.md#top"}, testReport(), testObjectives, markupTestRules))
	for _, want := range []string{
		"## ❌ rdpcheck: 3 files checked, 1 could not be checked: 2 errors, 1 warning, 2 infos\n",
		"<details><summary>plan-wide — ❌ 1 error, ℹ️ 1 info</summary>\n\n",
		"<details><summary>FW1 — ⚠️ 1 warning, ℹ️ 1 info</summary>\n\n",
		// documented: linked title, the finding's standard, the rule's fix
		"- ❌ **RDP-BUD-002** [Budget within allocation](https://example.org/rules.md#rdp-bud-002) — line 412: Budget total",
		"  - Standard: Business plan 2025/26, section 4.2\n  - Fix: Reduce planned spending",
		// no title of its own: the rule's
		"- ❌ **RDP-OWN-001** [Every action has an owner](https://example.org/rules.md#rdp-own-001) — line 140: Action 4",
		// undocumented, no line: no link, no line
		"- ℹ️ **RDP-GOV-001** — No senior responsible owner",
		// documented without standard or fix: the finding's own title, linked
		"- ⚠️ **RDP-KPI-004** [KPI meets national ambition](https://example.org/rules.md#rdp-kpi-004) — line 88: KPI target 4.5% is below the national ambition of 5.0%\n- ℹ️",
		// undocumented with HTML characters in the message
		"- ℹ️ **RDP-KPI-007** — line 97: KPI baseline is &lt; 12 months old &amp; not yet verified\n",
		"### fixtures/plans/invalid/broken.yaml\n\n⛔ **Could not be checked:** fixtures/plans/invalid/broken.yaml:3:5: duplicate key \"region\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "london.yaml (London)\n") {
		t.Errorf("markdown has a section for a plan without findings:\n%s", out)
	}
}

// mdAllowedTags are the only HTML tags the markdown report writes itself.
var mdAllowedTags = map[string]bool{"code": true, "/code": true, "details": true, "/details": true, "summary": true, "/summary": true, "sub": true, "/sub": true}

func TestMarkdownEscapesPlanText(t *testing.T) {
	const hostile = "Budget | total <script>alert(1)</script> & *more* [x](javascript:alert(1)) `code` @hee-rdp/team #12"
	r := &checker.Report{
		Version: checker.ReportVersion,
		Files: []checker.FileResult{{
			Path:   "plans/a|b<i>.yaml",
			Region: "North | <b>East</b>",
			Findings: []checker.Finding{
				{Rule: "RDP-BUD-002", Severity: checker.SeverityError, Objective: checker.PlanWide, Line: 3, Message: hostile},
				{Rule: "X|<img src=x>", Severity: checker.SeverityWarning, Objective: "O|<u>1</u>", Message: "line1\nline2 | </details>", Title: "t|<em>"},
			},
		}},
		Summary: checker.Summary{Files: 1, Errors: 1, Warnings: 1},
	}
	objectives := []string{checker.PlanWide, "RR1"}
	out := string(renderView(t, FormatMarkdown, Options{ToolVersion: "v1<b>"}, r, objectives, markupTestRules))

	// The table keeps its shape: every row has one cell per column.
	rows := mdTableRows(out)
	if len(rows) != 3 {
		t.Fatalf("table has %d rows, want 3:\n%s", len(rows), out)
	}
	for _, row := range rows {
		if got, want := len(mdCells(row)), 1+len(objectives)+1; got != want { // + the objective a finding adds
			t.Errorf("row %q has %d cells, want %d", row, got, want)
		}
	}
	if got := mdCells(rows[2])[0]; got != `North \| &lt;b&gt;East&lt;/b&gt; (plans/a\|b&lt;i&gt;.yaml)` {
		t.Errorf("plan cell = %q", got)
	}

	// No HTML from the plan reaches the page: the only tags are the report's own.
	for _, m := range regexp.MustCompile(`<(/?[a-zA-Z][a-zA-Z0-9]*)`).FindAllStringSubmatch(out, -1) {
		if !mdAllowedTags[strings.ToLower(m[1])] {
			t.Errorf("markdown contains the tag <%s:\n%s", m[1], out)
		}
	}
	for _, want := range []string{
		`Budget \| total &lt;script&gt;alert(1)&lt;/script&gt; &amp; \*more\* ` + "`[x](javascript:alert(1))` \\`code\\` `@hee-rdp/team` `#12`",
		"<summary>O|&lt;u&gt;1&lt;/u&gt; — ⚠️ 1 warning</summary>", // HTML escaping only: Markdown is not read inside the HTML block
		`line1 line2 \| &lt;/details&gt;`,
		"<sub>rdpcheck v1&lt;b&gt;</sub>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	// No invisible tricks: the escaping is visible.
	if strings.ContainsRune(out, '\u200b') {
		t.Errorf("markdown hides a zero-width space:\n%s", out)
	}
	// Each finding stays on its own line.
	if n := strings.Count(out, "\n- "); n != 2 {
		t.Errorf("markdown has %d finding lines, want 2:\n%s", n, out)
	}
}

func TestMarkdownEmptyReport(t *testing.T) {
	out := string(renderView(t, FormatMarkdown, Options{}, &checker.Report{Version: checker.ReportVersion}, testObjectives, nil))
	want := "## ✅ rdpcheck: 0 files checked: 0 errors, 0 warnings, 0 infos\n\nNo plan files were checked.\n"
	if out != want {
		t.Errorf("markdown of an empty report = %q, want %q", out, want)
	}
}

// TestMarkdownNeverMentionsLinksOrEmbeds checks that each kind of text
// GitHub would turn into a mention, a reference, a link or an image ends
// up in a code span, and that the rest is backslash-escaped.
func TestMarkdownNeverMentionsLinksOrEmbeds(t *testing.T) {
	tests := []struct{ in, want string }{
		{"@hee-rdp/reviewers", "`@hee-rdp/reviewers`"},
		{"see owner/repo#1 and #12", "see `owner/repo#1` and `#12`"},
		{"mail rdp@hee.nhs.uk", "mail `rdp@hee.nhs.uk`"},
		{"https://evil.example/x", "`https://evil.example/x`"},
		{"www.evil.example", "`www.evil.example`"},
		{"![x](https://evil.example/p.png)", "`![x](https://evil.example/p.png)`"},
		{"[click](here)", "`[click](here)`"},
		{"fixes GH-12", "fixes `GH-12`"},
		{"commit deadbeef12", "commit `deadbeef12`"},
		{"a`b@c", "``a`b@c``"},
		{"p|q#1", "`p\\|q#1`"},
		{"4,000 GP trainees", "4,000 GP trainees"},
		{"<img src=x>", "&lt;img src=x&gt;"},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := mdHTML("FW1 @team <b>"), "FW1 <code>@team</code> &lt;b&gt;"; got != want {
		t.Errorf("mdHTML = %q, want %q", got, want)
	}
}
