# National picture: the figures of the national roll-up, whether or not any rule fails:
# rdpcheck rollup reads data.rdp.rollup.national once, with the same input
# as the roll-up rules, and every report format presents it. Starts are
# whole numbers; money is in exact thousandths of £1m (lib.thousandths).
# Which figures are read, and how, is reference data
# (data.reference.national_picture and the measures of
# data.reference.commitments).
package rdp.rollup

import data.rdp.lib

picture := data.reference.national_picture

# plan_of[r] is the region's plan in the roll-up: the first, when it is given twice.
plan_of[r] := plans_for[r][0] if {
	some r in regions
	count(plans_for[r]) > 0
}

# national is the national picture: the regions in the roll-up, the METIP
# per table and programme, the budgets by heading and the commitments.
national := {
	"regions": [{"region": r, "short": object.get(picture.region_short_names, r, r), "planned": r in object.keys(plan_of)} | some r in regions],
	"metip": [national_table(id) | some id in metip_order],
	"budget": national_budget,
	"commitments": [national_commitment(c) | some c in data.reference.commitments],
}

# metip_order lists the METIP tables in the order the business plan prints them.
metip_order := [x[1] | some x in sort([[t.line, id] | some id, t in reference])]

national_table(id) := {
	"table": id,
	"title": table_label(id),
	"programmes": [national_row(id, row) | some row in reference[id].programmes; is_string(row.name)],
}

# national_row is one METIP programme: each planned region's starts, each
# region's published cell, the national columns and the national figure.
national_row(id, row) := {
	"name": row.name,
	"planned": {r: planned(i, id, row.name) | some r, i in plan_of},
	"published": {r: published(row, r) | some r in regions},
	"national_columns": national_columns(row),
	"national_figure": sum([n | some n in row.cells; is_number(n)]),
}

# national_budget sets each region's declared total against the national
# programme allocation, and each heading's regional lines against the
# national expenditure line they fund.
national_budget := {
	"allocation_label": picture.allocation_row,
	"allocation_gbp_thousands": allocation_of(picture.allocation_row),
	"regions_gbp_thousands": {r: b |
		some r, i in plan_of
		d := object.get(plans[i].plan, ["budget", "declared_total"], null)
		is_number(d)
		b := lib.thousandths(d)
	},
	"headings": [national_heading(h) | some h in picture.budget_headings],
}

allocation_of(label) := [lib.thousandths(r.budget_2022_23) |
	some r in data.reference.budget.income.rows
	r.label == label
	is_number(r.budget_2022_23)
][0]

national_heading(h) := {
	"heading": h.heading,
	"codes": h.codes,
	"national_row": h.national_row,
	"national_gbp_thousands": national_line(h.national_row),
	"regions_gbp_thousands": {r: sum([lib.thousandths(l.plan) | some l in budget_lines(i); l.code in h.codes; is_number(l.plan)]) | some r, i in plan_of},
}

national_line(label) := [lib.thousandths(r.budget_2022_23) |
	some r in data.reference.budget.expenditure.rows
	r.label == label
	is_number(r.budget_2022_23)
][0]

budget_lines(i) := [l | some l in object.get(plans[i].plan, ["budget", "lines"], []); is_object(l)]

# national_commitment is a commitment with the plans' figure, when the
# reference data says how the plans' figures measure it.
national_commitment(c) := object.union(commitment_text(c), {"measured": true, "planned": measured(c.measure), "regions": measured_regions(c.measure)}) if {
	is_object(object.get(c, "measure", null))
}

national_commitment(c) := object.union(commitment_text(c), {"measured": false}) if {
	not is_object(object.get(c, "measure", null))
}

commitment_text(c) := {
	"id": c.id,
	"description": object.get(c, "description", c.id),
	"target": c.target,
	"unit": object.get(c, "unit", ""),
	"source": object.get(c, "source", ""),
}

# measured_regions[r] is region r's part of a measure.
measured_regions(m) := {r: region_measure(m, i) | some r, i in plan_of}

measured(m) := sum([n | some n in measured_regions(m)]) + national_part(m)

measure_lines(m, i) := [l |
	some l in plan_lines
	l.plan == i
	l.table == object.get(m, "table", l.table)
	l.name in {name | some name in m.programmes}
]

region_measure(m, i) := sum([l.starts | some l in measure_lines(m, i)]) if m.kind == "starts"

region_measure(m, i) := sum([d | some l in measure_lines(m, i); is_number(l.prior); d := l.starts - l.prior]) if m.kind == "increase"

national_part(m) := sum([n |
	object.get(m, "with_national_columns", false) == true
	some row in reference[m.table].programmes
	row.name in {name | some name in m.programmes}
	some n in national_columns(row)
])
