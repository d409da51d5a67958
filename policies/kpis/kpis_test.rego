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
