package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/hee-rdp/rdpcheck/checker"
)

func init() {
	register(FormatJSON, func(Options) Reporter { return jsonReporter{} })
}

// jsonReporter writes the Report as indented JSON, the layout described by
// schemas/report.schema.json.
type jsonReporter struct{}

// Write writes r as JSON indented by two spaces, followed by a newline.
//
// The output is deterministic: the same Report always gives the same
// bytes. Arrays are never null: a nil Files or Findings slice is written
// as []. An empty Version is written as checker.ReportVersion. HTML
// characters such as < and & are written as they are, not \u-escaped,
// so that messages stay readable. r itself is not modified.
func (jsonReporter) Write(w io.Writer, v *View) error {
	if err := checkView(v); err != nil {
		return err
	}
	r := v.Report
	out := *r // shallow copy: the caller's Report is left untouched
	if out.Version == "" {
		out.Version = checker.ReportVersion
	}
	out.Files = make([]checker.FileResult, len(r.Files))
	for i, f := range r.Files {
		if f.Findings == nil {
			f.Findings = []checker.Finding{}
		}
		out.Files[i] = f
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil { // Encode ends with a newline
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
