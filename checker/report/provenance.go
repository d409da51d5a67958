package report

import (
	"fmt"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
)

// provenanceHeading titles the provenance block in markdown and html.
const provenanceHeading = "How this report was made"

// shortHash shortens a SHA-256 for people: its first 12 hex digits.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Provenance is a report's provenance worded for people, the same in
// every human format: a headline that tells a stock run from a modified
// one, what the run changed (policies, data, rule filters), and the other
// files it read. Every text in it has been through clean.
type Provenance struct {
	// Headline: "Made 2022-10-01 by rdpcheck v1.2.3 with the built-in
	// rulebook, unmodified." or "... with a MODIFIED rulebook: ...".
	Headline string
	// Rulebook is the short hash of the compiled rulebook.
	Rulebook string
	// Changes are what made the rulebook differ from the built-in one:
	// extra policy directories, changed reference values, rule filters.
	Changes []string
	// Read are the other files the run read: data files, waivers,
	// baseline and config.
	Read []ProvenanceFile
}

// ProvenanceFile is a file a run read: what it is for, its path and the
// short hash of its content (all cleaned).
type ProvenanceFile struct {
	What, Path, Hash string
}

// String is "waivers fixtures/waivers.yaml (sha256 0123456789ab)".
func (f ProvenanceFile) String() string {
	return fmt.Sprintf("%s %s (sha256 %s)", f.What, f.Path, f.Hash)
}

// provenance words p for people; nil when the report has none.
func provenance(p *checker.Provenance) *Provenance {
	if p == nil {
		return nil
	}
	out := &Provenance{Rulebook: shortHash(p.Rulebook)}
	state := "the built-in rulebook, unmodified"
	if !p.Stock {
		state = "a MODIFIED rulebook"
	}
	out.Headline = clean(fmt.Sprintf("Made %s by rdpcheck %s with %s.", p.Date, p.Tool, state))
	input := func(what string, in *checker.Input) ProvenanceFile {
		return ProvenanceFile{What: what, Path: clean(in.Path), Hash: shortHash(in.SHA256)}
	}
	for i := range p.Policies {
		out.Changes = append(out.Changes, input("extra policies from", &p.Policies[i]).String())
	}
	for _, o := range p.Overrides {
		from := o.From
		if from == "" {
			from = "(not set)"
		}
		out.Changes = append(out.Changes, clean(fmt.Sprintf("%s: %s → %s (%s)", o.Path, from, o.To, o.Source)))
	}
	if p.MoreOverrides > 0 {
		out.Changes = append(out.Changes, fmt.Sprintf("and %s", plural(p.MoreOverrides, "more changed value", "more changed values")))
	}
	if len(p.Rules) > 0 {
		out.Changes = append(out.Changes, clean("only the rules matching "+strings.Join(p.Rules, ", ")))
	}
	for i := range p.Data {
		out.Read = append(out.Read, input("data file", &p.Data[i]))
	}
	for _, f := range []struct {
		what string
		in   *checker.Input
	}{{"waivers", p.Waivers}, {"baseline", p.Baseline}, {"config", p.Config}} {
		if f.in != nil {
			out.Read = append(out.Read, input(f.what, f.in))
		}
	}
	return out
}

// Lines are the provenance as plain lines: the headline, then each
// change and each file read (by name: the hashes are in the other
// formats), indented by two spaces, for the text report. The rulebook
// hash is shown when the rulebook was modified.
func (p *Provenance) Lines() []string {
	head := p.Headline
	if len(p.Changes) > 0 {
		head = strings.TrimSuffix(head, ".") + fmt.Sprintf(" (sha256 %s):", p.Rulebook)
	}
	lines := []string{head}
	for _, c := range p.Changes {
		lines = append(lines, "  "+c)
	}
	for _, r := range p.Read {
		lines = append(lines, "  read "+r.What+" "+r.Path)
	}
	return lines
}
