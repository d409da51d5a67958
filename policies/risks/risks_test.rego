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
