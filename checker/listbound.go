package checker

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/planformat"
)

// boundLists cuts every list in plan that is longer than the plan
// format allows (the schema's maxItems) down to that bound, in place,
// and returns one error finding for each list it cut. It runs before the
// schema and the policies, so that their work and memory are bounded by
// the format, not by the plan: a list of 30,000 copies of one KPI is
// reported once, here, and only its first entries are checked further.
// It visits each value of the plan once.
func boundLists(plan any) []Finding {
	root, err := planformat.Root()
	if err != nil {
		return nil
	}
	var out []Finding
	var walk func(v any, n planformat.Node, pointer string)
	walk = func(v any, n planformat.Node, pointer string) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys) // findings in a stable order
			for _, k := range keys {
				child, ok := n.Child(k)
				if !ok {
					continue
				}
				at := pointer + "/" + document.EscapePointerToken(k)
				if list, ok := x[k].([]any); ok {
					if max, ok := child.MaxItems(); ok && len(list) > max {
						x[k] = list[:max:max]
						out = append(out, tooLong(plan, at, child, len(list), max))
					}
				}
				walk(x[k], child, at)
			}
		case []any:
			items, ok := n.Child("")
			if !ok {
				return
			}
			for i, e := range x {
				walk(e, items, pointer+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(plan, root, "")
	return out
}

// tooLong is the finding for a list of n entries cut to max.
func tooLong(plan any, pointer string, list planformat.Node, n, max int) Finding {
	what := list.Label()
	if what == "" {
		what = "entries"
	}
	msg := fmt.Sprintf("%s lists %s %s, but a plan can list at most %s; only the first %s were checked and the other %s were not checked at all. "+
		"Remove the repeated or surplus entries so that at most %s remain, then check the plan again.",
		planformat.Where(plan, pointer[:strings.LastIndex(pointer, "/")]), groupDigits(n), what, groupDigits(max), groupDigits(max), groupDigits(n-max), groupDigits(max))
	return Finding{
		Rule: SchemaRule, Severity: SeverityError, Objective: objectiveAt(plan, pointer),
		Path: pointer, Message: msg, Title: schemaTitle, Standard: schemaStandard,
	}
}
