package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// update rewrites the golden files under testdata from the current output.
var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// testReport is the Report shared by the format tests. It is sorted as the
// checker sorts it: files by path, findings by objective in business-plan
// order (plan-wide first), then path, then rule. It has an unreadable
// file, a file with findings of every severity across the plan and two
// objectives, and a clean file whose Findings is nil.
func testReport() *checker.Report {
	return &checker.Report{
		Version: checker.ReportVersion,
		Files: []checker.FileResult{
			{
				Path:     "fixtures/plans/invalid/broken.yaml",
				Findings: nil,
				Error:    &checker.FileError{Message: `duplicate key "region"`, Line: 3, Column: 5},
			},
			{
				Path:   "fixtures/plans/invalid/budget-over-allocation.yaml",
				Region: "North East and Yorkshire",
				Findings: []checker.Finding{
					{
						Rule:      "RDP-BUD-002",
						Severity:  checker.SeverityError,
						Objective: checker.PlanWide,
						Path:      "/budget/total",
						Line:      412,
						Column:    3,
						Message:   "Budget total £977.100m is over the allocation of £976.000m by £1.100m; reduce the spending lines or record the agreed uplift",
						Title:     "Budget within allocation",
						Standard:  "Business plan 2025/26, section 4.2",
					},
					{
						Rule:      "RDP-GOV-001",
						Severity:  checker.SeverityInfo,
						Objective: checker.PlanWide,
						Path:      "",
						Message:   "No senior responsible owner is named for the plan; add one under governance.sro",
					},
					{
						Rule:      "RDP-KPI-004",
						Severity:  checker.SeverityWarning,
						Objective: "FW1",
						Path:      "/objectives/FW1/kpis/0/target",
						Line:      88,
						Column:    7,
						Message:   "KPI target 4.5% is below the national ambition of 5.0%",
						Title:     "KPI meets national ambition",
					},
					{
						Rule:      "RDP-KPI-007",
						Severity:  checker.SeverityInfo,
						Objective: "FW1",
						Path:      "/objectives/FW1/kpis/2",
						Line:      97,
						Message:   "KPI baseline is < 12 months old & not yet verified",
					},
					{
						Rule:      "RDP-OWN-001",
						Severity:  checker.SeverityError,
						Objective: "RR1",
						Path:      "/objectives/RR1/actions/3/owner",
						Line:      140,
						Column:    9,
						Message:   "Action 4 has no owner; name the accountable post holder",
						Standard:  "Business plan 2025/26, section 2.1",
					},
				},
			},
			{
				Path:   "fixtures/plans/valid/london.yaml",
				Region: "London",
			},
		},
		Summary:    checker.Summary{Files: 3, Unchecked: 1, Errors: 2, Warnings: 1, Infos: 2},
		Provenance: testProvenance(),
	}
}

// testProvenance is a modified run: an extra policy directory, a changed
// tolerance, a rule filter, a waivers file and a config file.
func testProvenance() *checker.Provenance {
	hash := func(c string) string { return strings.Repeat(c, 64) }
	return &checker.Provenance{
		Date: "2022-10-01", Tool: "v1.2.3", Rulebook: hash("a"),
		Policies:  []checker.Input{{Path: "policies/local", SHA256: hash("b")}},
		Data:      []checker.Input{{Path: "tolerances.yaml", SHA256: hash("c")}},
		Overrides: []checker.Override{{Path: "reference.params.budget_total_tolerance_gbp_million", From: "0.05", To: "1000000", Source: "tolerances.yaml"}},
		Rules:     []string{"RDP-BUD-*", "RDP-KPI-*"},
		Waivers:   &checker.Input{Path: "waivers.yaml", SHA256: hash("d")},
		Config:    &checker.Input{Path: ".rdpcheck.yaml", SHA256: hash("e")},
	}
}

// testObjectives are the matrix columns of the test report.
var testObjectives = []string{checker.PlanWide, "RR1", "FW1", "FW2"}

// render writes r with the reporter for format and returns the output.
func render(t *testing.T, format string, opt Options, r *checker.Report) []byte {
	t.Helper()
	rep, err := New(format, opt)
	if err != nil {
		t.Fatalf("New(%q): %v", format, err)
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, NewView(r, testObjectives, nil)); err != nil {
		t.Fatalf("%s Write: %v", format, err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name byte for byte, or rewrites the
// file when the -update flag is given.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./checker/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./checker/report -update if the change is intended)\n--- got ---\n%s\n--- want ---\n%s",
			path, got, want)
	}
}

func TestFormats(t *testing.T) {
	got := Formats()
	want := []string{"github", "html", "json", "junit", "markdown", "sarif", "text"}
	if !slices.Equal(got, want) {
		t.Fatalf("Formats() = %q, want %q", got, want)
	}
	for _, name := range got {
		if _, err := New(name, Options{}); err != nil {
			t.Errorf("New(%q): %v", name, err)
		}
	}
}

func TestNewUnknownFormat(t *testing.T) {
	for _, name := range []string{"", "yaml", "TEXT", " json"} {
		rep, err := New(name, Options{})
		if err == nil {
			t.Errorf("New(%q) = %v, want an error", name, rep)
			continue
		}
		for _, known := range Formats() {
			if !strings.Contains(err.Error(), known) {
				t.Errorf("New(%q) error %q does not list format %q", name, err, known)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, format := range Formats() {
		for _, color := range []bool{false, true} {
			first := render(t, format, Options{Color: color}, testReport())
			second := render(t, format, Options{Color: color}, testReport())
			if !bytes.Equal(first, second) {
				t.Errorf("%s (color %v): two writes of the same report differ:\n%s\n---\n%s",
					format, color, first, second)
			}
		}
	}
}

func TestNilReport(t *testing.T) {
	for _, format := range Formats() {
		rep, _ := New(format, Options{})
		var buf bytes.Buffer
		if err := rep.Write(&buf, nil); err == nil {
			t.Errorf("%s: Write(nil report) succeeded", format)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: Write(nil report) wrote %q", format, buf.String())
		}
	}
}

// failingWriter fails every write.
type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWriteError(t *testing.T) {
	want := errors.New("disk full")
	for _, format := range Formats() {
		rep, _ := New(format, Options{})
		if err := rep.Write(failingWriter{want}, NewView(testReport(), testObjectives, nil)); !errors.Is(err, want) {
			t.Errorf("%s: Write to a failing writer = %v, want %v", format, err, want)
		}
	}
}

func TestEmptyReport(t *testing.T) {
	empty := &checker.Report{Version: checker.ReportVersion}
	if got, want := string(render(t, "text", Options{}, empty)), "0 files checked: 0 errors, 0 warnings, 0 infos\n"; got != want {
		t.Errorf("text of empty report = %q, want %q", got, want)
	}
	if got := string(render(t, "json", Options{}, empty)); !strings.Contains(got, `"files": []`) {
		t.Errorf("json of empty report has no empty files array:\n%s", got)
	}
}
