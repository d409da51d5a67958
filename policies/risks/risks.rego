# METADATA
# title: Risks
# description: |
#   Risks to delivering each objective, and plan-wide risks (the plan's
#   top-level risks list) that threaten several. A high risk (likelihood x
#   impact at or above data.reference.params.high_risk_score, 15 by default)
#   needs a mitigation and an owner, wherever it is listed.
package rdp.risks

import data.rdp.lib

high_risks contains {"objective": o.id, "risk": r, "score": score, "path": sprintf("/objectives/%d/risks/%d", [i, j])} if {
	some i, o in input.objectives
	some j, r in o.risks
	score := r.likelihood * r.impact
	score >= data.reference.params.high_risk_score
}

# Plan-wide risks (the top-level risks list) are high on the same test. Their
# findings go to the first objective they name, or to the plan as a whole.
high_risks contains {"objective": plan_risk_objective(r), "risk": r, "score": score, "path": sprintf("/risks/%d", [j])} if {
	some j, r in plan_risks
	is_number(r.likelihood)
	is_number(r.impact)
	score := r.likelihood * r.impact
	score >= data.reference.params.high_risk_score
}

# plan_risks holds each plan-wide risk by its index, skipping malformed entries.
plan_risks := {j: r |
	is_array(input.risks)
	some j, r in input.risks
	is_object(r)
}

plan_risk_objective(r) := r.objectives[0] if {
	is_array(object.get(r, "objectives", null))
	count(r.objectives) > 0
	is_string(r.objectives[0])
} else := lib.plan_wide

# METADATA
# title: High risk has a mitigation
# description: |
#   A high risk without a mitigation is accepted by default rather than managed.
# custom:
#   id: RDP-RSK-001
#   severity: error
#   objectives: [every]
#   standard: HEE Board Assurance Framework (risk and opportunity management); HEE Business Plan 2022/23, section 6 (Governance and decision making)
#   remediation: Add a mitigation saying what will reduce the likelihood or the impact.
deny contains f if {
	some x in high_risks
	lib.blank(x.risk, "mitigation")
	msg := sprintf("Risk \"%s\" scores %d (likelihood %d x impact %d, high at %d or more) but has no mitigation; say what will reduce it.", [
		x.risk.description, x.score, x.risk.likelihood, x.risk.impact, data.reference.params.high_risk_score,
	])
	f := lib.finding(rego.metadata.rule(), x.objective, x.path, msg)
}

# METADATA
# title: High risk has an owner
# description: |
#   A high risk needs a named owner who answers for its mitigation.
# custom:
#   id: RDP-RSK-002
#   severity: error
#   objectives: [every]
#   standard: HEE Board Assurance Framework (risk and opportunity management); HEE Business Plan 2022/23, section 6 (Governance and decision making)
#   remediation: Set owner to the person or role who manages the risk.
deny contains f if {
	some x in high_risks
	lib.blank(x.risk, "owner")
	msg := sprintf("Risk \"%s\" scores %d (likelihood %d x impact %d, high at %d or more) but has no owner; name who manages it.", [
		x.risk.description, x.score, x.risk.likelihood, x.risk.impact, data.reference.params.high_risk_score,
	])
	f := lib.finding(rego.metadata.rule(), x.objective, x.path, msg)
}

# METADATA
# title: Plan-wide risk is linked to an objective
# description: |
#   A risk in the plan's top-level risks list names at least one business-plan
#   objective it threatens (objectives), so that it is reviewed with the
#   delivery of those objectives. Plan-wide risks are also held to the
#   high-risk rules RDP-RSK-001 and RDP-RSK-002.
# custom:
#   id: RDP-RSK-003
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 6 (Foundations of Success, Governance and Decision Making, where the Board Assurance Framework controls the uncertainties that may prevent delivery of the objectives) and section 7 (a Regional Delivery Plan shows the golden thread to the objectives)
#   remediation: List in the risk's objectives the ids of the objectives it threatens (for example FW1, QP1).
deny contains f if {
	some j, r in plan_risks
	objectives := object.get(r, "objectives", [])
	is_array(objectives)
	count(objectives) == 0
	msg := sprintf("Plan-wide risk \"%s\" is not linked to any objective; list the objectives it threatens in objectives.", [object.get(r, "description", "")])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, sprintf("/risks/%d/objectives", [j]), msg)
}
