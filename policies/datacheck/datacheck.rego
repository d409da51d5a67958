# METADATA
# title: Reference data checks
# description: |
#   Checks the published tables transcribed into the reference data
#   (data.reference.metip and data.reference.budget) add up. They are run by
#   `rdpcheck data check`, not against plans. A finding here is about the
#   published source, not any region's plan: the data keeps the published
#   figures as they are, and these rules say where they disagree.
package rdp.datacheck

import data.rdp.lib

metip := data.reference.metip.tables

# METADATA
# title: Published METIP row total equals the sum of its cells
# description: |
#   Each programme row of a METIP table ends with a total; it should equal
#   the sum of the row's regional and national cells.
# custom:
#   id: RDP-REF-001
#   severity: warning
#   objectives: [reference]
#   standard: HEE Business Plan 2022/23, annex (METIP 2022/23 activity tables)
#   remediation: Nothing to change in a plan. Use the cells, not the printed total, and raise the discrepancy with the business plan's authors.
warn contains f if {
	some id, t in metip
	some i, p in t.programmes
	cells := sum([n | some n in p.cells])
	cells != p.published_total
	msg := sprintf("METIP %s, programme %q (source line %d): the cells add up to %s but the published row total is %s (a difference of %s).", [
		t.title, p.name, p.line, lib.int_text(cells), lib.int_text(p.published_total), lib.int_text(p.published_total - cells),
	])
	f := lib.finding(rego.metadata.rule(), "reference", sprintf("/metip/tables/%s/programmes/%d/published_total", [id, i]), msg)
}

# METADATA
# title: Published METIP column total equals the sum of its programmes
# description: |
#   The Grand Total row of a METIP table gives each region's (and each
#   national column's) total; it should equal the sum of that column's
#   programme cells.
# custom:
#   id: RDP-REF-002
#   severity: warning
#   objectives: [reference]
#   standard: HEE Business Plan 2022/23, annex (METIP 2022/23 activity tables)
#   remediation: Nothing to change in a plan. A region's declared total follows its programme lines; the national roll-up compares against the lines too.
warn contains f if {
	some id, t in metip
	some column, published in t.published_totals
	cells := sum([n | some p in t.programmes; n := p.cells[column]])
	cells != published
	msg := sprintf("METIP %s (source line %d), column %s: the programme cells add up to %s but the published Grand Total is %s (a difference of %s).", [
		t.title, t.line, column, lib.int_text(cells), lib.int_text(published), lib.int_text(published - cells),
	])
	f := lib.finding(rego.metadata.rule(), "reference", sprintf("/metip/tables/%s/published_totals/%s", [id, column]), msg)
}

# METADATA
# title: Published METIP grand total agrees with its rows and columns
# description: |
#   A METIP table's grand total should equal both the sum of the Grand
#   Total row and the sum of the programme row totals.
# custom:
#   id: RDP-REF-003
#   severity: warning
#   objectives: [reference]
#   standard: HEE Business Plan 2022/23, annex (METIP 2022/23 activity tables)
#   remediation: Nothing to change in a plan; note which published total the difference comes from.
warn contains f if {
	some id, t in metip
	some label, total in {
		"the Grand Total row adds up": sum([n | some n in t.published_totals]),
		"the programme row totals add up": sum([p.published_total | some p in t.programmes]),
	}
	total != t.published_grand_total
	msg := sprintf("METIP %s (source line %d): %s to %s but the published grand total is %s (a difference of %s).", [
		t.title, t.line, label, lib.int_text(total), lib.int_text(t.published_grand_total), lib.int_text(t.published_grand_total - total),
	])
	f := lib.finding(rego.metadata.rule(), "reference", sprintf("/metip/tables/%s/published_grand_total", [id]), msg)
}

# The figure columns of the budget tables.
years := ["budget_2021_22", "budget_2022_23", "difference"]

year_label := {"budget_2021_22": "2021-22", "budget_2022_23": "2022-23", "difference": "difference"}

# Budget rows by table and label, with their index.
budget_rows[table][r.label] := {"index": i, "row": r} if {
	some table in ["income", "expenditure"]
	some i, r in data.reference.budget[table].rows
}

# METADATA
# title: Published budget subtotal equals the sum of its parts
# description: |
#   Each subtotal of the budget tables should equal the rows it adds up,
#   in both years and in the difference column. Amounts are compared exactly,
#   in £1,000 units.
# custom:
#   id: RDP-REF-004
#   severity: warning
#   objectives: [reference]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements)
#   remediation: Nothing to change in a plan; quote the published subtotal and note the difference when comparing against it.
#   details: >-
#     Which rows each subtotal adds up is data.reference.budget_subtotals.
warn contains f if {
	some table in ["income", "expenditure"]
	some s in data.reference.budget_subtotals[table]
	total := budget_rows[table][s.subtotal]
	some column in years
	published := total.row[column]
	is_number(published)
	parts := [lib.thousandths(budget_rows[table][p].row[column]) | some p in s.parts]
	count(parts) == count(s.parts)
	computed := sum(parts)
	computed != lib.thousandths(published)
	msg := sprintf("Budget %s table, %q %s (source line %d): its parts (%s) add up to %s but the published figure is %s (a difference of %s).", [
		table, s.subtotal, year_label[column], total.row.line, concat(", ", s.parts), lib.gbp_text(computed),
		lib.gbp_text(lib.thousandths(published)), lib.gbp_text(lib.thousandths(published) - computed),
	])
	f := lib.finding(rego.metadata.rule(), "reference", sprintf("/budget/%s/rows/%d/%s", [table, total.index, column]), msg)
}

# METADATA
# title: Published budget difference equals the change between the years
# description: |
#   The difference column of the budget tables should equal the 2022-23
#   budget minus the 2021-22 budget.
# custom:
#   id: RDP-REF-005
#   severity: warning
#   objectives: [reference]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements)
#   remediation: Nothing to change in a plan; use the two year columns rather than the printed difference.
warn contains f if {
	some table in ["income", "expenditure"]
	some i, r in data.reference.budget[table].rows
	is_number(r.difference)
	computed := lib.thousandths(r.budget_2022_23) - lib.thousandths(r.budget_2021_22)
	computed != lib.thousandths(r.difference)
	msg := sprintf("Budget %s table, %q (source line %d): 2022-23 %s less 2021-22 %s is %s, but the published difference is %s.", [
		table, r.label, r.line, lib.gbp_text(lib.thousandths(r.budget_2022_23)), lib.gbp_text(lib.thousandths(r.budget_2021_22)),
		lib.gbp_text(computed), lib.gbp_text(lib.thousandths(r.difference)),
	])
	f := lib.finding(rego.metadata.rule(), "reference", sprintf("/budget/%s/rows/%d/difference", [table, i]), msg)
}

# METADATA
# title: Published budget percentage change agrees with its difference
# description: |
#   The percentage change column should equal the published difference as a
#   share of the 2021-22 budget, rounded to the two decimals the table
#   prints (compared as whole hundredths of a per cent).
# custom:
#   id: RDP-REF-006
#   severity: warning
#   objectives: [reference]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements)
#   remediation: Nothing to change in a plan; recompute the percentage from the figures when quoting it.
warn contains f if {
	some table in ["income", "expenditure"]
	some i, r in data.reference.budget[table].rows
	is_number(r.pct_change)
	prior := lib.thousandths(r.budget_2021_22)
	prior != 0
	computed := round((lib.thousandths(r.difference) * 10000) / prior)
	computed != round(r.pct_change * 100)
	msg := sprintf("Budget %s table, %q (source line %d): a difference of %s on %s is %.2f%%, but the published change is %.2f%%.", [
		table, r.label, r.line, lib.gbp_text(lib.thousandths(r.difference)), lib.gbp_text(prior),
		computed / 100, r.pct_change,
	])
	f := lib.finding(rego.metadata.rule(), "reference", sprintf("/budget/%s/rows/%d/pct_change", [table, i]), msg)
}
