# METADATA
# title: Risks
# description: |
#   Risks to delivering each objective. A high risk (likelihood x impact at or
#   above data.reference.params.high_risk_score, 15 by default) needs a
#   mitigation and an owner.
package rdp.risks

import data.rdp.lib

high_risks contains {"objective": o.id, "risk": r, "score": score, "path": sprintf("/objectives/%d/risks/%d", [i, j])} if {
	some i, o in input.objectives
	some j, r in o.risks
	score := r.likelihood * r.impact
	score >= data.reference.params.high_risk_score
}

# METADATA
# title: High risk has a mitigation
# description: |
#   A high risk without a mitigation is accepted by default rather than managed.
# custom:
#   id: RDP-RSK-001
#   severity: error
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
