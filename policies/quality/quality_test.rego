package rdp.quality_test

import data.rdp.quality
import data.rdp.testplan

test_valid_plan_passes if {
	count(quality.deny) == 0 with input as testplan.plan
}

test_enhanced_provider_without_action_plan if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/quality/providers/1/action_plan"}])
	findings := quality.deny with input as plan
	testplan.rules(findings) == {"RDP-QUA-001"}
	some f in findings
	f.path == "/quality/providers/1"
	f.msg == "Provider B Trust is at enhanced intervention (400 learners) but has no action plan; add one with an owner, a due date and actions."
}

test_intensive_provider_without_action_plan if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers/0/intervention_level", "value": "intensive"}])
	testplan.rules(quality.deny) == {"RDP-QUA-001"} with input as plan
}
