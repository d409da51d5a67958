package report

import (
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"two\nlines\tand\rreturn", "two lines and return"},
		{"esc \x1b[31mred", `esc \u001B[31mred`},
		{"next\u0085line", `next\u0085line`},
		{"sep\u2028and\u2029para", `sep\u2028and\u2029para`},
		{"abc\u202Efed", `abc\u202Efed`},
		{"iso\u2066x\u2069", `iso\u2066x\u2069`},
		{"zero\u200Bwidth\uFEFF", `zero\u200Bwidth\uFEFF`},
		{"##[add-mask]London ##[error]x", `##\[add-mask]London ##\[error]x`},
		{"::error title=Forged::all plans approved.yaml", `:\:error title=Forged::all plans approved.yaml`},
		{"  \t::warning::x", `   :\:warning::x`},
		{"\n::set-output name=x::y", ` :\:set-output name=x::y`},
		{"a::b", "a::b"},
		{"£5,449.4m — North East", "£5,449.4m — North East"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// hostileReport carries plan text and a file name that try to issue
// workflow commands, reorder text and break lines.
func hostileReport() *checker.Report {
	msg := "region ##[add-mask]London ##[error]x \u202Eevil\u202C line\u2028sep\u0085next\n::error::forged"
	return checker.NewReport([]checker.FileResult{
		{
			Path: "::error title=Forged::all plans approved.yaml", Region: "##[group]Lon\u2066don",
			Findings: []checker.Finding{{Rule: "RDP-BUD-002", Severity: checker.SeverityError, Objective: "FW1", Path: "/region", Line: 3, Column: 1, Message: msg}},
		},
		{
			Path:  "  ::warning::b.yaml",
			Error: &checker.FileError{Message: "bad ##[endgroup] \u202E", Line: 2},
		},
	})
}

// TestHumanFormatsNeutraliseCommands renders the hostile report in every
// human-readable format: no line may start (after spaces) with "::" other
// than the github format's own commands, none may contain "##[", and no
// control, bidi or separator character may pass through.
func TestHumanFormatsNeutraliseCommands(t *testing.T) {
	for _, format := range []string{FormatText, FormatMarkdown, FormatHTML, FormatJUnit, FormatGitHub} {
		t.Run(format, func(t *testing.T) {
			out := string(render(t, format, Options{FailOn: checker.SeverityError}, hostileReport()))
			if strings.Contains(out, "##[") {
				t.Errorf("output holds ##[:\n%s", out)
			}
			for _, r := range []rune{'\u202E', '\u2066', '\u2028', '\u0085', '\x1b'} {
				if strings.ContainsRune(out, r) {
					t.Errorf("output holds U+%04X", r)
				}
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			for i, line := range lines {
				rest := strings.TrimLeft(line, " \t")
				if !strings.HasPrefix(rest, "::") {
					continue
				}
				if format != FormatGitHub {
					t.Errorf("line %d starts a workflow command: %q", i+1, line)
				} else if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::error::") && !strings.HasPrefix(line, "::notice::rdpcheck:") {
					t.Errorf("line %d is not one of the report's own commands: %q", i+1, line)
				}
			}
			if !strings.Contains(out, `\u202E`) {
				t.Errorf("the bidi override is not shown as \\u202E:\n%s", out)
			}
		})
	}
}

// TestGitHubUnsafeFileName checks that a file name clean would change is
// not used as the annotation's file, but named (cleaned) in its message.
func TestGitHubUnsafeFileName(t *testing.T) {
	out := string(render(t, FormatGitHub, Options{}, hostileReport()))
	first := strings.SplitN(out, "\n", 2)[0]
	if want := `::error title=RDP-BUD-002 (FW1)::` + `:\:error title=Forged::all plans approved.yaml: region ##\[add-mask]`; !strings.HasPrefix(first, want) {
		t.Errorf("first command = %q", first)
	}
}
