package rdp.datacheck_test

import data.rdp.datacheck

# A METIP table that adds up, and one figure at a time that does not.
table := {"t": {
	"title": "Test table", "line": 10,
	"columns": ["London", "National"],
	"programmes": [
		{"name": "A", "line": 11, "cells": {"London": 5, "National": 1}, "published_total": 6},
		{"name": "B", "line": 12, "cells": {"London": 3}, "published_total": 3},
	],
	"published_totals": {"London": 8, "National": 1},
	"published_grand_total": 9,
}}

rules(findings) := {f.rule | some f in findings}

empty_budget := {"income": {"rows": []}, "expenditure": {"rows": []}}

no_subtotals := {"income": [], "expenditure": []}

test_consistent_table_passes if {
	count(datacheck.warn) == 0 with data.reference.metip.tables as table
		with data.reference.budget as empty_budget
}

test_row_total if {
	t := json.patch(table, [{"op": "replace", "path": "/t/programmes/0/published_total", "value": 7}])
	findings := datacheck.warn with data.reference.metip.tables as t with data.reference.budget as empty_budget
	rules(findings) == {"RDP-REF-001", "RDP-REF-003"}
	some f in findings
	f.rule == "RDP-REF-001"
	f.msg == "METIP Test table, programme \"A\" (source line 11): the cells add up to 6 but the published row total is 7 (a difference of 1)."
	f.path == "/metip/tables/t/programmes/0/published_total"
}

test_column_total if {
	t := json.patch(table, [{"op": "replace", "path": "/t/published_totals/London", "value": 9}])
	findings := datacheck.warn with data.reference.metip.tables as t with data.reference.budget as empty_budget
	rules(findings) == {"RDP-REF-002", "RDP-REF-003"}
}

test_grand_total if {
	t := json.patch(table, [{"op": "replace", "path": "/t/published_grand_total", "value": 10}])
	findings := datacheck.warn with data.reference.metip.tables as t with data.reference.budget as empty_budget
	rules(findings) == {"RDP-REF-003"}
	count(findings) == 2
}

budget := {
	"income": {"rows": [
		{"label": "Heading", "kind": "heading", "line": 1, "budget_2021_22": null, "budget_2022_23": null, "difference": null, "pct_change": null},
		{"label": "A", "kind": "line", "line": 2, "budget_2021_22": 10.1, "budget_2022_23": 12.2, "difference": 2.1, "pct_change": null},
		{"label": "B", "kind": "line", "line": 3, "budget_2021_22": 0.2, "budget_2022_23": 0.1, "difference": -0.1, "pct_change": null},
		{"label": "Total", "kind": "subtotal", "line": 4, "budget_2021_22": 10.3, "budget_2022_23": 12.3, "difference": 2, "pct_change": 19.42},
	]},
	"expenditure": {"rows": []},
}

subtotals := {"income": [{"subtotal": "Total", "parts": ["A", "B"]}], "expenditure": []}

test_consistent_budget_passes if {
	count(datacheck.warn) == 0 with data.reference.budget as budget
		with data.reference.budget_subtotals as subtotals
		with data.reference.metip.tables as {}
}

test_subtotal if {
	b := json.patch(budget, [{"op": "replace", "path": "/income/rows/3/budget_2022_23", "value": 12.4}])
	findings := datacheck.warn with data.reference.budget as b
		with data.reference.budget_subtotals as subtotals
		with data.reference.metip.tables as {}
	rules(findings) == {"RDP-REF-004", "RDP-REF-005"}
	some f in findings
	f.rule == "RDP-REF-004"
	f.msg == "Budget income table, \"Total\" 2022-23 (source line 4): its parts (A, B) add up to £12.3m but the published figure is £12.4m (a difference of £0.1m)."
}

test_difference if {
	b := json.patch(budget, [{"op": "replace", "path": "/income/rows/1/difference", "value": 2.2}])
	findings := datacheck.warn with data.reference.budget as b
		with data.reference.budget_subtotals as no_subtotals
		with data.reference.metip.tables as {}
	rules(findings) == {"RDP-REF-005"}
}

test_percentage if {
	b := json.patch(budget, [{"op": "replace", "path": "/income/rows/3/pct_change", "value": 19.43}])
	findings := datacheck.warn with data.reference.budget as b
		with data.reference.budget_subtotals as subtotals
		with data.reference.metip.tables as {}
	rules(findings) == {"RDP-REF-006"}
	some f in findings
	f.msg == "Budget income table, \"Total\" (source line 4): a difference of £2.0m on £10.3m is 19.42%, but the published change is 19.43%."
}
