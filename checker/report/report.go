// Package report writes a checker.Report in one of several formats.
//
// Each format lives in its own file behind the small Reporter interface,
// in the manner of conftest's output package. Reporters only present a
// Report: it arrives already sorted (files by path; findings by objective
// in business-plan order, then path, then rule) and is never re-sorted or
// modified here. Presentation choices that depend on the environment, such
// as whether to use colour, are made by the caller and passed in Options.
package report

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// Reporter writes a report, prepared as a View, in one format.
type Reporter interface {
	// Write writes v to w. It returns the first error from w, or an
	// error if v cannot be presented (for example when it is nil).
	Write(w io.Writer, v *View) error
}

// Options control presentation.
type Options struct {
	// Color turns on ANSI colour in formats that support it. The caller
	// decides (terminal detection, NO_COLOR); reporters never look at the
	// environment themselves. Formats meant for machines ignore it.
	Color bool
	// FailOn is the lowest severity that fails the run (anything that is
	// not a severity, such as "" or "never", means never); formats that
	// mark failures (junit) follow it, through Fails.
	FailOn checker.Severity
	// OnlyNew fails only on findings new since the baseline report.
	OnlyNew bool
	// DocsURL is where the rules are documented (docs/rules.md); a rule's
	// anchor is its id in lower case. Formats that link to rules use it.
	DocsURL string
	// ToolVersion is rdpcheck's version, for formats that name the tool.
	ToolVersion string
	// ReadSource, when set, reads the plan a report names for the html
	// excerpts instead of the file system (the portal keeps plans in its
	// database).
	ReadSource func(path string) ([]byte, error)
}

// Format names accepted by New.
const (
	// FormatText is the human-readable report grouped by file and objective.
	FormatText = "text"
	// FormatJSON is the machine-readable report described by
	// schemas/report.schema.json.
	FormatJSON = "json"
)

// reporters maps each format name to the constructor of its Reporter.
// Each format's file registers itself with register, in an init function.
var reporters = map[string]func(Options) Reporter{}

// register adds a format; it panics on a duplicate name (a programming error).
func register(name string, newReporter func(Options) Reporter) {
	if _, dup := reporters[name]; dup {
		panic("report: format " + name + " registered twice")
	}
	reporters[name] = newReporter
}

// New returns the reporter for a format name (see Formats). Names are
// matched exactly. An unknown name gives an error listing the known formats.
func New(format string, opt Options) (Reporter, error) {
	newReporter, ok := reporters[format]
	if !ok {
		return nil, fmt.Errorf("unknown output format %q (known formats: %s)",
			format, strings.Join(Formats(), ", "))
	}
	return newReporter(opt), nil
}

// Formats lists the known format names, sorted.
func Formats() []string {
	names := make([]string, 0, len(reporters))
	for name := range reporters {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Fails reports whether a finding fails the run: at or above FailOn, not
// waived, and, with OnlyNew, new since the baseline. The exit code and
// every format that marks failures use this one test.
func (o Options) Fails(f checker.Finding) bool {
	threshold := o.FailOn.Rank()
	return threshold > 0 && f.Severity.Rank() >= threshold && f.Waiver == nil &&
		(!o.OnlyNew || f.Change == checker.ChangeNew)
}

// findingStandard is the standard a finding comes from: its own, or else
// its rule's.
func findingStandard(fd checker.Finding, rule checker.Rule) string {
	if fd.Standard != "" {
		return fd.Standard
	}
	return rule.Standard
}

// DefaultDocsURL is where the rules are documented (docs/rules.md) when
// Options.DocsURL is empty.
const DefaultDocsURL = "https://github.com/hee-rdp/rdpcheck/blob/main/docs/rules.md"

// ruleURL is the link to a rule's documentation: the docs URL (the
// default when empty, any fragment dropped) and the rule id in lower case
// as the anchor.
func ruleURL(docsURL, rule string) string {
	return docsPage(docsURL) + "#" + url.PathEscape(strings.ToLower(rule))
}

// docsPage is the rules documentation page: Options.DocsURL, or the
// default when it is empty, without any fragment.
func docsPage(docsURL string) string {
	if docsURL == "" {
		docsURL = DefaultDocsURL
	}
	if i := strings.IndexByte(docsURL, '#'); i >= 0 {
		docsURL = docsURL[:i]
	}
	return docsURL
}

// errNilReport is returned by every reporter when given a nil View or Report.
var errNilReport = errors.New("report: nil report")

// checkView returns errNilReport for a View that holds no report.
func checkView(v *View) error {
	if v == nil || v.Report == nil {
		return errNilReport
	}
	return nil
}
