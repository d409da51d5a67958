package rdp.objectives_test

import data.rdp.objectives
import data.rdp.testplan

test_valid_plan_passes if {
	count(objectives.deny) == 0 with input as testplan.plan
}

test_missing_objective if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/3"}])
	findings := objectives.deny with input as plan
	testplan.rules(findings) == {"RDP-OBJ-001"}
	some f in findings
	f.objective == "FW3"
	contains(f.msg, "Objective FW3")
}

test_duplicate_objective if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/objectives/-", "value": testplan.plan.objectives[1]}])
	findings := objectives.deny with input as plan
	testplan.rules(findings) == {"RDP-OBJ-002"}
	some f in findings
	f.path == "/objectives/14/id"
	f.msg == "Objective FW1 appears 2 times: entry 15 of the objectives list repeats entry 2; merge them into one entry."
}

test_objective_without_actions if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/0/actions", "value": []}])
	findings := objectives.deny with input as plan
	testplan.rules(findings) == {"RDP-OBJ-003"}
}

test_objective_without_actions_key if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/0/actions"}])
	testplan.rules(objectives.deny) == {"RDP-OBJ-003"} with input as plan
}

test_objective_without_kpis if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/13/kpis"}])
	findings := objectives.deny with input as plan
	testplan.rules(findings) == {"RDP-OBJ-004"}
	some f in findings
	f.objective == "CC1"
}

test_baf_mismatch if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/1/baf_opportunities", "value": [2, 5]}])
	findings := objectives.deny with input as plan
	testplan.rules(findings) == {"RDP-OBJ-005"}
	some f in findings
	f.msg == "Objective FW1 lists BAF opportunities [2, 5] but the business plan maps it to [2, 3, 4]; add 3, 4; remove 5."
}
