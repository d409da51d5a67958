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

# RDP-BUD-003: no negative lines.

test_negative_prior_year if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/lines/2/prior_year", "value": -0.1}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-003"}
	some f in findings
	f.objective == "QP2"
	f.path == "/budget/lines/2/prior_year"
	f.msg == "Budget line MAT \"Maternity training\" has a negative prior-year (2021/22) figure of -£0.1m; budget lines cannot be below zero, so correct the sign or show a saving as a lower positive amount."
}

test_negative_plan if {
	plan := json.patch(testplan.plan, [
		{"op": "add", "path": "/budget/lines/-", "value": {"code": "TLI", "name": "Tariff adjustment", "prior_year": 0, "plan": -0.3}},
		{"op": "replace", "path": "/budget/declared_total", "value": 310.3},
	])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-003"}
	some f in findings
	f.objective == "plan"
	f.path == "/budget/lines/3/plan"
}

test_zero_line_passes if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/lines/2/prior_year", "value": 0}])
	count(budget.deny) == 0 with input as plan
}

# RDP-BUD-004: large changes need a variance explanation.

clin(prior, planned, declared_total) := json.patch(testplan.plan, [
	{"op": "replace", "path": "/budget/lines/1/prior_year", "value": prior},
	{"op": "replace", "path": "/budget/lines/1/plan", "value": planned},
	{"op": "replace", "path": "/budget/declared_total", "value": declared_total},
])

test_large_change_unexplained if {
	findings := budget.deny with input as clin(100.1, 110.2, 320.6)
	testplan.rules(findings) == {"RDP-BUD-004"}
	some f in findings
	f.objective == "plan"
	f.path == "/budget/lines/1/variance_explanation"
	f.msg == "Budget line CLIN \"Clinical\" moves from £100.1m to £110.2m, a change of +£10.1m (+10.09%), more than both 10% and £0.5m, but has no variance_explanation; say why it changes or correct the figures."
}

test_large_decrease_unexplained if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/budget/lines/0/plan", "value": 150},
		{"op": "replace", "path": "/budget/declared_total", "value": 250.4},
	])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-004"}
	some f in findings
	f.msg == "Budget line PGMD \"Postgraduate medical and dental\" moves from £200.1m to £150.0m, a change of -£50.1m (-25.04%), more than both 10% and £0.5m, but has no variance_explanation; say why it changes or correct the figures."
}

test_large_change_explained_passes if {
	plan := json.patch(clin(100.1, 110.2, 320.6), [{"op": "add", "path": "/budget/lines/1/variance_explanation", "value": "More placements."}])
	count(budget.deny) == 0 with input as plan
}

test_large_change_blank_explanation if {
	plan := json.patch(clin(100.1, 110.2, 320.6), [{"op": "add", "path": "/budget/lines/1/variance_explanation", "value": "  "}])
	testplan.rules(budget.deny) == {"RDP-BUD-004"} with input as plan
}

# Exactly 10%: not more than the threshold.
test_change_at_pct_threshold_passes if {
	count(budget.deny) == 0 with input as clin(100, 110, 320.4)
}

test_change_just_over_pct_threshold if {
	testplan.rules(budget.deny) == {"RDP-BUD-004"} with input as clin(100, 110.001, 320.401)
}

mat(planned, declared_total) := json.patch(testplan.plan, [
	{"op": "replace", "path": "/budget/lines/2/plan", "value": planned},
	{"op": "replace", "path": "/budget/declared_total", "value": declared_total},
])

# Exactly £0.5m (500%): not more than the money threshold.
test_change_at_gbp_threshold_passes if {
	count(budget.deny) == 0 with input as mat(0.6, 311)
}

test_change_just_over_gbp_threshold if {
	findings := budget.deny with input as mat(0.601, 311.001)
	testplan.rules(findings) == {"RDP-BUD-004"}
	some f in findings
	f.objective == "QP2"
}

test_new_line_unexplained if {
	plan := json.patch(testplan.plan, [
		{"op": "add", "path": "/budget/lines/-", "value": {"code": "NIHR", "name": "New programme", "prior_year": 0, "plan": 1}},
		{"op": "replace", "path": "/budget/declared_total", "value": 311.6},
	])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-004"}
	some f in findings
	f.msg == "Budget line NIHR \"New programme\" moves from £0.0m to £1.0m, a change of +£1.0m (a new line with no prior-year budget), more than both 10% and £0.5m, but has no variance_explanation; say why it changes or correct the figures."
}

test_change_thresholds_are_data if {
	count(budget.deny) == 0 with input as clin(100.1, 110.2, 320.6) with data.reference.params.budget_line_change_pct as 10.1
	count(budget.deny) == 0 with input as clin(100.1, 110.2, 320.6) with data.reference.params.budget_line_change_gbp_million as 10.1
	testplan.rules(budget.deny) == {"RDP-BUD-004"} with input as clin(100.1, 110.2, 320.6) with data.reference.params.budget_line_change_pct as 10.08
}

# RDP-BUD-005: administration share within the cap.

admin(amount, declared_total, clin_plan) := json.patch(testplan.plan, [
	{"op": "add", "path": "/budget/lines/-", "value": {"code": "ADMIN", "name": "Administration", "prior_year": amount, "plan": amount}},
	{"op": "replace", "path": "/budget/lines/1/plan", "value": clin_plan},
	{"op": "replace", "path": "/budget/declared_total", "value": declared_total},
])

test_admin_over_cap if {
	findings := budget.deny with input as admin(6.2, 316.8, 100.2)
	testplan.rules(findings) == {"RDP-BUD-005"}
	some f in findings
	f.objective == "plan"
	f.path == "/budget/lines/3/plan"
	f.msg == "Administration lines (ADMIN) plan £6.2m, 1.96% of the declared total of £316.8m, above the 1.2% cap on administration, which allows £3.801m of that total; reduce administration spending."
}

# 3.75 of 312.5 is exactly 1.2%.
test_admin_at_cap_passes if {
	count(budget.deny) == 0 with input as admin(3.75, 312.5, 98.35)
}

test_admin_just_over_cap if {
	testplan.rules(budget.deny) == {"RDP-BUD-005"} with input as admin(3.751, 312.501, 98.35)
}

test_admin_cap_is_data if {
	count(budget.deny) == 0 with input as admin(6.2, 316.8, 100.2) with data.reference.params.admin_share_cap_pct as 2
}

test_admin_codes_are_data if {
	findings := budget.deny with input as testplan.plan with data.reference.params.admin_line_codes as ["PGMD"]
	testplan.rules(findings) == {"RDP-BUD-005"}
}

# RDP-BUD-006: maternity training funding is ring-fenced.

test_no_maternity_ring_fence if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/ring_fenced", "value": [{"purpose": "Midwifery", "amount": 0.2}]}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-006"}
	some f in findings
	f.objective == "QP2"
	f.path == "/budget/ring_fenced"
	f.msg == "The budget ring-fences no money for maternity training: no ring_fenced entry has a purpose containing \"maternity\"; add one with the amount reserved for maternity training."
}

test_empty_ring_fence if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/ring_fenced", "value": []}])
	testplan.rules(budget.deny) == {"RDP-BUD-006"} with input as plan
}

test_ring_fence_purpose_ignores_case if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/ring_fenced/0/purpose", "value": "Training for MATERNITY teams"}])
	count(budget.deny) == 0 with input as plan
}

test_ring_fence_purpose_is_data if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/ring_fenced/0/purpose", "value": "Midwifery"}])
	count(budget.deny) == 0 with input as plan with data.reference.params.maternity_ring_fence_purpose as "MIDWIFERY"
}

# RDP-BUD-007: the maternity lines carry the ring-fenced amount.

test_maternity_lines_below_ring_fence if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/ring_fenced/0/amount", "value": 0.3}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-007"}
	some f in findings
	f.objective == "QP2"
	f.path == "/budget/ring_fenced/0/amount"
	f.msg == "£0.3m is ring-fenced for maternity training but the maternity lines (MAT) plan only £0.2m, £0.1m short; plan at least the ring-fenced amount on the maternity lines or correct the ring-fenced amount."
}

test_maternity_ring_fences_add_up if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/budget/ring_fenced/0/amount", "value": 0.1},
		{"op": "add", "path": "/budget/ring_fenced/-", "value": {"purpose": "Maternity simulation", "amount": 0.101}},
	])
	testplan.rules(budget.deny) == {"RDP-BUD-007"} with input as plan
}

test_no_maternity_line if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/budget/lines/2/code", "value": "EDSUP"},
	])
	testplan.rules(budget.deny) == {"RDP-BUD-007"} with input as plan
}

test_maternity_line_codes_are_data if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/ring_fenced/0/amount", "value": 0.3}])
	count(budget.deny) == 0 with input as plan with data.reference.params.maternity_line_codes as ["MAT", "CLIN"]
}

# RDP-BUD-008: stated changes agree with the figures.

test_stated_change_agrees if {
	plan := json.patch(testplan.plan, [
		{"op": "add", "path": "/budget/lines/0/change", "value": 10.1},
		{"op": "add", "path": "/budget/lines/0/change_pct", "value": 5.05},
	])
	count(budget.deny) == 0 with input as plan
}

test_stated_change_wrong if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/budget/lines/0/change", "value": 10}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-008"}
	some f in findings
	f.objective == "plan"
	f.path == "/budget/lines/0/change"
	f.msg == "Budget line PGMD \"Postgraduate medical and dental\" states a change of +£10.0m, but plan £210.2m minus prior year £200.1m is +£10.1m; correct the stated change or the figures."
}

test_stated_change_off_by_one_thousand if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/budget/lines/0/change", "value": 10.099}])
	testplan.rules(budget.deny) == {"RDP-BUD-008"} with input as plan
}

test_stated_change_pct_wrong if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/budget/lines/0/change_pct", "value": 5.1}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-008"}
	some f in findings
	f.path == "/budget/lines/0/change_pct"
	f.msg == "Budget line PGMD \"Postgraduate medical and dental\" states a change of 5.1%, but from £200.1m to £210.2m is +5.05%, more than the 0.05 percentage-point tolerance away; correct the stated change_pct or the figures."
}

# MAT goes from 0.1 to 0.2, exactly +100%: 100.05 is at the tolerance, 100.051 beyond it.
test_stated_change_pct_at_tolerance_passes if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/budget/lines/2/change_pct", "value": 100.05}])
	count(budget.deny) == 0 with input as plan
}

test_stated_change_pct_just_over_tolerance if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/budget/lines/2/change_pct", "value": 99.949}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-008"}
	some f in findings
	f.objective == "QP2"
}

test_stated_change_pct_tolerance_is_data if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/budget/lines/0/change_pct", "value": 5.1}])
	count(budget.deny) == 0 with input as plan with data.reference.params.stated_change_pct_tolerance as 0.06
}

test_stated_change_pct_of_new_line_not_checked if {
	plan := json.patch(testplan.plan, [
		{"op": "add", "path": "/budget/lines/-", "value": {"code": "NIHR", "name": "New programme", "prior_year": 0, "plan": 0.3, "change": 0.3, "change_pct": 50}},
		{"op": "replace", "path": "/budget/declared_total", "value": 310.9},
	])
	count(budget.deny) == 0 with input as plan
}

# Malformed input is left to the schema: no finding, no error.
test_malformed_budget_raises_nothing if {
	count(budget.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/budget/lines/0/plan", "value": "a lot"}])
	count(budget.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/budget/lines", "value": {"PGMD": 1}}])
	count(budget.deny) == 0 with input as json.patch(testplan.plan, [{"op": "remove", "path": "/budget"}])
	count(budget.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/budget/ring_fenced", "value": "maternity"}])
}

# RDP-BUD-009: budget lines use the national headings; aliases count as their heading.

test_admin_under_another_code_is_capped if {
	plan := json.patch(admin(6.2, 316.8, 100.2), [{"op": "replace", "path": "/budget/lines/3/code", "value": "ADM"}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-005"}
	some f in findings
	f.msg == "Administration lines (ADM) plan £6.2m, 1.96% of the declared total of £316.8m, above the 1.2% cap on administration, which allows £3.801m of that total; reduce administration spending."
}

test_maternity_under_another_code_is_found if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/lines/2/code", "value": "MATERNITY"}])
	count(budget.deny) == 0 with input as plan
}

test_unknown_heading if {
	plan := json.patch(admin(6.2, 316.8, 100.2), [{"op": "replace", "path": "/budget/lines/3/code", "value": "CORE-OPS"}])
	findings := budget.deny with input as plan
	testplan.rules(findings) == {"RDP-BUD-009"}
	some f in findings
	f.objective == "plan"
	f.path == "/budget/lines/3/code"
	startswith(f.msg, "Budget line CORE-OPS \"Administration\" is not coded with a national budget heading, so the rules for its heading cannot check it; use one of PGMD (Postgraduate medical and dental education), ")
	contains(f.msg, ", ADMIN (Administration).")
}

test_heading_code_case_is_left_to_the_schema if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/lines/0/code", "value": "pgmd"}])
	count(budget.deny) == 0 with input as plan
}

test_headings_are_data if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/budget/lines/0/code", "value": "LOCAL"}])
	headings := array.concat(data.reference.budget_headings.headings, [{"code": "LOCAL", "name": "Local", "aliases": []}])
	count(budget.deny) == 0 with input as plan with data.reference.budget_headings.headings as headings
}
