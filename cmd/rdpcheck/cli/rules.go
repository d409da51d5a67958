package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/hee-rdp/rdpcheck/checker"
)

// ruleFormats writes the rule list in each format `rdpcheck rules` offers.
var ruleFormats = map[string]func(io.Writer, []checker.Rule) error{
	"text":     writeRulesText,
	"json":     writeRulesJSON,
	"markdown": writeRulesMarkdown,
}

// newRulesChecker compiles the policies a rules or explain command names.
func newRulesChecker(cmd *command) (*checker.Checker, error) {
	s, err := cmd.resolve()
	if err != nil {
		return nil, err
	}
	return checker.New(context.Background(), checker.Options{PolicyDirs: s.Policies, DataFiles: s.Data})
}

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("rules", stderr)
	format := fs.StringP("format", "f", "text", "output format: text, json or markdown (docs/rules.md is the markdown)")
	cmd := newCommand(fs, "policy", "data")
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	write, ok := ruleFormats[*format]
	if !ok {
		return fail(stderr, fmt.Errorf("--format %q: use text, json or markdown", *format))
	}
	c, err := newRulesChecker(cmd)
	if err != nil {
		return fail(stderr, err)
	}
	if err := write(stdout, c.Rules()); err != nil {
		return fail(stderr, err)
	}
	return ExitOK
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("explain", stderr)
	cmd := newCommand(fs, "policy", "data")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: rdpcheck explain [flags] RULE...\n\nPrints the full documentation of each rule, e.g. rdpcheck explain RDP-BUD-001.\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fail(stderr, fmt.Errorf("name a rule id; rdpcheck rules lists them"))
	}
	c, err := newRulesChecker(cmd)
	if err != nil {
		return fail(stderr, err)
	}
	code := ExitOK
	for i, id := range fs.Args() {
		r, ok := c.Rule(id)
		if !ok {
			fmt.Fprintf(stderr, "rdpcheck: no rule %q; rdpcheck rules lists them\n", id)
			code = ExitError
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "%s  %s\n", r.ID, r.Title)
		fmt.Fprintf(stdout, "  severity:    %s\n  package:     %s\n  defined at:  %s\n  standard:    %s\n", r.Severity, r.Package, r.Location, r.Standard)
		fmt.Fprintf(stdout, "\n%s\n\nHow to fix: %s\n", indent(r.Description), r.Remediation)
	}
	return code
}

func indent(s string) string {
	if s == "" {
		return "(no description)"
	}
	return strings.TrimRight(s, "\n")
}

func writeRulesText(w io.Writer, rules []checker.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE\tSTANDARD")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Title, r.Standard)
	}
	return tw.Flush()
}

func writeRulesJSON(w io.Writer, rules []checker.Rule) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rules)
}

// writeRulesMarkdown writes docs/rules.md: a summary table, then one
// section per rule whose anchor is the lower-case rule id.
func writeRulesMarkdown(w io.Writer, rules []checker.Rule) error {
	var b strings.Builder
	b.WriteString("# rdpcheck rules\n\n")
	b.WriteString("Generated from the rules' METADATA by `make docs` (`rdpcheck rules --format markdown`); do not edit by hand.\n\n")
	b.WriteString("| id | severity | title |\n|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Severity, cell(r.Title))
	}
	for _, r := range rules {
		fmt.Fprintf(&b, "\n## %s\n\n**%s**\n\n", r.ID, r.Title)
		fmt.Fprintf(&b, "- Severity: %s\n- Standard: %s\n- Package: `%s` (`%s`)\n\n", r.Severity, r.Standard, r.Package, r.Location)
		if r.Description != "" {
			fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(r.Description))
		}
		fmt.Fprintf(&b, "How to fix: %s\n", r.Remediation)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
