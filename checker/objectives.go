package checker

// PlanWideTitle describes the plan-wide group of findings, beside the
// business plan's objective titles.
const PlanWideTitle = "The plan as a whole"

// ObjectiveTitles maps each objective id findings are grouped by to its
// title in the business plan (data.reference.objectives), and "plan" to
// PlanWideTitle, for the legends and headings of the reports.
func (c *Checker) ObjectiveTitles() map[string]string {
	out := map[string]string{PlanWide: PlanWideTitle, "reference": "The business plan's own published tables (reference data)"}
	for id, title := range c.engine.titles {
		out[id] = title
	}
	return out
}

// objectiveTitles reads the objectives' titles from the reference data.
func objectiveTitles(data map[string]any) map[string]string {
	out := map[string]string{}
	ref, _ := data["reference"].(map[string]any)
	objectives, _ := ref["objectives"].([]any)
	for _, o := range objectives {
		m, _ := o.(map[string]any)
		id, _ := m["id"].(string)
		title, _ := m["title"].(string)
		if id != "" && title != "" {
			out[id] = title
		}
	}
	return out
}

// referenceRegions reads data.reference.regions.
func referenceRegions(data map[string]any) []string {
	ref, _ := data["reference"].(map[string]any)
	list, _ := ref["regions"].([]any)
	var out []string
	for _, r := range list {
		if s, ok := r.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
