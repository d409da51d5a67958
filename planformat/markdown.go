package planformat

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Markdown writes the format guide (docs/plan-format.md) for sections
// made by Guide.
func Markdown(sections []Section) []byte {
	var b bytes.Buffer
	b.WriteString("# The plan format (rdp/v1)\n\n")
	b.WriteString("<!-- Generated from schemas/plan.schema.json by `make plan-format`; do not edit by hand. -->\n\n")
	b.WriteString("A Regional Delivery Plan is one YAML or JSON file. This guide lists every section and field of the\n" +
		"file: what it means, what kind of value it takes, the allowed values and the unit. `[]` in a field's\n" +
		"place means \"each entry of the list\": `lines[].code` is the code of every budget line. Fields marked\n" +
		"**required** must be there whenever the part of the plan that holds them is there. The examples come\n" +
		"from the London plan in `fixtures/plans/valid/`, with the first entry of each list.\n\n")
	for _, s := range sections {
		fmt.Fprintf(&b, "- [%s](#%s)\n", s.Title, anchor(s.Title))
	}
	b.WriteString("\n")
	for _, s := range sections {
		fmt.Fprintf(&b, "## %s\n\n", s.Title)
		if s.Key != "" {
			fmt.Fprintf(&b, "Key: `%s`. ", s.Key)
		}
		b.WriteString(s.Description + "\n\n")
		b.WriteString("| field | meaning | value |\n|---|---|---|\n")
		for _, f := range s.Fields {
			name := "`" + f.Path + "`"
			if f.Required {
				name += " **required**"
			}
			meaning := f.Title
			if f.Meaning != "" {
				meaning += ": " + f.Meaning
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", name, cell(meaning), cell(valueWords(f)))
		}
		b.WriteString("\n")
		if s.Example != "" {
			b.WriteString("Example:\n\n```yaml\n" + s.Example + "```\n\n")
		}
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// valueWords sums up a field's value: its kind, allowed values, form,
// bounds and unit.
func valueWords(f Field) string {
	parts := []string{f.Type}
	if len(f.Allowed) == 1 {
		parts = []string{"exactly `" + f.Allowed[0] + "`"}
	} else if len(f.Allowed) > 1 {
		q := make([]string, len(f.Allowed))
		for i, a := range f.Allowed {
			q[i] = "`" + a + "`"
		}
		parts = append(parts, "one of "+strings.Join(q, ", "))
	}
	if f.Form != "" && f.Type != "date" {
		parts = append(parts, f.Form)
	}
	if f.Type == "date" {
		parts = append(parts, "YYYY-MM-DD")
	}
	switch {
	case f.Min != nil && f.Max != nil:
		parts = append(parts, fmt.Sprintf("from %s to %s", num(*f.Min), num(*f.Max)))
	case f.Min != nil:
		parts = append(parts, fmt.Sprintf("at least %s", num(*f.Min)))
	case f.Max != nil:
		parts = append(parts, fmt.Sprintf("at most %s", num(*f.Max)))
	}
	if f.Unit != "" {
		parts = append(parts, "in "+f.Unit)
	}
	if f.MaxItems > 0 {
		parts = append(parts, fmt.Sprintf("at most %d entries", f.MaxItems))
	}
	return strings.Join(parts, "; ")
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

// anchor is the GitHub heading anchor of a title.
func anchor(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
