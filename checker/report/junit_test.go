package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

// The JUnit XML as a consumer reads it, declared apart from the writer's
// types so that the test does not share their mistakes.
type (
	junitReadSuites struct {
		XMLName  xml.Name         `xml:"testsuites"`
		Name     string           `xml:"name,attr"`
		Tests    int              `xml:"tests,attr"`
		Failures int              `xml:"failures,attr"`
		Errors   int              `xml:"errors,attr"`
		Skipped  int              `xml:"skipped,attr"`
		Suites   []junitReadSuite `xml:"testsuite"`
	}
	junitReadSuite struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Props    []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []junitReadCase `xml:"testcase"`
	}
	junitReadCase struct {
		Name      string `xml:"name,attr"`
		Classname string `xml:"classname,attr"`
		Failure   *struct {
			Message string `xml:"message,attr"`
			Type    string `xml:"type,attr"`
			Text    string `xml:",chardata"`
		} `xml:"failure"`
		Error *struct {
			Message string `xml:"message,attr"`
			Text    string `xml:",chardata"`
		} `xml:"error"`
		Skipped   *struct{} `xml:"skipped"`
		SystemOut *string   `xml:"system-out"`
	}
)

// readJUnit parses JUnit output with encoding/xml.
func readJUnit(t *testing.T, out []byte) junitReadSuites {
	t.Helper()
	if !bytes.HasPrefix(out, []byte(xml.Header)) {
		t.Errorf("output does not start with the XML declaration:\n%s", out)
	}
	var got junitReadSuites
	if err := xml.Unmarshal(out, &got); err != nil {
		t.Fatalf("output is not XML: %v\n%s", err, out)
	}
	return got
}

func TestJUnitGolden(t *testing.T) {
	golden(t, "junit.golden", render(t, FormatJUnit, Options{FailOn: checker.SeverityError}, testReport()))
	golden(t, "junit-fail-on-warning.golden", render(t, FormatJUnit, Options{FailOn: checker.SeverityWarning}, testReport()))
}

// junitExpect works out, from the View alone, what the JUnit counts of
// one file must be.
func junitExpect(f FileView, objectives []string, failOn checker.Severity) (tests, failures, errors, skipped int) {
	tests = len(objectives)
	if f.Error != nil {
		tests++
		errors = 1
		if len(f.Findings) == 0 {
			skipped = len(objectives)
			return
		}
	}
	for _, o := range objectives {
		g := f.Status(o)
		if g == nil || failOn.Rank() == 0 {
			continue
		}
		for _, fd := range g.Findings {
			if fd.Severity.Rank() >= failOn.Rank() && fd.Waiver == nil {
				failures++
				break
			}
		}
	}
	return
}

func TestJUnitCounts(t *testing.T) {
	reports := map[string]*checker.Report{
		"shared": testReport(),
		"empty":  {},
		"odd": {Files: []checker.FileResult{
			{Path: "-", Findings: []checker.Finding{{Rule: "my-policy/deny", Severity: "fatal", Objective: "XX9", Message: "odd\x00\x1b[31m]]>text\nwith \uFFFE"}}},
			{Path: "both.yaml", Error: &checker.FileError{Message: "partly read"}, Findings: []checker.Finding{{Rule: "R", Severity: checker.SeverityError, Objective: "RR1", Message: "m"}}},
			{Path: "waived.yaml", Findings: []checker.Finding{{Rule: "R", Severity: checker.SeverityError, Objective: "FW1", Message: "accepted", Waiver: &checker.Waiver{Rule: "R", Justification: "agreed", ApprovedBy: "QA", Expires: "2026-03-31"}}}},
		}},
	}
	for name, r := range reports {
		for _, failOn := range []checker.Severity{"", checker.SeverityInfo, checker.SeverityWarning, checker.SeverityError} {
			v := NewView(r, testObjectives, nil)
			out := ciRender(t, FormatJUnit, Options{FailOn: failOn}, v)
			got := readJUnit(t, out)
			if got.Name != "rdpcheck" || len(got.Suites) != len(v.Files) {
				t.Errorf("%s/%q: testsuites %q with %d suites, want rdpcheck with %d", name, failOn, got.Name, len(got.Suites), len(v.Files))
				continue
			}
			var tests, failures, errors, skipped int
			for i, s := range got.Suites {
				f := v.Files[i]
				wt, wf, we, ws := junitExpect(f, v.Objectives, failOn)
				if s.Name != clean(f.Path) || s.Tests != wt || s.Failures != wf || s.Errors != we || s.Skipped != ws {
					t.Errorf("%s/%q: suite %q tests=%d failures=%d errors=%d skipped=%d, want %q %d %d %d %d",
						name, failOn, s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, f.Path, wt, wf, we, ws)
				}
				// The attributes agree with the elements.
				var cf, ce, cs int
				for _, c := range s.Cases {
					if c.Classname != s.Name {
						t.Errorf("%s/%q: test case %q has classname %q, want %q", name, failOn, c.Name, c.Classname, s.Name)
					}
					if c.Failure != nil {
						cf++
					}
					if c.Error != nil {
						ce++
					}
					if c.Skipped != nil {
						cs++
					}
				}
				if len(s.Cases) != s.Tests || cf != s.Failures || ce != s.Errors || cs != s.Skipped {
					t.Errorf("%s/%q: suite %q has %d cases, %d failures, %d errors, %d skipped; its attributes say %d %d %d %d",
						name, failOn, s.Name, len(s.Cases), cf, ce, cs, s.Tests, s.Failures, s.Errors, s.Skipped)
				}
				tests, failures, errors, skipped = tests+wt, failures+wf, errors+we, skipped+ws
			}
			if got.Tests != tests || got.Failures != failures || got.Errors != errors || got.Skipped != skipped {
				t.Errorf("%s/%q: testsuites tests=%d failures=%d errors=%d skipped=%d, want %d %d %d %d",
					name, failOn, got.Tests, got.Failures, got.Errors, got.Skipped, tests, failures, errors, skipped)
			}
		}
	}
}

func TestJUnitContent(t *testing.T) {
	for _, failOn := range []checker.Severity{"", checker.SeverityWarning, checker.SeverityError} {
		v := NewView(testReport(), testObjectives, nil)
		got := readJUnit(t, ciRender(t, FormatJUnit, Options{FailOn: failOn}, v))
		for i, s := range got.Suites {
			f := v.Files[i]
			if f.Region != "" && (len(s.Props) == 0 || s.Props[0].Name != "region" || s.Props[0].Value != f.Region) {
				t.Errorf("suite %s properties %+v, want region %s first", s.Name, s.Props, f.Region)
			}
			props := map[string]string{}
			for _, p := range s.Props {
				props[p.Name] = p.Value
			}
			if props["provenance.date"] != "2022-10-01" || props["provenance.stock"] != "false" || props["provenance.waivers"] != "waivers.yaml (sha256 dddddddddddd)" ||
				props["provenance.rulebook"] != strings.Repeat("a", 64) {
				t.Errorf("suite %s lacks the provenance: %+v", s.Name, s.Props)
			}
			cases := s.Cases
			if f.Error != nil {
				if cases[0].Error == nil || !strings.Contains(cases[0].Error.Message, f.Error.Message) {
					t.Errorf("suite %s: first case %+v is not the error %q", s.Name, cases[0], f.Error.Message)
				}
				cases = cases[1:]
			}
			for j, o := range v.Objectives {
				c := cases[j]
				if c.Name != objectiveLabel(o) {
					t.Errorf("suite %s case %d named %q, want %q", s.Name, j, c.Name, objectiveLabel(o))
				}
				g := f.Status(o)
				if g == nil {
					if c.Failure != nil || c.SystemOut != nil {
						t.Errorf("%s %s has no findings but reports %+v", s.Name, o, c)
					}
					continue
				}
				// Every finding of the objective is listed, one a line,
				// in the failure when it fails and in system-out otherwise.
				var text string
				switch {
				case c.Failure != nil && c.SystemOut == nil:
					text = c.Failure.Text
					if !strings.HasPrefix(c.Failure.Message, c.Failure.Type) {
						t.Errorf("%s %s failure message %q does not start with its rule %q", s.Name, o, c.Failure.Message, c.Failure.Type)
					}
				case c.Failure == nil && c.SystemOut != nil:
					text = *c.SystemOut
				default:
					t.Errorf("%s %s: failure %v and system-out %v", s.Name, o, c.Failure, c.SystemOut)
					continue
				}
				lines := strings.Split(text, "\n")
				if len(lines) != len(g.Findings) {
					t.Errorf("%s %s lists %d lines for %d findings:\n%s", s.Name, o, len(lines), len(g.Findings), text)
					continue
				}
				for k, fd := range g.Findings {
					want := location(f.Path, fd.Line, fd.Column) + " " + string(fd.Severity) + " " + fd.Rule + " " + fd.Message
					if lines[k] != want {
						t.Errorf("%s %s line %d = %q, want %q", s.Name, o, k, lines[k], want)
					}
				}
			}
		}
	}
}

// TestJUnitFailOn checks which objectives of the shared report fail.
func TestJUnitFailOn(t *testing.T) {
	failing := func(failOn checker.Severity) []string {
		var names []string
		for _, s := range readJUnit(t, render(t, FormatJUnit, Options{FailOn: failOn}, testReport())).Suites {
			for _, c := range s.Cases {
				if c.Failure != nil {
					names = append(names, c.Name)
				}
			}
		}
		return names
	}
	for failOn, want := range map[checker.Severity]string{
		"":                      "",
		checker.SeverityError:   "plan (plan-wide) RR1",
		checker.SeverityWarning: "plan (plan-wide) RR1 FW1",
		checker.SeverityInfo:    "plan (plan-wide) RR1 FW1",
	} {
		if got := strings.Join(failing(failOn), " "); got != want {
			t.Errorf("FailOn %q: failing objectives %q, want %q", failOn, got, want)
		}
	}
}
