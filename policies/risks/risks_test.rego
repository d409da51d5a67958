package rdp.risks_test

import data.rdp.risks
import data.rdp.testplan

test_valid_plan_passes if {
	count(risks.deny) == 0 with input as testplan.plan
}

test_high_risk_without_mitigation if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/10/risks/0/mitigation"}])
	findings := risks.deny with input as plan
	testplan.rules(findings) == {"RDP-RSK-001"}
	some f in findings
	f.objective == "QP1"
	f.msg == "Risk \"Placement capacity\" scores 16 (likelihood 4 x impact 4, high at 15 or more) but has no mitigation; say what will reduce it."
}

test_high_risk_without_owner if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/10/risks/0/owner", "value": "  "}])
	testplan.rules(risks.deny) == {"RDP-RSK-002"} with input as plan
}

test_low_risk_needs_neither if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/10/risks/0/likelihood", "value": 2},
		{"op": "remove", "path": "/objectives/10/risks/0/owner"},
		{"op": "remove", "path": "/objectives/10/risks/0/mitigation"},
	])
	count(risks.deny) == 0 with input as plan
}

# Plan-wide risks: linked to objectives, and held to the high-risk rules.

plan_risk(r) := json.patch(testplan.plan, [{"op": "add", "path": "/risks", "value": [r]}])

linked := {"description": "Funding settlement is late", "likelihood": 4, "impact": 4, "mitigation": "Plan on last year's allocation", "owner": "Regional Finance Lead", "objectives": ["FW1", "QP1"]}

test_linked_plan_wide_risk_passes if {
	count(risks.deny) == 0 with input as plan_risk(linked)
}

test_plan_wide_risk_not_linked if {
	findings := risks.deny with input as plan_risk(object.union(linked, {"objectives": []}))
	testplan.rules(findings) == {"RDP-RSK-003"}
	some f in findings
	f.objective == "plan"
	f.path == "/risks/0/objectives"
	f.msg == "Plan-wide risk \"Funding settlement is late\" is not linked to any objective; list the objectives it threatens in objectives."
}

test_plan_wide_risk_without_objectives if {
	testplan.rules(risks.deny) == {"RDP-RSK-003"} with input as plan_risk(object.remove(linked, {"objectives"}))
}

test_high_plan_wide_risk_without_mitigation if {
	findings := risks.deny with input as plan_risk(object.remove(linked, {"mitigation"}))
	testplan.rules(findings) == {"RDP-RSK-001"}
	some f in findings
	f.objective == "FW1"
	f.path == "/risks/0"
	f.msg == "Risk \"Funding settlement is late\" scores 16 (likelihood 4 x impact 4, high at 15 or more) but has no mitigation; say what will reduce it."
}

test_high_unlinked_plan_wide_risk_without_owner if {
	findings := risks.deny with input as plan_risk(object.remove(linked, {"owner", "objectives"}))
	testplan.rules(findings) == {"RDP-RSK-002", "RDP-RSK-003"}
	{f.objective | some f in findings} == {"plan"}
}

test_low_plan_wide_risk_needs_neither if {
	count(risks.deny) == 0 with input as plan_risk(object.union(object.remove(linked, {"owner", "mitigation"}), {"likelihood": 3, "impact": 4}))
}

test_high_risk_score_is_data if {
	count(risks.deny) == 0 with input as plan_risk(object.remove(linked, {"mitigation"})) with data.reference.params.high_risk_score as 17
}

# Malformed input is left to the schema: no finding, no error.
test_malformed_plan_wide_risks_raise_nothing if {
	count(risks.deny) == 0 with input as json.patch(testplan.plan, [{"op": "add", "path": "/risks", "value": {"a": linked}}])
	count(risks.deny) == 0 with input as plan_risk(object.union(linked, {"objectives": "FW1", "likelihood": "high"}))
}
