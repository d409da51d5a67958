# METADATA
# title: Quality Framework
# description: |
#   Placement quality under the HEE Quality Framework: providers under
#   intervention and the learner voice (NETS).
package rdp.quality

import data.rdp.lib

# METADATA
# title: Provider under intervention has an action plan
# description: |
#   A placement provider at enhanced or intensive intervention needs an action
#   plan saying who will bring its learning environment back to standard, by
#   when, and how.
# custom:
#   id: RDP-QUA-001
#   severity: error
#   standard: HEE Quality Framework and Quality Strategy 2021-2024; HEE Business Plan 2022/23, Quality and patient safety objective 1
#   remediation: Add action_plan to the provider with an owner, a due date inside the plan year and the actions agreed with it.
deny contains f if {
	some i, p in input.quality.providers
	p.intervention_level in data.reference.params.intervention_levels_needing_action_plan
	not is_object(object.get(p, "action_plan", null))
	msg := sprintf("Provider %s is at %s intervention (%s learners) but has no action plan; add one with an owner, a due date and actions.", [p.name, p.intervention_level, lib.int_text(object.get(p, "learners", 0))])
	f := lib.finding(rego.metadata.rule(), "QP1", sprintf("/quality/providers/%d", [i]), msg)
}
