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
	"sort"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// Reporter writes a Report in one format.
type Reporter interface {
	// Write writes r to w. It returns the first error from w, or an
	// error if r cannot be presented (for example when r is nil).
	Write(w io.Writer, r *checker.Report) error
}

// Options control presentation.
type Options struct {
	// Color turns on ANSI colour in formats that support it. The caller
	// decides (terminal detection, NO_COLOR); reporters never look at the
	// environment themselves. Formats meant for machines ignore it.
	Color bool
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
var reporters = map[string]func(Options) Reporter{
	FormatText: func(opt Options) Reporter { return &textReporter{color: opt.Color} },
	FormatJSON: func(Options) Reporter { return jsonReporter{} },
}

// New returns the reporter for a format name, "text" or "json". Names are
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

// errNilReport is returned by every reporter when given a nil Report.
var errNilReport = errors.New("report: nil report")
