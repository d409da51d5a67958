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

# RDP-QUA-002: every Quality Framework domain is addressed.

with_domains(domains) := object.union(testplan.plan, {"objectives": [object.union(o, {"quality_domains": domains}) | some o in testplan.plan.objectives]})

test_domain_not_addressed if {
	findings := quality.deny with input as with_domains([1, 2, 3, 4, 5])
	testplan.rules(findings) == {"RDP-QUA-002"}
	count(findings) == 1
	some f in findings
	f.objective == "QP1"
	f.path == "/objectives"
	f.msg == "Quality Framework domain 6 (Developing a sustainable workforce) is not addressed: no objective with actions lists it in quality_domains; add it to the objective whose actions cover it."
}

test_one_finding_per_domain if {
	findings := quality.deny with input as with_domains([2, 4])
	count(findings) == 4
	testplan.rules(findings) == {"RDP-QUA-002"}
}

test_domain_listed_by_objective_without_actions if {
	plan := json.patch(with_domains([1, 2, 3, 4, 5]), [
		{"op": "replace", "path": "/objectives/10/quality_domains", "value": [6]},
		{"op": "replace", "path": "/objectives/10/actions", "value": []},
	])
	testplan.rules(quality.deny) == {"RDP-QUA-002"} with input as plan
}

test_domain_addressed_by_one_objective_passes if {
	plan := json.patch(with_domains([1, 2, 3, 4, 5]), [{"op": "replace", "path": "/objectives/10/quality_domains", "value": [6]}])
	count(quality.deny) == 0 with input as plan
}

test_domains_are_data if {
	count(quality.deny) == 0 with input as with_domains([1, 2, 3, 4, 5]) with data.reference.quality_domains as [{"id": 1, "title": "Learning environment and culture"}]
}

# RDP-QUA-003: an action plan has an owner and a due date inside the plan year.

test_action_plan_blank_owner if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers/1/action_plan/owner", "value": " "}])
	findings := quality.deny with input as plan
	testplan.rules(findings) == {"RDP-QUA-003"}
	some f in findings
	f.objective == "QP1"
	f.path == "/quality/providers/1/action_plan/owner"
	f.msg == "The action plan for provider B Trust has no owner; name the role accountable for it."
}

test_action_plan_due_after_plan_year if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers/1/action_plan/due", "value": "2023-04-01"}])
	findings := quality.deny with input as plan
	testplan.rules(findings) == {"RDP-QUA-003"}
	some f in findings
	f.path == "/quality/providers/1/action_plan/due"
	f.msg == "The action plan for provider B Trust is due on 2023-04-01, outside the plan year (2022-04-01 to 2023-03-31); set a due date inside the plan year."
}

test_action_plan_due_before_plan_year if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers/1/action_plan/due", "value": "2022-03-31"}])
	testplan.rules(quality.deny) == {"RDP-QUA-003"} with input as plan
}

test_action_plan_without_due if {
	plan := json.patch(testplan.plan, [{"op": "remove", "path": "/quality/providers/1/action_plan/due"}])
	findings := quality.deny with input as plan
	testplan.rules(findings) == {"RDP-QUA-003"}
	some f in findings
	f.msg == "The action plan for provider B Trust has no due date; set one inside the plan year (2022-04-01 to 2023-03-31)."
}

test_action_plan_due_on_plan_year_bounds_passes if {
	count(quality.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers/1/action_plan/due", "value": "2022-04-01"}])
	count(quality.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers/1/action_plan/due", "value": "2023-03-31"}])
}

test_action_plan_owner_and_due_both_wrong if {
	plan := json.patch(testplan.plan, [
		{"op": "remove", "path": "/quality/providers/1/action_plan/owner"},
		{"op": "replace", "path": "/quality/providers/1/action_plan/due", "value": "2024-01-01"},
	])
	findings := quality.deny with input as plan
	{f.path | some f in findings} == {"/quality/providers/1/action_plan/owner", "/quality/providers/1/action_plan/due"}
}

test_action_plan_of_provider_not_under_intervention if {
	plan := json.patch(testplan.plan, [{
		"op": "add", "path": "/quality/providers/0/action_plan",
		"value": {"owner": "Head of Quality", "due": "2023-06-30", "actions": ["Follow-up visit"]},
	}])
	testplan.rules(quality.deny) == {"RDP-QUA-003"} with input as plan
}

test_plan_year_is_data if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers/1/action_plan/due", "value": "2023-04-01"}])
	count(quality.deny) == 0 with input as plan with data.reference.plan_year as {"start": "2023-04-01", "end": "2024-03-31"}
}

# RDP-QUA-004: a weak NETS result needs an improvement action under QP3.

supervision(pct) := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets/supervision_positive_pct", "value": pct}])

test_nets_gap_without_action if {
	findings := quality.deny with input as supervision(84.9)
	testplan.rules(findings) == {"RDP-QUA-004"}
	some f in findings
	f.objective == "QP3"
	f.path == "/quality/nets/supervision_positive_pct"
	f.msg == "NETS learners positive about supervision (supervision_positive_pct) is 84.9% in the region against 90% nationally, 5.1 points below, more than the 5-point threshold; add an improvement action under QP3 with supervision_positive_pct in its improves."
}

# A gap of exactly 5 points is not more than the threshold.
test_nets_gap_at_threshold_passes if {
	count(quality.deny) == 0 with input as supervision(85)
}

test_nets_gap_just_over_threshold if {
	testplan.rules(quality.deny) == {"RDP-QUA-004"} with input as supervision(84.999)
}

test_nets_gap_with_qp3_action_passes if {
	plan := json.patch(supervision(84.9), [{"op": "add", "path": "/objectives/12/actions/0/improves", "value": ["supervision_positive_pct"]}])
	count(quality.deny) == 0 with input as plan
}

test_nets_gap_with_action_for_another_indicator if {
	plan := json.patch(supervision(84.9), [{"op": "add", "path": "/objectives/12/actions/0/improves", "value": ["placement_positive_pct"]}])
	testplan.rules(quality.deny) == {"RDP-QUA-004"} with input as plan
}

test_nets_gap_with_action_outside_qp3 if {
	plan := json.patch(supervision(84.9), [{"op": "add", "path": "/objectives/10/actions/0/improves", "value": ["supervision_positive_pct"]}])
	testplan.rules(quality.deny) == {"RDP-QUA-004"} with input as plan
}

test_nets_placement_gap if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets/placement_positive_pct", "value": 80}])
	findings := quality.deny with input as plan
	{f.path | some f in findings} == {"/quality/nets/placement_positive_pct"}
}

test_nets_indicator_without_national_figure_skipped if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets/overall_satisfaction_pct", "value": 40}])
	count(quality.deny) == 0 with input as plan
}

test_nets_gap_is_data if {
	count(quality.deny) == 0 with input as supervision(84.9) with data.reference.params.nets_gap_points as 5.1
	count(quality.deny) == 0 with input as supervision(84.9) with data.reference.nets_national.supervision_positive_pct as 89.9
}

# RDP-QUA-005: NETS results from too few respondents are not reported.

test_nets_too_few_respondents if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets/respondents", "value": 2}])
	findings := quality.deny with input as plan
	testplan.rules(findings) == {"RDP-QUA-005"}
	some f in findings
	f.objective == "QP3"
	f.path == "/quality/nets/respondents"
	f.msg == "NETS results are given from only 2 respondents, fewer than the 3 that may be reported (overall_satisfaction_pct, placement_positive_pct, supervision_positive_pct); remove the percentages so that learners cannot be identified."
}

test_nets_too_few_respondents_without_percentages_passes if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets", "value": {"respondents": 2}}])
	count(quality.deny) == 0 with input as plan
}

test_nets_at_min_respondents_passes if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets/respondents", "value": 3}])
	count(quality.deny) == 0 with input as plan
}

# A small sample is reported by RDP-QUA-005 alone, not also compared nationally.
test_nets_small_sample_not_compared if {
	plan := json.patch(supervision(50), [{"op": "replace", "path": "/quality/nets/respondents", "value": 1}])
	testplan.rules(quality.deny) == {"RDP-QUA-005"} with input as plan
}

test_nets_min_respondents_is_data if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets/respondents", "value": 2}])
	count(quality.deny) == 0 with input as plan with data.reference.params.nets_min_respondents as 2
}

# Malformed input is left to the schema: no finding, no error.
test_malformed_quality_raises_nothing if {
	count(quality.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/quality/nets", "value": "good"}])
	count(quality.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers", "value": {"B Trust": 1}}])
	count(quality.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/quality/providers/1/action_plan/due", "value": "31/12/2022"}])
	count(quality.deny) == 0 with input as json.patch(testplan.plan, [{"op": "replace", "path": "/objectives/12/actions/0", "value": {"description": "x", "improves": "all"}}])
	count(quality.deny) == 0 with input as json.patch(testplan.plan, [{"op": "remove", "path": "/quality"}])
}
