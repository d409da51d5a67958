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
#   objectives: [QP1]
#   standard: HEE Quality Framework and Quality Strategy 2021-2024; HEE Business Plan 2022/23, Quality and patient safety objective 1
#   remediation: Add action_plan to the provider with an owner, a due date inside the plan year and the actions agreed with it.
deny contains f if {
	some i, p in input.quality.providers
	p.intervention_level in data.reference.params.intervention_levels_needing_action_plan
	not is_object(object.get(p, "action_plan", null))
	msg := sprintf("Provider %s is at %s intervention (%s learners) but has no action plan; add one with an owner, a due date and actions.", [p.name, p.intervention_level, lib.int_text(object.get(p, "learners", 0))])
	f := lib.finding(rego.metadata.rule(), "QP1", sprintf("/quality/providers/%d", [i]), msg)
}

params := data.reference.params

# addressed_domains: the Quality Framework domains named by at least one
# objective that also has at least one action.
addressed_domains contains d if {
	some o in input.objectives
	is_array(object.get(o, "actions", null))
	count(o.actions) > 0
	is_array(object.get(o, "quality_domains", null))
	some d in o.quality_domains
}

# METADATA
# title: Every Quality Framework domain is addressed
# description: |
#   Each of the six domains of the HEE Quality Framework is addressed by at
#   least one objective: the objective lists the domain among its quality
#   domains and has at least one action. A domain listed only by objectives
#   without actions is not addressed. One finding is raised for each domain
#   left out.
# custom:
#   id: RDP-QUA-002
#   severity: error
#   objectives: [QP1]
#   standard: HEE Quality Framework (six domains, from learning environment and culture to developing a sustainable workforce); HEE Business Plan 2022/23, Quality and patient safety objective 1 (embed the Quality Strategy and Quality Framework)
#   remediation: Add the domain to quality_domains of the objective whose actions address it, or add an action to an objective that lists it.
#   details: >-
#     Domains: data.reference.quality_domains.
deny contains f if {
	is_array(input.objectives)
	some domain in data.reference.quality_domains
	not domain.id in addressed_domains
	msg := sprintf("Quality Framework domain %d (%s) is not addressed: no objective with actions lists it in quality_domains; add it to the objective whose actions cover it.", [domain.id, domain.title])
	f := lib.finding(rego.metadata.rule(), "QP1", "/objectives", msg)
}

# action_plan_problems: for each provider's action plan, the pointer and the
# message for a blank owner or a due date missing or outside the plan year.
action_plan_problems contains {"path": sprintf("/quality/providers/%d/action_plan/owner", [i]), "msg": msg} if {
	some i, p in providers
	plan := p.action_plan
	lib.blank(plan, "owner")
	msg := sprintf("The action plan for provider %s has no owner; name the role accountable for it.", [provider_name(p)])
}

action_plan_problems contains {"path": sprintf("/quality/providers/%d/action_plan/due", [i]), "msg": msg} if {
	some i, p in providers
	not is_string(object.get(p.action_plan, "due", null))
	msg := sprintf("The action plan for provider %s has no due date; set one inside the plan year (%s to %s).", [
		provider_name(p), data.reference.plan_year.start, data.reference.plan_year.end,
	])
}

action_plan_problems contains {"path": sprintf("/quality/providers/%d/action_plan/due", [i]), "msg": msg} if {
	some i, p in providers
	due := p.action_plan.due
	is_string(due)
	regex.match(`^\d{4}-\d{2}-\d{2}$`, due)
	outside_plan_year(due)
	msg := sprintf("The action plan for provider %s is due on %s, outside the plan year (%s to %s); set a due date inside the plan year.", [
		provider_name(p), due, data.reference.plan_year.start, data.reference.plan_year.end,
	])
}

# providers holds each provider that has an action plan object, by index.
providers := {i: p |
	is_array(input.quality.providers)
	some i, p in input.quality.providers
	is_object(p)
	is_object(object.get(p, "action_plan", null))
}

provider_name(p) := sprintf("%v", [object.get(p, "name", "(unnamed)")])

# ISO dates compare correctly as strings.
outside_plan_year(date) if date < data.reference.plan_year.start

outside_plan_year(date) if date > data.reference.plan_year.end

# METADATA
# title: Provider action plan has an owner and a due date in the plan year
# description: |
#   An action plan agreed with a placement provider names the role
#   accountable for it and is due inside the plan year (1 April 2022 to
#   31 March 2023). The finding says which of the two is wrong.
# custom:
#   id: RDP-QUA-003
#   severity: error
#   objectives: [QP1]
#   standard: HEE Quality Framework and Quality Strategy 2021-2024 (interventions to improve learning environments); HEE Business Plan 2022/23, Quality and patient safety objective 1 and section 7 (regions' direct partnerships with providers on education and training quality)
#   remediation: Set the action plan's owner to the accountable role and its due date to a day inside the plan year.
#   details: >-
#     The plan year is data.reference.plan_year.
deny contains f if {
	some x in action_plan_problems
	f := lib.finding(rego.metadata.rule(), "QP1", x.path, x.msg)
}

# nets is the region's NETS results object, if there is one.
nets := input.quality.nets if is_object(input.quality.nets)

# small_sample is true when NETS results come from fewer respondents than may be reported.
small_sample if {
	is_number(nets.respondents)
	nets.respondents < params.nets_min_respondents
}

# nets_label names a NETS indicator for a planner.
nets_label := {
	"overall_satisfaction_pct": "overall satisfaction",
	"supervision_positive_pct": "learners positive about supervision",
	"placement_positive_pct": "learners positive about their placement",
}

# qp3_improves: the NETS indicators that QP3 actions say they improve.
qp3_improves contains k if {
	some o in input.objectives
	o.id == "QP3"
	is_array(object.get(o, "actions", null))
	some a in o.actions
	is_array(object.get(a, "improves", null))
	some k in a.improves
}

# points_text formats a value held in thousandths of a point: 5500 -> "5.5".
points_text(k) := concat("", [lib.sign(k), lib.units_text(abs(k), 3)])

# METADATA
# title: A weak NETS result has an improvement action under QP3
# description: |
#   When a NETS result is more than {params.nets_gap_points} percentage
#   points below the national figure (90% positive about supervision and 89%
#   positive about placements in the 2020/21 survey), an action under QP3 says
#   it improves that result. Results without a national figure are not
#   compared, nor are results from too few respondents to be reported
#   (RDP-QUA-005).
# custom:
#   id: RDP-QUA-004
#   severity: error
#   objectives: [QP3]
#   standard: HEE Business Plan 2022/23, Quality and patient safety objective 3 (hear and act on the learner voice); national NETS figures from HEE's 2020/21 Review of the Year
#   remediation: Add an action under QP3 that will improve the indicator, with the indicator listed in its improves.
#   details: >-
#     Gap: data.reference.params.nets_gap_points; national figures: data.reference.nets_national; the action lists the indicator in objectives[QP3].actions[].improves. Percentages are compared as exact thousandths.
deny contains f if {
	not small_sample
	some k, national in data.reference.nets_national
	is_number(national)
	regional := nets[k]
	is_number(regional)
	gap := lib.thousandths(national) - lib.thousandths(regional)
	threshold := lib.thousandths(params.nets_gap_points)
	gap > threshold
	not k in qp3_improves
	msg := sprintf("NETS %s (%s) is %v%% in the region against %v%% nationally, %s points below, more than the %v-point threshold; add an improvement action under QP3 with %s in its improves.", [
		object.get(nets_label, k, k), k, regional, national, points_text(gap), params.nets_gap_points, k,
	])
	f := lib.finding(rego.metadata.rule(), "QP3", sprintf("/quality/nets/%s", [k]), msg)
}

# METADATA
# title: NETS results from too few respondents are not reported
# description: |
#   NETS percentages from fewer than {params.nets_min_respondents}
#   respondents must be left out of the plan: results from so few learners
#   could identify them. The number of respondents may still be given.
# custom:
#   id: RDP-QUA-005
#   severity: error
#   objectives: [QP3]
#   standard: HEE Business Plan 2022/23, Quality and patient safety objective 3 (learner voice, measured through NETS); small-number disclosure control as set for the rulebook (NETS results from fewer than three respondents are not reported)
#   remediation: Remove the NETS percentages and keep only the number of respondents.
#   details: >-
#     Minimum: data.reference.params.nets_min_respondents.
deny contains f if {
	small_sample
	reported := sort([k | some k, v in nets; endswith(k, "_pct")])
	count(reported) > 0
	msg := sprintf("NETS results are given from only %s respondents, fewer than the %s that may be reported (%s); remove the percentages so that learners cannot be identified.", [
		lib.int_text(nets.respondents), lib.int_text(params.nets_min_respondents), concat(", ", reported),
	])
	f := lib.finding(rego.metadata.rule(), "QP3", "/quality/nets/respondents", msg)
}
