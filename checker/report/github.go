package report

import (
	"bytes"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// FormatGitHub is GitHub Actions workflow commands, which annotate the
// lines of a pull request.
const FormatGitHub = "github"

func init() {
	register(FormatGitHub, func(Options) Reporter { return githubReporter{} })
}

// githubReporter writes one workflow command per finding.
type githubReporter struct{}

// Write writes v as GitHub Actions workflow commands, one a line:
//
//	::error file=PATH,line=N,col=M,title=RULE (OBJECTIVE)::message
//	::warning file=PATH,line=N,title=RULE (OBJECTIVE)::message
//	::notice file=PATH,title=RULE (OBJECTIVE)::message
//	::error file=PATH,line=N,col=M::could not be checked: reason
//	::notice::rdpcheck: 3 files checked, ...: 2 errors, 1 warning, 2 infos
//
// Errors are ::error, warnings ::warning and infos ::notice (an unknown
// severity is a warning). A waived finding is a ::notice whatever its
// severity, since it is accepted; like a new one, it is marked after the
// message as in the text report. Line and column are left out when they
// are unknown (0); PATH is the file as named on the command line, with
// forward slashes. A file that could not be checked is an ::error, and a
// last ::notice gives the summary. Every value goes through clean (no
// control or bidi characters, no nested workflow command); a file name
// that clean would change is named in the message instead of the file
// property. Values are then escaped as the runner
// expects: "%", "\r" and "\n" everywhere, and ":" and "," as well in
// properties, so that every command stays on one line and parses back.
func (githubReporter) Write(w io.Writer, v *View) error {
	if err := checkView(v); err != nil {
		return err
	}
	var b bytes.Buffer
	for _, f := range v.Files {
		file, where := githubPath(f.Path), ""
		if f.Kind != "" {
			file = "" // the roll-up's national findings and the reference data are not files of the repository
		}
		if clean(file) != file {
			// A name that clean would change cannot be a property as it
			// is: the annotation goes without a place and names the file
			// (cleaned) in its message.
			file, where = "", clean(file)+": "
		}
		if e := f.Error; e != nil {
			githubCommand(&b, "error", githubLocation(file, e.Line, e.Column), where+"could not be checked: "+e.Message)
		}
		for _, fd := range f.Findings {
			title := fd.Rule
			if fd.Objective != "" {
				title += " (" + fd.Objective + ")"
			}
			props := append(githubLocation(file, fd.Line, fd.Column), [2]string{"title", title})
			command := githubCommandName(fd.Severity)
			if fd.Waiver != nil {
				command = "notice"
			}
			msg := fd.Message
			if fd.Sheet != "" {
				msg = cellRef(fd.Sheet, fd.Cell) + ": " + msg
			}
			githubCommand(&b, command, props, where+msg+marks(fd))
		}
	}
	if n := v.Report.National; n != nil {
		githubCommand(&b, "notice", [][2]string{{"title", "National picture"}}, nationalSummary(n))
	}
	summary := "rdpcheck: " + summaryLine(v.Report.Summary)
	if p := provenance(v.Report.Provenance); p != nil {
		summary += ". " + p.Headline
		if len(p.Changes) > 0 {
			summary += " Changed: " + strings.Join(p.Changes, "; ") + "."
		}
	}
	githubCommand(&b, "notice", nil, summary)
	_, err := w.Write(b.Bytes())
	return err
}

// githubCommandName is the workflow command for a severity.
func githubCommandName(s checker.Severity) string {
	switch s {
	case checker.SeverityError:
		return "error"
	case checker.SeverityInfo:
		return "notice"
	}
	return "warning"
}

// githubPath is a file as GitHub annotates it: forward slashes.
func githubPath(path string) string {
	return filepath.ToSlash(path)
}

// githubLocation is the file, line and column properties, leaving out
// what is unknown (zero); a column needs a line.
func githubLocation(file string, line, column int) [][2]string {
	if file == "" {
		return nil // not a file: an annotation without a place
	}
	props := [][2]string{{"file", file}}
	if line > 0 {
		props = append(props, [2]string{"line", strconv.Itoa(line)})
		if column > 0 {
			props = append(props, [2]string{"col", strconv.Itoa(column)})
		}
	}
	return props
}

// githubCommand writes "::command k=v,k=v::message" and a newline.
func githubCommand(b *bytes.Buffer, command string, props [][2]string, message string) {
	b.WriteString("::")
	b.WriteString(command)
	for i, p := range props {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(p[0])
		b.WriteByte('=')
		b.WriteString(githubEscapeProperty(clean(p[1])))
	}
	b.WriteString("::")
	b.WriteString(githubEscapeData(clean(message)))
	b.WriteByte('\n')
}

// githubDataEscaper and githubPropertyEscaper escape as the Actions
// runner unescapes (the toolkit's command.ts). A Replacer makes one pass,
// so the "%" of an escape is never escaped again.
var (
	githubDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// githubEscapeData escapes a command's message.
func githubEscapeData(s string) string { return githubDataEscaper.Replace(s) }

// githubEscapeProperty escapes a command's property value.
func githubEscapeProperty(s string) string { return githubPropertyEscaper.Replace(s) }
