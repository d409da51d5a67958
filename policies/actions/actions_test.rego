package rdp.actions_test

import data.rdp.actions
import data.rdp.testplan

test_valid_plan_passes if {
	count(actions.deny) == 0 with input as testplan.plan
}

# RDP-ACT-001: every action has an owner.

test_action_without_owner if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/4/actions/0/owner"}])
	findings := actions.deny with input as plan
	testplan.rules(findings) == {"RDP-ACT-001"}
	some f in findings
	f.objective == "FW4"
	f.path == "/objectives/4/actions/0/owner"
	f.msg == "Action 1 under FW4 (\"Do the work\") has no owner; name the role accountable for it."
}

test_action_with_blank_owner if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/0/actions/0/owner", "value": "  "}])
	testplan.rules(actions.deny) == {"RDP-ACT-001"} with input as plan
}

test_long_description_is_shortened if {
	long := "Work with every Integrated Care System in the region to agree placement capacity for the year"
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/objectives/0/actions/-", "value": {"description": long, "due": "2022-12-31"}}])
	findings := actions.deny with input as plan
	testplan.rules(findings) == {"RDP-ACT-001"}
	some f in findings
	f.path == "/objectives/0/actions/1/owner"
	f.msg == "Action 2 under RR1 (\"Work with every Integrated Care System in the region to...\") has no owner; name the role accountable for it."
}

# RDP-ACT-002: every action is due inside the plan year.

test_action_due_after_plan_year if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/10/actions/0/due", "value": "2023-04-01"}])
	findings := actions.deny with input as plan
	testplan.rules(findings) == {"RDP-ACT-002"}
	some f in findings
	f.objective == "QP1"
	f.path == "/objectives/10/actions/0/due"
	f.msg == "Action 1 under QP1 (\"Do the work\") is due 2023-04-01, after the plan year ends on 2023-03-31; set a due date between 2022-04-01 and 2023-03-31, the plan year."
}

test_action_due_before_plan_year if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/1/actions/0/due", "value": "2022-03-31"}])
	findings := actions.deny with input as plan
	testplan.rules(findings) == {"RDP-ACT-002"}
	some f in findings
	contains(f.msg, "is due 2022-03-31, before the plan year starts on 2022-04-01;")
}

test_action_without_due_date if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/2/actions/0/due"}])
	findings := actions.deny with input as plan
	testplan.rules(findings) == {"RDP-ACT-002"}
	some f in findings
	f.path == "/objectives/2/actions/0/due"
	f.msg == "Action 1 under FW2 (\"Do the work\") has no due date; set a due date between 2022-04-01 and 2023-03-31, the plan year."
}

test_action_with_blank_due_date if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/2/actions/0/due", "value": ""}])
	testplan.rules(actions.deny) == {"RDP-ACT-002"} with input as plan
}

test_first_and_last_day_of_plan_year_pass if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/0/actions/0/due", "value": "2022-04-01"},
		{"op": "replace", "path": "/objectives/1/actions/0/due", "value": "2023-03-31"},
	])
	count(actions.deny) == 0 with input as plan
}

test_plan_year_is_data if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/0/actions/0/due", "value": "2023-06-30"}])
	count(actions.deny) == 0 with input as plan with data.reference.plan_year as {"start": "2022-04-01", "end": "2023-06-30"}
	testplan.rules(actions.deny) == {"RDP-ACT-002"} with input as testplan.plan with data.reference.plan_year as {"start": "2023-04-01", "end": "2024-03-31"}
}

# A malformed date is the schema's to report.
test_malformed_due_date_left_to_schema if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/0/actions/0/due", "value": "31/03/2024"}])
	count(actions.deny) == 0 with input as plan
}

test_malformed_actions_do_not_error if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/0/actions", "value": "none"},
		{"op": "replace", "path": "/objectives/1/actions/0", "value": 7},
		{"op": "replace", "path": "/objectives/2/actions/0/due", "value": 20230331},
	])
	count(actions.deny) == 0 with input as plan
}
