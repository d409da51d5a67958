package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hee-rdp/rdpcheck/checker"
)

// sarifSchemaPath is the SARIF 2.1.0 JSON schema, kept outside the
// repository (in shared/, beside it); CI clones the repository without it.
const sarifSchemaPath = "../../../shared/schemas/sarif-schema-2.1.0.json"

// ciTestRules documents some of the rules of testReport: RDP-BUD-002,
// RDP-KPI-004 and RDP-OWN-001, plus RDP-ACT-001, which no finding names.
// RDP-GOV-001 and RDP-KPI-007 stay undocumented, as a rule from a
// --policy directory without METADATA would be.
func ciTestRules() []checker.Rule {
	return []checker.Rule{
		{
			ID:          "RDP-OWN-001",
			Title:       "Every action has an owner",
			Description: "Each action names the post holder accountable for it.",
			Severity:    checker.SeverityError,
			Standard:    "Business plan 2025/26, section 2.1",
			Remediation: "Name the accountable post holder under owner.",
			Package:     "rdp.actions",
			Location:    "policies/actions.rego:12",
		},
		{
			ID:          "RDP-BUD-002",
			Title:       "Budget is within the allocation",
			Description: "The budget total is not more than the region's allocation.",
			Severity:    checker.SeverityError,
			Standard:    "Business plan 2025/26, section 8 & annex <B>",
			Remediation: "Reduce the spending lines, or record the agreed uplift.",
			Package:     "rdp.budget",
			Location:    "policies/budget.rego:40",
		},
		{
			ID:       "RDP-KPI-004",
			Title:    "KPI target is for the plan year",
			Severity: checker.SeverityWarning,
			Package:  "rdp.kpis",
		},
		{
			ID:          "RDP-ACT-001",
			Title:       "Every action is due inside the plan year",
			Severity:    checker.SeverityInfo,
			Remediation: "Move the due date into the plan year.",
			Package:     "rdp.actions",
		},
	}
}

// ciRender writes v with the reporter for format and returns the output.
func ciRender(t *testing.T, format string, opt Options, v *View) []byte {
	t.Helper()
	rep, err := New(format, opt)
	if err != nil {
		t.Fatalf("New(%q): %v", format, err)
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, v); err != nil {
		t.Fatalf("%s Write: %v", format, err)
	}
	return buf.Bytes()
}

// sarifView is the shared test report with ciTestRules.
func sarifView() *View {
	return NewView(testReport(), testObjectives, ciTestRules())
}

// loadSARIFSchema compiles the SARIF 2.1.0 schema, or skips the test when
// it is not there.
func loadSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(sarifSchemaPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("SARIF schema not found at %s (it lives in shared/ beside the repository, which a plain clone lacks): %v", sarifSchemaPath, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	var head struct {
		ID string `json:"$id"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.ID == "" {
		t.Fatalf("%s: no $id (%v)", sarifSchemaPath, err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	if err := c.AddResource(head.ID, bytes.NewReader(data)); err != nil {
		t.Fatalf("%s: %v", sarifSchemaPath, err)
	}
	s, err := c.Compile(head.ID)
	if err != nil {
		t.Fatalf("%s: %v", sarifSchemaPath, err)
	}
	return s
}

// sarifOddReport has what the shared report lacks: stdin, a path that
// needs percent-encoding, absolute paths, a finding without location or
// message, an unknown severity, and text with newlines and markup.
func sarifOddReport() *checker.Report {
	return &checker.Report{
		Files: []checker.FileResult{
			{Path: "-", Findings: []checker.Finding{{Rule: "my-policy/deny", Severity: checker.SeverityInfo, Message: "x"}}},
			{Path: "plans/north east #1 100%.yaml", Findings: []checker.Finding{
				{Rule: "RDP-KPI-004", Severity: "fatal", Objective: "FW9", Message: "two\nlines <b>&amp;</b>", Line: 1, Column: 1, Title: "T", Standard: "S"},
				{Rule: "RDP-KPI-004", Severity: checker.SeverityWarning, Objective: "FW1", Line: 2, Change: checker.ChangeNew,
					Waiver: &checker.Waiver{Rule: "RDP-KPI-004", Justification: "agreed at the QA panel", ApprovedBy: "QA lead", Expires: "2026-03-31", Source: "waivers.yaml:3"}},
			}},
			{Path: "/abs/plan.yaml", Error: &checker.FileError{Message: "not UTF-8"}},
			{Path: `C:\plans\plan.json`, Error: &checker.FileError{Message: "too large", Line: 1}},
		},
		Summary: checker.Summary{Files: 4, Unchecked: 2, Warnings: 2, Infos: 1},
	}
}

func TestSARIFGolden(t *testing.T) {
	golden(t, "sarif.golden", ciRender(t, FormatSARIF, Options{ToolVersion: "1.2.3"}, sarifView()))
}

func TestSARIFMatchesSchema(t *testing.T) {
	schema := loadSARIFSchema(t)
	views := map[string]*View{
		"shared with rules":    sarifView(),
		"shared without rules": NewView(testReport(), testObjectives, nil),
		"empty":                NewView(&checker.Report{}, nil, nil),
		"rules only":           NewView(&checker.Report{}, nil, ciTestRules()),
		"odd":                  NewView(sarifOddReport(), testObjectives, ciTestRules()),
	}
	for name, v := range views {
		for _, opt := range []Options{{}, {ToolVersion: "v0.1.0-dev", DocsURL: "https://example.org/docs/rules.html"}} {
			out := ciRender(t, FormatSARIF, opt, v)
			if err := schema.Validate(decode(t, out)); err != nil {
				t.Errorf("%s (%+v): output does not match the SARIF 2.1.0 schema: %#v\n%s", name, opt, err, out)
			}
		}
	}
	if data, err := os.ReadFile("testdata/sarif.golden"); err == nil {
		if err := schema.Validate(decode(t, data)); err != nil {
			t.Errorf("testdata/sarif.golden does not match the SARIF 2.1.0 schema: %#v", err)
		}
	}

	// The schema is strict enough to catch a wrong level: SARIF has no
	// "info", which is why info findings are written as "note".
	out := string(ciRender(t, FormatSARIF, Options{}, sarifView()))
	bad := strings.Replace(out, `"level": "note"`, `"level": "info"`, 1)
	if bad == out {
		t.Fatal(`output has no "level": "note"`)
	}
	if err := schema.Validate(decode(t, []byte(bad))); err == nil {
		t.Errorf(`schema accepted "level": "info"`)
	}
}

// readSARIF parses output with the library.
func readSARIF(t *testing.T, out []byte) *sarif.Report {
	t.Helper()
	log, err := sarif.FromBytes(out)
	if err != nil {
		t.Fatalf("output is not SARIF: %v\n%s", err, out)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with one run", log.Version, len(log.Runs))
	}
	return log
}

// sarifStr reads an optional string.
func sarifStr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestSARIFRulesAndResults(t *testing.T) {
	v := sarifView()
	out := ciRender(t, FormatSARIF, Options{ToolVersion: "1.2.3"}, v)
	run := readSARIF(t, out).Runs[0]

	driver := run.Tool.Driver
	if sarifStr(driver.Name) != "rdpcheck" || sarifStr(driver.Version) != "1.2.3" || sarifStr(driver.InformationURI) != sarifInformationURI {
		t.Errorf("driver = %s %s %s", sarifStr(driver.Name), sarifStr(driver.Version), sarifStr(driver.InformationURI))
	}

	// Every documented rule and every rule a finding names, sorted by id.
	var ids []string
	for _, r := range driver.Rules {
		ids = append(ids, sarifStr(r.ID))
	}
	want := []string{"RDP-ACT-001", "RDP-BUD-002", "RDP-GOV-001", "RDP-KPI-004", "RDP-KPI-007", "RDP-OWN-001"}
	if !slices.Equal(ids, want) {
		t.Fatalf("rules = %q, want %q", ids, want)
	}
	levels := map[checker.Severity]string{checker.SeverityError: "error", checker.SeverityWarning: "warning", checker.SeverityInfo: "note"}
	for _, r := range driver.Rules {
		id := sarifStr(r.ID)
		doc, documented := v.Rules[id]
		if r.ShortDescription == nil || r.FullDescription == nil || r.Help == nil || r.DefaultConfiguration == nil {
			t.Errorf("%s lacks a description, help or default configuration", id)
			continue
		}
		if !documented {
			if r.HelpURI != nil || r.Name != nil {
				t.Errorf("undocumented %s has a helpUri %s or name %s", id, sarifStr(r.HelpURI), sarifStr(r.Name))
			}
			continue
		}
		if got, want := sarifStr(r.HelpURI), DefaultDocsURL+"#"+strings.ToLower(id); got != want {
			t.Errorf("%s helpUri = %s, want %s", id, got, want)
		}
		if sarifStr(r.Name) != doc.Title || sarifStr(r.ShortDescription.Text) != doc.Title {
			t.Errorf("%s name %s, shortDescription %s, want %s", id, sarifStr(r.Name), sarifStr(r.ShortDescription.Text), doc.Title)
		}
		if doc.Description != "" && sarifStr(r.FullDescription.Text) != doc.Description {
			t.Errorf("%s fullDescription = %s", id, sarifStr(r.FullDescription.Text))
		}
		if !strings.Contains(sarifStr(r.Help.Text), doc.Remediation) || !strings.Contains(sarifStr(r.Help.Text), doc.Standard) {
			t.Errorf("%s help %q lacks the remediation or the standard", id, sarifStr(r.Help.Text))
		}
		if got := r.DefaultConfiguration.Level; got != levels[doc.Severity] || !r.DefaultConfiguration.Enabled {
			t.Errorf("%s default level %s (enabled %v), want %s", id, got, r.DefaultConfiguration.Enabled, levels[doc.Severity])
		}
		if r.Properties == nil || r.Properties.Properties["package"] != doc.Package {
			t.Errorf("%s properties %+v lack package %s", id, r.Properties, doc.Package)
		}
	}
	// An undocumented rule takes the worst severity of its findings.
	if got := driver.Rules[2].DefaultConfiguration.Level; got != "note" {
		t.Errorf("RDP-GOV-001 default level %s, want note", got)
	}

	// One result per finding, in report order, pointing at its rule.
	var findings []checker.Finding
	var paths []string
	for _, f := range v.Files {
		for _, fd := range f.Findings {
			findings = append(findings, fd)
			paths = append(paths, f.Path)
		}
	}
	if len(run.Results) != len(findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(findings))
	}
	for i, res := range run.Results {
		fd := findings[i]
		if sarifStr(res.RuleID) != fd.Rule {
			t.Errorf("result %d ruleId %s, want %s", i, sarifStr(res.RuleID), fd.Rule)
			continue
		}
		if res.RuleIndex < 0 || res.RuleIndex >= len(driver.Rules) || sarifStr(driver.Rules[res.RuleIndex].ID) != fd.Rule {
			t.Errorf("result %d (%s): ruleIndex %d does not point at its rule", i, fd.Rule, res.RuleIndex)
		}
		if res.Level != levels[fd.Severity] {
			t.Errorf("result %d (%s %s): level %s, want %s", i, fd.Rule, fd.Severity, res.Level, levels[fd.Severity])
		}
		if sarifStr(res.Message.Text) != fd.Message {
			t.Errorf("result %d message %q, want %q", i, sarifStr(res.Message.Text), fd.Message)
		}
		if len(res.Locations) != 1 {
			t.Errorf("result %d has %d locations", i, len(res.Locations))
			continue
		}
		pl := res.Locations[0].PhysicalLocation
		if sarifStr(pl.ArtifactLocation.URI) != paths[i] {
			t.Errorf("result %d uri %s, want %s", i, sarifStr(pl.ArtifactLocation.URI), paths[i])
		}
		switch {
		case fd.Line == 0 && pl.Region != nil:
			t.Errorf("result %d has a region although its line is unknown", i)
		case fd.Line > 0 && (pl.Region == nil || pl.Region.StartLine == nil || *pl.Region.StartLine != fd.Line):
			t.Errorf("result %d region %+v, want line %d", i, pl.Region, fd.Line)
		case fd.Line > 0 && fd.Column == 0 && pl.Region.StartColumn != nil:
			t.Errorf("result %d has a column although it is unknown", i)
		case fd.Column > 0 && (pl.Region.StartColumn == nil || *pl.Region.StartColumn != fd.Column):
			t.Errorf("result %d region %+v, want column %d", i, pl.Region, fd.Column)
		}
		props := res.Properties.Properties
		if props["objective"] != fd.Objective || props["path"] != fd.Path {
			t.Errorf("result %d properties %v, want objective %s and path %s", i, props, fd.Objective, fd.Path)
		}
		wantStd := fd.Standard
		if wantStd == "" {
			wantStd = v.Rules[fd.Rule].Standard
		}
		if got, _ := props["standard"].(string); got != wantStd {
			t.Errorf("result %d standard %q, want %q", i, got, wantStd)
		}
	}

	// The unreadable file makes the run unsuccessful, with a notification.
	if len(run.Invocations) != 1 {
		t.Fatalf("%d invocations, want 1", len(run.Invocations))
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful == nil || *inv.ExecutionSuccessful {
		t.Errorf("executionSuccessful = %v, want false", inv.ExecutionSuccessful)
	}
	if len(inv.ToolExecutionNotifications) != 1 {
		t.Fatalf("%d notifications, want 1", len(inv.ToolExecutionNotifications))
	}
	n := inv.ToolExecutionNotifications[0]
	loc := n.Locations[0].PhysicalLocation
	if n.Level != "error" || !strings.Contains(sarifStr(n.Message.Text), `duplicate key "region"`) ||
		sarifStr(loc.ArtifactLocation.URI) != "fixtures/plans/invalid/broken.yaml" ||
		*loc.Region.StartLine != 3 || *loc.Region.StartColumn != 5 {
		t.Errorf("notification = %s %s at %s %+v", n.Level, sarifStr(n.Message.Text), sarifStr(loc.ArtifactLocation.URI), loc.Region)
	}

	// Without unreadable files the run is successful.
	clean := testReport()
	clean.Files = clean.Files[1:]
	inv = readSARIF(t, ciRender(t, FormatSARIF, Options{}, NewView(clean, testObjectives, nil))).Runs[0].Invocations[0]
	if inv.ExecutionSuccessful == nil || !*inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 0 {
		t.Errorf("clean run: executionSuccessful %v with %d notifications", inv.ExecutionSuccessful, len(inv.ToolExecutionNotifications))
	}
}

func TestSARIFDocsURL(t *testing.T) {
	out := ciRender(t, FormatSARIF, Options{DocsURL: "https://example.org/rules.md"}, sarifView())
	for _, r := range readSARIF(t, out).Runs[0].Tool.Driver.Rules {
		if r.HelpURI != nil && !strings.HasPrefix(*r.HelpURI, "https://example.org/rules.md#rdp-") {
			t.Errorf("%s helpUri %s ignores DocsURL", sarifStr(r.ID), *r.HelpURI)
		}
	}
}

func TestSARIFOddReport(t *testing.T) {
	run := readSARIF(t, ciRender(t, FormatSARIF, Options{}, NewView(sarifOddReport(), testObjectives, ciTestRules()))).Runs[0]
	var uris, levels []string
	for _, res := range run.Results {
		uris = append(uris, sarifStr(res.Locations[0].PhysicalLocation.ArtifactLocation.URI))
		levels = append(levels, res.Level)
	}
	if want := []string{"stdin", "plans/north%20east%20%231%20100%25.yaml", "plans/north%20east%20%231%20100%25.yaml"}; !slices.Equal(uris, want) {
		t.Errorf("uris = %q, want %q", uris, want)
	}
	if want := []string{"note", "warning", "warning"}; !slices.Equal(levels, want) {
		t.Errorf("levels = %q, want %q (an unknown severity is a warning)", levels, want)
	}
	// A finding without a message still has one: its rule's title.
	if got := sarifStr(run.Results[2].Message.Text); got != "KPI target is for the plan year" {
		t.Errorf("message of a finding without one = %q", got)
	}
	// The waiver is an accepted external suppression; baselineState
	// follows the baseline comparison; neither is invented.
	waived := run.Results[2]
	if len(waived.Suppressions) != 1 || sarifStr(waived.Suppressions[0].Kind) != "external" ||
		sarifStr(waived.Suppressions[0].Status) != "accepted" || sarifStr(waived.Suppressions[0].Justification) != "agreed at the QA panel" ||
		waived.Suppressions[0].Properties.Properties["approvedBy"] != "QA lead" {
		t.Errorf("suppressions of a waived finding = %+v", waived.Suppressions)
	}
	if sarifStr(waived.BaselineState) != "new" {
		t.Errorf("baselineState of a new finding = %s", sarifStr(waived.BaselineState))
	}
	if len(run.Results[1].Suppressions) != 0 || run.Results[1].BaselineState != nil {
		t.Errorf("a plain finding has suppressions %+v or a baselineState %s", run.Results[1].Suppressions, sarifStr(run.Results[1].BaselineState))
	}

	var notified []string
	for _, n := range run.Invocations[0].ToolExecutionNotifications {
		notified = append(notified, sarifStr(n.Locations[0].PhysicalLocation.ArtifactLocation.URI))
	}
	if want := []string{"file:///abs/plan.yaml"}; !slices.Equal(notified[:1], want) {
		t.Errorf("notified %q, want %q first", notified, want)
	}
	// The undocumented rule of a --policy directory is listed, sorted.
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, sarifStr(r.ID))
	}
	if !sort.StringsAreSorted(ids) || !slices.Contains(ids, "my-policy/deny") {
		t.Errorf("rules %q are not sorted or lack my-policy/deny", ids)
	}
}

func TestSARIFURI(t *testing.T) {
	tests := map[string]string{
		"-":                         "stdin",
		"plans/london.yaml":         "plans/london.yaml",
		"./plans/london.yaml":       "plans/london.yaml",
		"../plans/london.yaml":      "../plans/london.yaml",
		"plans/north east.yaml":     "plans/north%20east.yaml",
		"plans/50%#?.yaml":          "plans/50%25%23%3F.yaml",
		"c:plan.yaml":               "./c:plan.yaml",
		"/srv/plans/london.yaml":    "file:///srv/plans/london.yaml",
		"C:/plans/london.yaml":      "file:///C:/plans/london.yaml",
		"plans/région/london.yaml":  "plans/r%C3%A9gion/london.yaml",
		"plans/a+b=c;d@e,f&g.yaml":  "plans/a+b=c;d@e,f&g.yaml",
		"plans/[draft] london.yaml": "plans/%5Bdraft%5D%20london.yaml",
	}
	for in, want := range tests {
		if got := sarifURI(in); got != want {
			t.Errorf("sarifURI(%q) = %q, want %q", in, got, want)
		}
	}
}
