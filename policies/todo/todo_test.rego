package rdp.todo_test

import data.rdp.testplan
import data.rdp.todo

test_valid_plan_has_no_todos if {
	count(todo.deny) == 0 with input as testplan.plan
}

test_submission_blanks if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/submission", "value": {"version": 1, "status": "draft", "submitted_on": null, "contact": {"name": null, "email": "a@b.nhs.uk"}}}])
	findings := todo.deny with input as plan
	testplan.rules(findings) == {"RDP-TODO-001"}
	{f.path | some f in findings} == {"/submission/submitted_on", "/submission/contact/name"}
}

test_absent_is_not_a_todo if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/submission", "value": {"version": 1, "status": "draft"}}])
	count(todo.deny) == 0 with input as plan
}

test_budget_blanks if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/budget/allocation", "value": null},
		{"op": "replace", "path": "/budget/lines/1/plan", "value": null},
		{"op": "replace", "path": "/budget/ring_fenced/0/amount", "value": null},
	])
	findings := todo.deny with input as plan
	testplan.rules(findings) == {"RDP-TODO-002"}
	{f.path | some f in findings} == {"/budget/allocation", "/budget/lines/1/plan", "/budget/ring_fenced/0/amount"}
	some f in findings
	f.path == "/budget/lines/1/plan"
	f.msg == "Budget line CLIN (Clinical) has no 2022/23 plan amount yet; write it in £ million as a plain number (e.g. 466.957)."
}

test_nets_blank if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets/respondents", "value": null}])
	findings := todo.deny with input as plan
	testplan.rules(findings) == {"RDP-TODO-003"}
	some f in findings
	f.objective == "QP3"
}
