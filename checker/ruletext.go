package checker

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// EveryObjective in a rule's Objectives means that the rule applies to
// each of the business plan's objectives.
const EveryObjective = "every"

// EverySection in a rule's Sections means that the rule checks every
// part of the plan (the schema check).
const EverySection = "every"

// AppliesTo reports whether the rule's findings can fall under an
// objective (an id such as FW3, or "plan"), ignoring case.
func (r Rule) AppliesTo(objective string) bool {
	return slices.ContainsFunc(r.Objectives, func(o string) bool {
		return strings.EqualFold(o, objective) || (o == EveryObjective && !strings.EqualFold(objective, PlanWide))
	})
}

// InSection reports whether the rule checks a part of the plan (budget,
// metip, kpis...), ignoring case.
func (r Rule) InSection(section string) bool {
	return slices.ContainsFunc(r.Sections, func(s string) bool { return strings.EqualFold(s, section) || s == EverySection })
}

// paramRef is how rule documentation quotes a threshold from the
// reference data: {params.admin_share_cap_pct} reads 1.2, or whatever a
// --data file sets it to.
var paramRef = regexp.MustCompile(`\{params\.([a-z0-9_]+)\}`)

// fillRuleParams writes the reference data's current thresholds into the
// rules' documentation, so that what a planner reads is what is checked.
func fillRuleParams(rules []Rule, data map[string]any) {
	ref, _ := data["reference"].(map[string]any)
	params, _ := ref["params"].(map[string]any)
	fill := func(s string) string {
		return paramRef.ReplaceAllStringFunc(s, func(m string) string {
			v, ok := params[paramRef.FindStringSubmatch(m)[1]]
			if !ok {
				return m
			}
			return paramText(v)
		})
	}
	for i := range rules {
		rules[i].Description = fill(rules[i].Description)
		rules[i].Remediation = fill(rules[i].Remediation)
		rules[i].Details = fill(rules[i].Details)
	}
}

// paramText writes a parameter as a planner would read it: 0.05, 1,000,
// or a list joined with commas.
func paramText(v any) string {
	switch x := v.(type) {
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if x >= 1000 && x == float64(int64(x)) {
			return groupThousands(int64(x))
		}
		return s
	case int:
		return groupThousands(int64(x))
	case int64:
		return groupThousands(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = paramText(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// textList reads a METADATA list of strings (or one string).
func textList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{strings.TrimSpace(x)}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, strings.TrimSpace(s))
			}
		}
		return out
	}
	return nil
}
