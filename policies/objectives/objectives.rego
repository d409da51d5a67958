# METADATA
# title: Objectives
# description: |
#   The plan answers every objective in the HEE Business Plan 2022/23 once,
#   each with actions and KPIs, and maps each to the Board Assurance
#   Framework (BAF) opportunities the business plan gives it.
package rdp.objectives

import data.rdp.lib

# Objective ids the plan answers.
plan_ids contains o.id if some o in input.objectives

# Indexes of the plan's entries for each objective id. The outer
# comprehension visits each distinct id once and OPA indexes the inner one
# on id, so this is linear in the plan even when an id is repeated.
entries := {id: idxs |
	some id in plan_ids
	idxs := [i | some i; input.objectives[i].id == id]
}

# METADATA
# title: Every business-plan objective is answered
# description: |
#   A Regional Delivery Plan shows how the region delivers each objective of
#   the national business plan. An objective with no entry leaves part of the
#   business plan without a local delivery route.
# custom:
#   id: RDP-OBJ-001
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 5 (goals and objectives) and section 7 (Regional Delivery Plans)
#   remediation: Add an entry under objectives with this id, its actions, KPIs, BAF opportunities and Quality Framework domains.
deny contains f if {
	some ref in data.reference.objectives
	not ref.id in plan_ids
	msg := sprintf("Objective %s (%s) is missing from the plan; add an entry for it with actions and KPIs.", [ref.id, ref.title])
	f := lib.finding(rego.metadata.rule(), ref.id, "/objectives", msg)
}

# METADATA
# title: Each objective is answered once
# description: |
#   Two entries for the same objective split its actions, KPIs and risks, and
#   reviewers cannot tell which one is the region's commitment.
# custom:
#   id: RDP-OBJ-002
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 5 (goals and objectives)
#   remediation: Merge the entries into one, keeping all the actions, KPIs and risks.
deny contains f if {
	some id, idxs in entries
	count(idxs) > 1
	some k, i in idxs
	k > 0
	msg := sprintf("Objective %s appears %d times: entry %d of the objectives list repeats entry %d; merge them into one entry.", [id, count(idxs), i + 1, idxs[0] + 1])
	f := lib.finding(rego.metadata.rule(), id, sprintf("/objectives/%d/id", [i]), msg)
}

# METADATA
# title: Each objective has at least one action
# description: |
#   An objective with no actions does not say how the region will deliver it.
# custom:
#   id: RDP-OBJ-003
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 7 (Regional Delivery Plans)
#   remediation: Add at least one action with a description, an owner and a due date inside the plan year.
deny contains f if {
	some i, o in input.objectives
	count(object.get(o, "actions", [])) == 0
	msg := sprintf("Objective %s has no actions; add at least one action saying what the region will do, who owns it and when it is due.", [o.id])
	f := lib.finding(rego.metadata.rule(), o.id, sprintf("/objectives/%d", [i]), msg)
}

# METADATA
# title: Each objective has at least one KPI
# description: |
#   Progress against each objective is measured by the KPIs the business plan
#   names for it; an objective with no KPI cannot be monitored.
# custom:
#   id: RDP-OBJ-004
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 9 (Accountability and measuring progress)
#   remediation: Add the KPIs the business plan lists for this objective, each with a baseline, a target for the plan year and a lead.
deny contains f if {
	some i, o in input.objectives
	count(object.get(o, "kpis", [])) == 0
	msg := sprintf("Objective %s has no KPIs; add the business plan's KPIs for it with baseline, target and lead.", [o.id])
	f := lib.finding(rego.metadata.rule(), o.id, sprintf("/objectives/%d", [i]), msg)
}

# The business plan's BAF opportunities for each objective, transcribed
# from the plan into data.reference.kpis by cmd/extract-reference.
baf_mapping := {id: o.baf_opportunities | some id, o in data.reference.kpis.objectives}

# METADATA
# title: BAF opportunities match the business plan
# description: |
#   The business plan says which of the five Board Assurance Framework
#   opportunities each objective supports. The plan lists the same ones, so
#   that regional delivery rolls up to the Board's assurance.
# custom:
#   id: RDP-OBJ-005
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 5 (Measuring progress under each objective) and section 9 (BAF opportunities)
#   remediation: Set baf_opportunities to the numbers the business plan gives for the objective.
deny contains f if {
	some i, o in input.objectives
	listed := {x | some x in object.get(o, "baf_opportunities", [])}
	expected := {x | some x in baf_mapping[o.id]}
	listed != expected
	msg := sprintf("Objective %s lists BAF opportunities [%s] but the business plan maps it to [%s]%s%s.", [
		o.id, lib.list_text(listed), lib.list_text(expected),
		change_text("add", expected - listed), change_text("remove", listed - expected),
	])
	f := lib.finding(rego.metadata.rule(), o.id, sprintf("/objectives/%d/baf_opportunities", [i]), msg)
}

change_text(_, xs) := "" if count(xs) == 0

change_text(verb, xs) := sprintf("; %s %s", [verb, lib.list_text(xs)]) if count(xs) > 0
