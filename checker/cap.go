package checker

import (
	"fmt"
	"strconv"
)

// MaxFindingsPerRule is how many findings one rule may raise in one file.
// Past it, the rest are summed up in a single finding, so a report's size
// is bounded by the number of rules, however large or hostile the plan.
// A real plan raises a handful per rule.
const MaxFindingsPerRule = 20

// capFindings keeps, for each rule, the first max findings of fs (which
// is in report order) and replaces the rest with one finding that counts
// them. The summary finding takes its rule, severity, objective and place
// from the first finding left out, so it sorts and is waived like it.
func capFindings(fs []Finding, max int) []Finding {
	seen := map[string]int{}
	first := map[string]int{} // rule -> index in out of its summary finding
	out := fs[:0:0]
	for _, f := range fs {
		seen[f.Rule]++
		n := seen[f.Rule]
		switch {
		case n <= max:
			out = append(out, f)
		case n == max+1:
			first[f.Rule] = len(out)
			out = append(out, f)
		}
	}
	for rule, i := range first {
		out[i].Message = moreText(seen[rule]-max, max, out[i].Title, rule)
	}
	return out
}

// moreText is the message of the finding that stands for n findings
// left out of the report.
func moreText(n, max int, title, rule string) string {
	what := rule
	if title != "" {
		what = fmt.Sprintf("%q (%s)", title, rule)
	}
	return fmt.Sprintf("%s more findings of the check %s from here on are not listed: the report shows the first %d of each check in a file. Correct those, then check the plan again to see the rest.",
		groupDigits(n), what, max)
}

// groupDigits writes a count with thousands separators: 12787 -> "12,787".
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + groupDigits(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// foldObjective makes a finding whose objective is not one of the business
// plan's (a misspelt or invented id in the plan, or a user policy's own
// label) plan-wide, so that the per-objective grouping of every report
// stays bounded by the business plan. The message still names the id.
func (e *engine) foldObjective(fs []Finding) {
	for i := range fs {
		if _, ok := e.order[fs[i].Objective]; !ok {
			fs[i].Objective = PlanWide
		}
	}
}
