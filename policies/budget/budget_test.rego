package rdp.budget_test

import data.rdp.budget
import data.rdp.testplan

test_valid_plan_passes if {
	count(budget.deny) == 0 with input as testplan.plan
}

# 310.6 declared against lines of 310.6: 0.1 + 0.2 style sums are exact.
test_sum_within_tolerance_passes if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/declared_total", "value": 310.65}])
	count(budget.deny) == 0 with input as plan
}

test_sum_outside_tolerance if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/declared_total", "value": 310.651}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-001"}
	some f in findings
	f.msg == "Budget lines add up to £310.6m but declared_total is £310.651m: a difference of £0.051m, more than the £0.05m tolerance; correct the lines or the total."
}

test_tolerance_is_data if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/declared_total", "value": 310.651}])
	count(budget.deny) == 0 with input as plan with data.reference.params.budget_total_tolerance_gbp_million as 0.1
}

test_over_allocation if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/allocation", "value": 300}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-002"}
	some f in findings
	f.msg == "Budget total £310.6m is over the allocation of £300.0m by £10.6m; bring planned spending within the allocation."
}

test_equal_to_allocation_passes if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/allocation", "value": 310.6}])
	count(budget.deny) == 0 with input as plan
}
