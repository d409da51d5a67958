package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
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
	objective := fs.String("objective", "", "list only the rules that apply to this objective (e.g. FW3, or plan for plan-wide rules)")
	section := fs.String("section", "", "list only the rules that check this part of the plan (e.g. budget, metip, kpis)")
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
	rules := c.Rules()
	if *objective != "" {
		if !slices.ContainsFunc(objectiveNames(c), func(o string) bool { return strings.EqualFold(o, *objective) }) {
			return fail(stderr, fmt.Errorf("--objective %q: use one of %s", *objective, strings.Join(objectiveNames(c), ", ")))
		}
		rules = slices.DeleteFunc(rules, func(r checker.Rule) bool { return !r.AppliesTo(*objective) })
	}
	if *section != "" {
		if !slices.ContainsFunc(sectionNames(c), func(s string) bool { return strings.EqualFold(s, *section) }) {
			return fail(stderr, fmt.Errorf("--section %q: use one of %s", *section, strings.Join(sectionNames(c), ", ")))
		}
		rules = slices.DeleteFunc(rules, func(r checker.Rule) bool { return !r.InSection(*section) })
	}
	if err := write(stdout, rules); err != nil {
		return fail(stderr, err)
	}
	return ExitOK
}

// objectiveNames lists the objectives rules can apply to: plan, then the
// business plan's objectives in order.
func objectiveNames(c *checker.Checker) []string { return c.Objectives() }

// sectionNames lists the parts of the plan the rules check, sorted.
func sectionNames(c *checker.Checker) []string {
	var out []string
	for _, r := range c.Rules() {
		for _, s := range r.Sections {
			if s != checker.EverySection && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("explain", stderr)
	cmd := newCommand(fs, "policy", "data")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: rdpcheck explain [flags] RULE|OBJECTIVE|SECTION...\n\nPrints the full documentation of each rule, e.g. rdpcheck explain RDP-BUD-001,\nor lists the rules for an objective or part of the plan, e.g. rdpcheck explain FW3 or rdpcheck explain budget.\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fail(stderr, fmt.Errorf("name a rule id, an objective or a part of the plan; rdpcheck rules lists the rules"))
	}
	c, err := newRulesChecker(cmd)
	if err != nil {
		return fail(stderr, err)
	}
	code := ExitOK
	for i, id := range fs.Args() {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if r, ok := c.Rule(id); ok {
			explainRule(stdout, r)
			continue
		}
		if list, what, ok := rulesFor(c, id); ok {
			fmt.Fprintf(stdout, "Rules that apply to %s (rdpcheck explain RULE for one of them):\n\n", what)
			if err := writeRulesText(stdout, list); err != nil {
				return fail(stderr, err)
			}
			continue
		}
		fmt.Fprintf(stderr, "rdpcheck: no rule, objective or part of the plan called %q; rdpcheck rules lists the rules, and the parts of the plan are %s\n", id, strings.Join(sectionNames(c), ", "))
		code = ExitError
	}
	return code
}

// rulesFor lists the rules for an objective id or a part of the plan.
func rulesFor(c *checker.Checker, name string) ([]checker.Rule, string, bool) {
	rules := c.Rules()
	for _, o := range objectiveNames(c) {
		if strings.EqualFold(o, name) {
			what := "objective " + o
			if o == checker.PlanWide {
				what = "the plan as a whole"
			}
			return slices.DeleteFunc(rules, func(r checker.Rule) bool { return !r.AppliesTo(o) }), what, true
		}
	}
	for _, s := range sectionNames(c) {
		if strings.EqualFold(s, name) {
			return slices.DeleteFunc(rules, func(r checker.Rule) bool { return !r.InSection(s) }), "the " + s + " part of the plan", true
		}
	}
	return nil, "", false
}

// explainRule writes one rule's documentation: first for planners (what
// is checked, how to fix it), then, apart, for policy authors.
func explainRule(w io.Writer, r checker.Rule) {
	fmt.Fprintf(w, "%s  %s\n", r.ID, r.Title)
	fmt.Fprintf(w, "  severity:    %s\n  applies to:  %s\n  standard:    %s\n", r.Severity, appliesText(r), r.Standard)
	fmt.Fprintf(w, "\n%s\n\nHow to fix: %s\n", indent(reflow(r.Description)), r.Remediation)
	fmt.Fprintf(w, "\nFor policy authors:\n  package:     %s\n  defined at:  %s\n", r.Package, r.Location)
	if r.Details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(r.Details, "\n"))
	}
}

// appliesText says which objectives and parts of the plan a rule covers.
func appliesText(r checker.Rule) string {
	var objs []string
	for _, o := range r.Objectives {
		switch o {
		case checker.EveryObjective:
			objs = append(objs, "every objective")
		case checker.PlanWide:
			objs = append(objs, "the plan as a whole")
		default:
			objs = append(objs, o)
		}
	}
	parts := slices.DeleteFunc(slices.Clone(r.Sections), func(s string) bool { return s == checker.EverySection })
	out := strings.Join(objs, ", ")
	if len(parts) > 0 {
		out += " (" + strings.Join(parts, ", ") + ")"
	} else if slices.Contains(r.Sections, checker.EverySection) {
		out += " (every part of the plan)"
	}
	return out
}

// reflow joins the lines of each paragraph, so that text whose figures
// were filled in from the reference data reads without ragged breaks.
func reflow(s string) string {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n\n")
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
		fmt.Fprintf(&b, "- Severity: %s\n- Applies to: %s\n- Standard: %s\n\n", r.Severity, appliesText(r), r.Standard)
		if r.Description != "" {
			fmt.Fprintf(&b, "%s\n\n", reflow(r.Description))
		}
		fmt.Fprintf(&b, "How to fix: %s\n", r.Remediation)
		fmt.Fprintf(&b, "\nFor policy authors: `%s` (`%s`)", r.Package, r.Location)
		if r.Details != "" {
			fmt.Fprintf(&b, ". %s", strings.TrimSpace(r.Details))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
