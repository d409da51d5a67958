package rdp.kpis_test

import data.rdp.kpis
import data.rdp.testplan

test_valid_plan_passes if {
	count(kpis.deny) == 0 with input as testplan.plan
}

test_missing_baseline if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/2/kpis/0/baseline"}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-001"}
	some f in findings
	f.path == "/objectives/2/kpis/0/baseline"
	f.objective == "FW2"
}

test_blank_baseline_value if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/2/kpis/0/baseline/value", "value": " "}])
	testplan.rules(kpis.deny) == {"RDP-KPI-001"} with input as plan
}

test_missing_target_period if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/4/kpis/0/target/period"}])
	testplan.rules(kpis.deny) == {"RDP-KPI-002"} with input as plan
}

test_missing_lead if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/5/kpis/0/lead", "value": ""}])
	testplan.rules(kpis.deny) == {"RDP-KPI-003"} with input as plan
}

test_target_for_wrong_year if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/6/kpis/0/target/period", "value": "2023/24"}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-004"}
	some f in findings
	startswith(f.msg, "KPI CW1-01 (")
	endswith(f.msg, ") has a target for 2023/24, not for the plan year 2022/23; set a target for 2022/23.")
}

# RDP-KPI-005: every KPI the business plan names for an objective.

test_business_plan_kpi_not_covered if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/5/kpis/1"}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-005"}
	some f in findings
	f.objective == "FW5"
	f.path == "/objectives/5/kpis"
	f.msg == "Objective FW5 does not report 1 of the business plan's KPIs for it: FW5-02 \"Number of trainees who have returned to training following SuppoRTT programme\"; add a KPI with each of these codes under FW5."
}

test_several_kpis_not_covered_in_one_finding if {
	plan := json.patch(testplan.plan, [
		{"op": "remove", "path": "/objectives/5/kpis/2"},
		{"op": "replace", "path": "/objectives/5/kpis/1/id", "value": "FW5-04"},
	])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-005"}
	count(findings) == 1
	some f in findings
	contains(f.msg, "does not report 2 of the business plan's KPIs for it: FW5-02 \"")
	contains(f.msg, "; FW5-03 \"Redistribution of specialty training posts")
}

# A KPI filed under the wrong objective does not cover the objective's own.
test_kpi_under_wrong_objective_does_not_cover if {
	moved := testplan.plan.objectives[5].kpis[0]
	plan := json.patch(testplan.plan, [
		{"op": "remove", "path": "/objectives/5/kpis/0"},
		{"op": "add", "path": "/objectives/6/kpis/-", "value": moved},
	])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-005"}
	some f in findings
	f.objective == "FW5"
}

# An objective with no KPIs at all is RDP-OBJ-004's finding, and a missing
# objective RDP-OBJ-001's: neither is reported again here.
test_objective_without_kpis_not_reported_again if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/5/kpis", "value": []}])
	count(kpis.deny) == 0 with input as plan
}

test_missing_objective_not_reported_again if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/objectives/5"}])
	count(kpis.deny) == 0 with input as plan
}

# A repeated objective entry counts towards its objective's coverage.
test_coverage_counts_every_entry_of_an_objective if {
	second := json.patch(testplan.plan.objectives[5], [{"op": "remove", "path": "/kpis/0"}, {"op": "remove", "path": "/kpis/0"}])
	plan := json.patch(testplan.plan, [
		{"op": "remove", "path": "/objectives/5/kpis/2"},
		{"op": "add", "path": "/objectives/-", "value": second},
	])
	count(kpis.deny) == 0 with input as plan
}

test_coverage_follows_reference_data if {
	extra := {"code": "FW2-02", "descriptor": "A second strategic framework KPI.", "lead": "Someone"}
	refs := array.concat(data.reference.kpis.objectives.FW2.kpis, [extra])
	findings := kpis.deny with input as testplan.plan with data.reference.kpis.objectives.FW2.kpis as refs
	testplan.rules(findings) == {"RDP-KPI-005"}
	some f in findings
	contains(f.msg, "FW2-02 \"A second strategic framework KPI\"")
}

# RDP-KPI-006: quantitative KPIs have numeric values.

test_quantitative_kpi_with_text_value if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/3/kpis/0/target/value", "value": "TBC"}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-006"}
	some f in findings
	f.objective == "FW3"
	f.path == "/objectives/3/kpis/0/target/value"
	f.msg == "KPI FW3-01 (GP trainee acceptances against plan.) is measured as a count but its target value is \"TBC\", not a number; give the target as a figure."
}

test_quantitative_kpi_with_text_baseline if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/1/kpis/0/measure", "value": "gbp_million"},
		{"op": "replace", "path": "/objectives/1/kpis/0/baseline/value", "value": "about 4"},
	])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-006"}
	some f in findings
	f.path == "/objectives/1/kpis/0/baseline/value"
}

test_qualitative_kpi_may_be_text if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/2/kpis/0/measure", "value": "qualitative"},
		{"op": "replace", "path": "/objectives/2/kpis/0/baseline/value", "value": "No framework yet."},
		{"op": "replace", "path": "/objectives/2/kpis/0/target/value", "value": "Framework adopted by every ICS."},
	])
	count(kpis.deny) == 0 with input as plan
}

# A blank value is RDP-KPI-001's finding, not this rule's.
test_blank_value_not_reported_twice if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/3/kpis/0/baseline/value", "value": ""}])
	testplan.rules(kpis.deny) == {"RDP-KPI-001"} with input as plan
}

# RDP-KPI-007: percentages within 0-100.

test_percent_above_100 if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/0/kpis/0/measure", "value": "percent"}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-007"}
	count(findings) == 1
	some f in findings
	f.objective == "RR1"
	f.path == "/objectives/0/kpis/0/target/value"
	endswith(f.msg, ") is a percentage but its target value is 110; a percentage must be between 0 and 100.")
}

test_percent_below_0 if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/0/kpis/0/measure", "value": "percent"},
		{"op": "replace", "path": "/objectives/0/kpis/0/baseline/value", "value": -0.5},
		{"op": "replace", "path": "/objectives/0/kpis/0/target/value", "value": 12.5},
	])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-007"}
	some f in findings
	f.path == "/objectives/0/kpis/0/baseline/value"
	contains(f.msg, "its baseline value is -0.5;")
}

test_percent_bounds_inclusive if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/0/kpis/0/measure", "value": "percent"},
		{"op": "replace", "path": "/objectives/0/kpis/0/baseline/value", "value": 0},
		{"op": "replace", "path": "/objectives/0/kpis/0/target/value", "value": 100},
	])
	count(kpis.deny) == 0 with input as plan
}

test_counts_above_100_are_not_percentages if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/0/kpis/0/target/value", "value": 1500}])
	count(kpis.deny) == 0 with input as plan
}

# RDP-KPI-008: increase KPIs have a target above the baseline.

test_increase_kpi_target_below_baseline if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/3/kpis/6/target/value", "value": 95}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-008"}
	some f in findings
	f.objective == "FW3"
	f.path == "/objectives/3/kpis/6/target/value"
	f.msg == "KPI FW3-07 (Increase in Learning Disability nursing compared to 21/22.) must show an increase, but its target of 95 for 2022/23 is not above its baseline of 100 for 2021/22; set a target above 100."
}

test_increase_kpi_target_equal_to_baseline if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/3/kpis/7/target/value", "value": 100}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-008"}
	some f in findings
	startswith(f.msg, "KPI FW3-08 (")
}

test_increase_kpi_one_above_baseline_passes if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/3/kpis/7/target/value", "value": 101}])
	count(kpis.deny) == 0 with input as plan
}

test_other_kpis_may_fall if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/3/kpis/0/target/value", "value": 90}])
	count(kpis.deny) == 0 with input as plan
}

test_increase_kpis_are_data if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/3/kpis/0/target/value", "value": 90}])
	testplan.rules(kpis.deny) == {"RDP-KPI-008"} with input as plan with data.reference.params.increase_kpis as ["FW3-01"]
	count(kpis.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/3/kpis/6/target/value", "value": 90}])
		with data.reference.params.increase_kpis as []
}

# RDP-KPI-009: KPI ids are unique.

test_duplicate_kpi_id if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/objectives/1/kpis/-", "value": testplan.plan.objectives[1].kpis[1]}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-009"}
	count(findings) == 1
	some f in findings
	f.objective == "FW1"
	f.path == "/objectives/1/kpis/8/id"
	f.msg == "KPI id FW1-02 is used 2 times (FW1 KPI 2, FW1 KPI 9); each KPI needs its own id, so merge the repeats or correct the id."
}

test_duplicate_kpi_id_across_objectives if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/objectives/2/kpis/-", "value": testplan.plan.objectives[1].kpis[1]}])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-009"}
	some f in findings
	f.objective == "FW2"
	f.path == "/objectives/2/kpis/1/id"
}

# A repeated id is reported once, with its count and where it is used.
test_three_uses_give_one_finding if {
	k := testplan.plan.objectives[1].kpis[1]
	plan := json.patch(testplan.plan, [
		{"op": "add", "path": "/objectives/1/kpis/-", "value": k},
		{"op": "add", "path": "/objectives/1/kpis/-", "value": k},
	])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-009"}
	count(findings) == 1
	some f in findings
	f.path == "/objectives/1/kpis/8/id"
	f.msg == "KPI id FW1-02 is used 3 times (FW1 KPI 2, FW1 KPI 9, FW1 KPI 10); each KPI needs its own id, so merge the repeats or correct the id."
}

# Thousands of copies of one id give one finding whose message names the
# first places and counts the rest, so the report does not grow with them.
test_many_uses_give_one_bounded_finding if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/objectives/0/kpis/-", "value": {"id": "X"}} | some _ in numbers.range(1, 3000)])
	findings := kpis.deny with input as plan
	[f] := [f | some f in findings; f.rule == "RDP-KPI-009"]
	f.path == "/objectives/0/kpis/2/id"
	contains(f.msg, "KPI id X is used 3,000 times (RR1 KPI 2, RR1 KPI 3, ")
	contains(f.msg, "RR1 KPI 11 and 2,990 more)")
}

# A whole objective entry repeated is RDP-OBJ-002's finding; its KPIs are
# not reported again.
test_repeated_objective_entry_not_reported_again if {
	plan := json.patch(testplan.plan, [{"op": "add", "path": "/objectives/-", "value": testplan.plan.objectives[1]}])
	count(kpis.deny) == 0 with input as plan
}

# Wrongly shaped KPIs are the schema's to report; the figure rules stay quiet.
test_malformed_kpis_raise_no_figure_findings if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/3/kpis/6/baseline", "value": "about 100"},
		{"op": "replace", "path": "/objectives/3/kpis/7/target/value", "value": true},
		{"op": "replace", "path": "/objectives/0/kpis/0/measure", "value": 7},
	])
	findings := kpis.deny with input as plan
	every f in findings {
		f.rule in {"RDP-KPI-001", "RDP-KPI-002"}
	}
}

test_kpis_not_a_list if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/1/kpis", "value": "see annex"}])
	count(kpis.deny) == 0 with input as plan
	count(kpis.deny) == 0 with input as {"objectives": "none"}
}

test_increase_kpi_in_money_compares_exactly if {
	plan := json.patch(testplan.plan, [
		{"op": "replace", "path": "/objectives/3/kpis/6/measure", "value": "gbp_million"},
		{"op": "replace", "path": "/objectives/3/kpis/6/baseline/value", "value": 0.3},
		{"op": "replace", "path": "/objectives/3/kpis/6/target/value", "value": 0.1 + 0.2},
	])
	findings := kpis.deny with input as plan
	testplan.rules(findings) == {"RDP-KPI-008"}
	some f in findings
	contains(f.msg, "its target of £0.3m for 2022/23 is not above its baseline of £0.3m for 2021/22")
}
