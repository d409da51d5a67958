package rdp.metip_test

import data.rdp.metip
import data.rdp.testplan

test_valid_plan_passes if {
	count(metip.deny) == 0 with input as testplan.plan
}

test_declared_total_disagrees if {
	plan := json.patch(testplan.plan, [{"op": "replace", "path": "/metip/0/declared_total", "value": 1773}])
	findings := metip.deny with input as plan
	testplan.rules(findings) == {"RDP-MET-001"}
	some f in findings
	f.path == "/metip/0/declared_total"
	f.msg == "METIP table Undergraduate medical and dental: the 2 programme lines add up to 773 planned starts, but declared_total is 1,773 (a difference of 1,000); correct the lines or the total."
}
