package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// FormatJUnit is JUnit XML, for CI test-report views (Jenkins, GitLab,
// GitHub test-report actions).
const FormatJUnit = "junit"

func init() {
	register(FormatJUnit, func(opt Options) Reporter { return &junitReporter{opt: opt} })
}

// junitReporter writes the View as JUnit XML: each file a test suite,
// each objective a test case.
type junitReporter struct {
	opt Options
}

// The JUnit XML elements, in the common dialect that Jenkins, GitLab and
// the GitHub test-report actions read. No times or host names are
// written, so that the output is deterministic.
type (
	junitTestSuites struct {
		XMLName  xml.Name         `xml:"testsuites"`
		Name     string           `xml:"name,attr"`
		Tests    int              `xml:"tests,attr"`
		Failures int              `xml:"failures,attr"`
		Errors   int              `xml:"errors,attr"`
		Skipped  int              `xml:"skipped,attr,omitempty"`
		Suites   []junitTestSuite `xml:"testsuite"`
	}
	junitTestSuite struct {
		Name       string           `xml:"name,attr"`
		Tests      int              `xml:"tests,attr"`
		Failures   int              `xml:"failures,attr"`
		Errors     int              `xml:"errors,attr"`
		Skipped    int              `xml:"skipped,attr,omitempty"`
		Properties *junitProperties `xml:"properties,omitempty"`
		Cases      []junitTestCase  `xml:"testcase"`
	}
	junitProperties struct {
		Property []junitProperty `xml:"property"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitTestCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		SystemOut *junitText    `xml:"system-out,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",cdata"`
	}
	// junitText is text kept as CDATA, so that its lines stay lines.
	junitText struct {
		Text string `xml:",cdata"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
)

// junitUnchecked is the name of the test case that stands for reading a
// file, and the type of its error, when the file could not be checked.
const junitUnchecked = "could not be checked"

// Write writes v as JUnit XML:
//
//	<testsuites name="rdpcheck" tests= failures= errors= skipped=>
//	  <testsuite name=FILE tests= failures= errors= skipped=>
//	    <properties><property name="region" value=REGION/></properties>
//	    <testcase name=OBJECTIVE classname=FILE>...</testcase>
//
// Each file is a test suite with one test case per objective of
// v.Objectives, in that order. An objective fails when any of its findings
// that is not waived is at or above FailOn (never when FailOn is empty):
// its <failure> has the first such finding as its message and the rules
// of all of them as its type, and lists every finding of the objective,
// one a line, as "file:line:col severity RULE message" followed by the
// marks of waived and new findings that the text report writes. The
// findings of an objective that does not fail are listed the same way in
// its <system-out>. A file that could not be checked has one more test
// case, "could not be checked", with an <error>; its objectives are
// skipped, since none of them was checked. Lists of findings are written
// as CDATA; text from the report goes through clean.
func (j *junitReporter) Write(w io.Writer, v *View) error {
	if err := checkView(v); err != nil {
		return err
	}
	out := junitTestSuites{Name: "rdpcheck"}
	props := junitProvenance(v.Report.Provenance)
	for _, f := range v.Files {
		s := j.suite(f, v.Objectives)
		if len(props) > 0 {
			if s.Properties == nil {
				s.Properties = &junitProperties{}
			}
			s.Properties.Property = append(s.Properties.Property, props...)
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
		out.Suites = append(out.Suites, s)
	}
	if s := junitNational(v.Report.National); s != nil {
		out.Tests += s.Tests
		out.Suites = append(out.Suites, *s)
	}

	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// suite makes the test suite of one file.
func (j *junitReporter) suite(f FileView, objectives []string) junitTestSuite {
	path := clean(f.Path)
	s := junitTestSuite{Name: path}
	if f.Region != "" {
		s.Properties = &junitProperties{[]junitProperty{{Name: "region", Value: clean(f.Region)}}}
	}
	unchecked := f.Error != nil && len(f.Findings) == 0
	if f.Error != nil {
		msg := junitUnchecked + ": " + fileError(f.Path, f.Error)
		s.Cases = append(s.Cases, junitTestCase{
			Name:      junitUnchecked,
			Classname: path,
			Error:     &junitProblem{Message: msg, Type: junitUnchecked, Text: junitCDATA(msg)},
		})
		s.Errors++
	}
	for _, o := range objectives {
		tc := junitTestCase{Name: objectiveLabel(o), Classname: path}
		switch g := f.Status(o); {
		case unchecked:
			tc.Skipped = &junitSkipped{Message: "the file could not be checked"}
			s.Skipped++
		case g == nil:
			// Passed, with nothing to say.
		default:
			if p := j.failure(f.Path, g); p != nil {
				tc.Failure = p
				s.Failures++
			} else {
				tc.SystemOut = &junitText{junitLines(f.Path, g.Findings)}
			}
		}
		s.Cases = append(s.Cases, tc)
	}
	s.Tests = len(s.Cases)
	return s
}

// failure returns the failure of an objective whose findings include any
// at or above FailOn, or nil when none is.
func (j *junitReporter) failure(path string, g *Group) *junitProblem {
	var failing []checker.Finding
	var rules []string
	for _, fd := range g.Findings {
		if j.opt.Fails(fd) {
			failing = append(failing, fd)
			if r := clean(fd.Rule); !slices.Contains(rules, r) {
				rules = append(rules, r)
			}
		}
	}
	if len(failing) == 0 {
		return nil
	}
	msg := clean(failing[0].Rule) + ": " + clean(failing[0].Message)
	if n := len(failing) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more at or above %s)", n, clean(string(j.opt.FailOn)))
	}
	return &junitProblem{
		Message: msg,
		Type:    strings.Join(rules, ", "),
		Text:    junitLines(path, g.Findings),
	}
}

// junitLines lists findings one a line: "file:line:col severity RULE message".
func junitLines(path string, findings []checker.Finding) string {
	var b strings.Builder
	for i, fd := range findings {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s %s %s %s%s",
			findingLocation(path, fd), clean(string(fd.Severity)), clean(fd.Rule), clean(fd.Message), clean(marks(fd)))
	}
	return junitCDATA(b.String())
}

// junitCDATA makes text safe for CDATA, which, unlike the attributes and
// character data that encoding/xml escapes, is written as it is: invalid
// UTF-8 and the non-characters U+FFFE and U+FFFF, which XML cannot hold,
// become U+FFFD. (Control characters are already shown as \uXXXX, through clean.)
func junitCDATA(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.NewReplacer("\uFFFE", "\uFFFD", "\uFFFF", "\uFFFD").Replace(s)
}

// junitProvenance is the report's provenance as test-suite properties:
// provenance.date, .tool, .rulebook and .stock, then one property for
// each extra policy directory, changed value, rule filter and file read.
func junitProvenance(p *checker.Provenance) []junitProperty {
	h := provenance(p)
	if h == nil {
		return nil
	}
	props := []junitProperty{
		{Name: "provenance.date", Value: clean(p.Date)},
		{Name: "provenance.tool", Value: clean(p.Tool)},
		{Name: "provenance.rulebook", Value: clean(p.Rulebook)},
		{Name: "provenance.stock", Value: strconv.FormatBool(p.Stock)},
	}
	for _, c := range h.Changes {
		props = append(props, junitProperty{Name: "provenance.changed", Value: c})
	}
	for _, r := range h.Read {
		props = append(props, junitProperty{Name: "provenance." + strings.ReplaceAll(r.What, " ", "_"), Value: r.Path + " (sha256 " + r.Hash + ")"})
	}
	return props
}
