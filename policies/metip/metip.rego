# METADATA
# title: METIP activity
# description: |
#   The region's share of the Multi-professional Education and Training
#   Investment Plan (METIP): planned starts per programme in each table.
package rdp.metip

import data.rdp.lib

# METADATA
# title: METIP table total equals the sum of its programmes
# description: |
#   Each METIP table's declared total is the sum of its programme lines. A
#   total that disagrees with its lines means one of them is wrong, and the
#   national roll-up would count the wrong figure.
# custom:
#   id: RDP-MET-001
#   severity: error
#   standard: HEE Business Plan 2022/23, Annex 1 (METIP 2022/23 activity tables)
#   remediation: Correct the programme lines or the declared_total so that the lines add up to the total.
deny contains f if {
	some i, t in input.metip
	starts := [p.planned_starts | some p in t.programmes]
	every n in starts { is_number(n) }
	is_number(t.declared_total)
	total := sum(starts)
	total != t.declared_total
	msg := sprintf("METIP table %s: the %d programme lines add up to %s planned starts, but declared_total is %s (a difference of %s); correct the lines or the total.", [
		table_label(t.table), count(starts), lib.int_text(total), lib.int_text(t.declared_total), lib.int_text(abs(total - t.declared_total)),
	])
	f := lib.finding(rego.metadata.rule(), "FW1", sprintf("/metip/%d/declared_total", [i]), msg)
}

table_label(id) := data.reference.metip_tables[id]

table_label(id) := id if not data.reference.metip_tables[id]
