# METADATA
# title: KPIs
# description: |
#   Each KPI in the plan can be monitored: it has a baseline, a target for the
#   plan year and a named lead.
package rdp.kpis

import data.rdp.lib

# Every KPI in the plan, with where it sits.
kpis := [{"objective": o.id, "kpi": k, "path": sprintf("/objectives/%d/kpis/%d", [i, j])} |
	some i, o in input.objectives
	some j, k in o.kpis
]

# missing_figure is true when a baseline or target has no usable value or period.
missing_figure(k, key) if not complete_figure(object.get(k, key, null))

# complete_figure is true for a figure with a period in words and a value
# that is a number or text that is not blank.
complete_figure(x) if {
	is_string(x.period)
	trim_space(x.period) != ""
	filled_value(x.value)
}

filled_value(v) if is_number(v)

filled_value(v) if {
	is_string(v)
	trim_space(v) != ""
}

# METADATA
# title: KPI has a baseline
# description: |
#   A KPI without a baseline (value and period) cannot show improvement.
# custom:
#   id: RDP-KPI-001
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 9 (Performance Framework and KPIs)
#   remediation: Add baseline with the latest known value and the period it covers, e.g. value 412, period 2021/22.
deny contains f if {
	some x in kpis
	missing_figure(x.kpi, "baseline")
	msg := sprintf("KPI %s (%s) has no complete baseline; give its value and the period it covers (e.g. 2021/22).", [x.kpi.id, x.kpi.descriptor])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "baseline"]), msg)
}

# METADATA
# title: KPI has a target
# description: |
#   A KPI without a target (value and period) gives no measure of success.
# custom:
#   id: RDP-KPI-002
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 9 (Performance Framework and KPIs)
#   remediation: Add target with the value the region commits to and the plan year as its period.
deny contains f if {
	some x in kpis
	missing_figure(x.kpi, "target")
	msg := sprintf("KPI %s (%s) has no complete target; give the value the region commits to and the period %s.", [x.kpi.id, x.kpi.descriptor, lib.plan_year])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "target"]), msg)
}

# METADATA
# title: KPI has a lead
# description: |
#   Every KPI in the business plan has an executive lead; the regional plan
#   names who answers for it.
# custom:
#   id: RDP-KPI-003
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 5 (KPI descriptors and HEE executive leads)
#   remediation: Set lead to the person or role accountable for the KPI.
deny contains f if {
	some x in kpis
	lib.blank(x.kpi, "lead")
	msg := sprintf("KPI %s (%s) has no lead; name the person or role accountable for it.", [x.kpi.id, x.kpi.descriptor])
	f := lib.finding(rego.metadata.rule(), x.objective, x.path, msg)
}

# METADATA
# title: KPI target is for the plan year
# description: |
#   Targets in a Regional Delivery Plan are for the year the plan covers; a
#   target for another period does not measure this plan.
# custom:
#   id: RDP-KPI-004
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 9 (Performance Framework and KPIs)
#   remediation: Set the target period to the plan year, or replace the target with one for the plan year.
deny contains f if {
	some x in kpis
	period := x.kpi.target.period
	is_string(period)
	trim_space(period) != ""
	period != lib.plan_year
	msg := sprintf("KPI %s (%s) has a target for %s, not for the plan year %s; set a target for %s.", [x.kpi.id, x.kpi.descriptor, period, lib.plan_year, lib.plan_year])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "target", "period"]), msg)
}

# Objectives whose entries list at least one KPI. An objective with none is
# reported by RDP-OBJ-004 and is not reported again for its missing codes.
objectives_with_kpis contains o.id if {
	some o in input.objectives
	some _ in object.get(o, "kpis", [])
}

# Every [objective id, KPI id] pair the plan answers, over all its entries.
plan_codes contains [x.objective, x.kpi.id] if some x in kpis

# objective_first_entry is the index of each objective's first entry. The
# outer comprehension visits each distinct id once and the inner one is
# written with plain references so that OPA indexes it on id, which keeps
# this linear in the plan.
objective_first_entry := {id: min(idxs) |
	some id in objective_ids
	idxs := [i | some i; input.objectives[i].id == id]
}

# Every objective id the plan answers, once each.
objective_ids contains o.id if some o in input.objectives

# The measures that carry a figure rather than a sentence, in words.
measure_text := {"count": "a count", "percent": "a percentage", "gbp_million": "an amount in £ million"}

quantitative := {m | some m, _ in measure_text}

# figure_text formats a KPI figure for a message in the KPI's own unit.
figure_text(_, v) := sprintf("%q", [v]) if is_string(v)

figure_text("gbp_million", v) := lib.gbp_text(lib.thousandths(v)) if is_number(v)

figure_text("percent", v) := sprintf("%v%%", [v]) if is_number(v)

figure_text(measure, v) := lib.int_text(round(v)) if {
	not measure in {"gbp_million", "percent"}
	is_number(v)
	v == round(v)
}

figure_text(measure, v) := sprintf("%v", [v]) if {
	not measure in {"gbp_million", "percent"}
	is_number(v)
	v != round(v)
}

# METADATA
# title: Every KPI the business plan names for an objective is covered
# description: |
#   The business plan lists, after each objective, the KPIs by which
#   progress on it is measured. The regional plan reports against each of them,
#   under the same objective and with the same code, so that regional figures
#   roll up to the national Performance Framework. Objectives missing from the
#   plan (RDP-OBJ-001) or with no KPIs at all (RDP-OBJ-004) are reported by
#   those rules instead.
# custom:
#   id: RDP-KPI-005
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 5 (the Measuring progress table after each objective) and section 9 (Performance Framework and KPIs)
#   remediation: Add a KPI under the objective for each missing code, with the business plan's descriptor, a measure, a baseline, a target for the plan year and a lead.
#   details: >-
#     The business plan's KPIs per objective are data.reference.kpis, transcribed by cmd/extract-reference.
deny contains f if {
	some id in objectives_with_kpis
	missing := [sprintf("%s \"%s\"", [k.code, trim_suffix(k.descriptor, ".")]) |
		some k in data.reference.kpis.objectives[id].kpis
		not [id, k.code] in plan_codes
	]
	count(missing) > 0
	msg := sprintf("Objective %s does not report %s of the business plan's KPIs for it: %s; add a KPI with each of these codes under %s.", [
		id, lib.int_text(count(missing)), concat("; ", missing), id,
	])
	f := lib.finding(rego.metadata.rule(), id, sprintf("/objectives/%d/kpis", [objective_first_entry[id]]), msg)
}

# METADATA
# title: Quantitative KPIs have numeric baseline and target
# description: |
#   A KPI measured as a count, a percentage or an amount in £ million is
#   monitored by comparing figures, so its baseline and target values are
#   numbers. A placeholder such as "TBC" cannot be reported against. A
#   missing or blank value is reported by RDP-KPI-001 or RDP-KPI-002.
# custom:
#   id: RDP-KPI-006
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 9 (Performance Framework, which relies on consistent and transparent national and regional information)
#   remediation: Replace the text with the figure as a number (e.g. 412, 87.5), or set measure to qualitative if the KPI is a narrative update.
deny contains f if {
	some x in kpis
	x.kpi.measure in quantitative
	some key in ["baseline", "target"]
	value := x.kpi[key].value
	is_string(value)
	trim_space(value) != ""
	msg := sprintf("KPI %s (%s) is measured as %s but its %s value is %s, not a number; give the %s as a figure.", [
		x.kpi.id, x.kpi.descriptor, measure_text[x.kpi.measure], key, figure_text(x.kpi.measure, value), key,
	])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, key, "value"]), msg)
}

# METADATA
# title: Percentage KPIs are between 0 and 100
# description: |
#   A KPI measured as a percentage cannot be below 0% or above 100%; a value
#   outside that range is usually a count or a ratio entered in the wrong
#   unit.
# custom:
#   id: RDP-KPI-007
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 5 (percentage KPIs, e.g. FW1 undergraduate tariff sign-up and fill rates) and section 9 (Performance Framework)
#   remediation: Give the baseline and target as percentages from 0 to 100, or correct the KPI's measure.
deny contains f if {
	some x in kpis
	x.kpi.measure == "percent"
	some key in ["baseline", "target"]
	value := x.kpi[key].value
	is_number(value)
	not between(value, 0, 100)
	msg := sprintf("KPI %s (%s) is a percentage but its %s value is %v; a percentage must be between 0 and 100.", [
		x.kpi.id, x.kpi.descriptor, key, value,
	])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, key, "value"]), msg)
}

between(v, low, high) if {
	v >= low
	v <= high
}

# METADATA
# title: Increase KPIs have a target above the baseline
# description: |
#   The business plan asks for an increase on 2021/22 in some KPIs
#   ({params.increase_kpis}: learning disability nursing and mental health
#   nursing). A target at or below the baseline plans no increase.
# custom:
#   id: RDP-KPI-008
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 5, Future workforce objective 3, Nursing and Midwifery KPIs iv and v (increase in learning disability and mental health nursing compared to 2021/22)
#   remediation: Set a target above the 2021/22 baseline, or correct the baseline if it is wrong.
#   details: >-
#     KPI codes: data.reference.params.increase_kpis.
deny contains f if {
	increase := {code | some code in object.get(data.reference.params, "increase_kpis", [])}
	some x in kpis
	x.kpi.id in increase
	baseline := x.kpi.baseline.value
	target := x.kpi.target.value
	is_number(baseline)
	is_number(target)
	comparable(x.kpi.measure, target) <= comparable(x.kpi.measure, baseline)
	msg := sprintf("KPI %s (%s) must show an increase, but its target of %s for %v is not above its baseline of %s for %v; set a target above %s.", [
		x.kpi.id, x.kpi.descriptor,
		figure_text(x.kpi.measure, target), object.get(x.kpi.target, "period", "the plan year"),
		figure_text(x.kpi.measure, baseline), object.get(x.kpi.baseline, "period", "the baseline year"),
		figure_text(x.kpi.measure, baseline),
	])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "target", "value"]), msg)
}

# comparable turns a figure into a value that compares exactly: money in
# exact thousandths (lib.thousandths), anything else as it is.
comparable(measure, v) := lib.thousandths(v) if measure == "gbp_million"

comparable(measure, v) := v if measure != "gbp_million"

# Every KPI id the plan uses, once each.
kpi_ids contains id if {
	some x in kpis
	id := x.kpi.id
}

# Where each KPI id is used: [entry, position] pairs in plan order. The
# outer comprehension visits each distinct id once and the inner one is
# written with plain references so that OPA indexes it on id, which keeps
# this linear in the plan even when one id is repeated thousands of times.
kpi_places := {id: places |
	some id in kpi_ids
	places := [[i, j] | some i, j; input.objectives[i].kpis[j].id == id]
}

# places_shown is how many places a message lists before "and N more".
places_shown := 10

# places_text lists where a repeated KPI id is used, naming at most
# places_shown places and counting the rest: "FW1 KPI 2, FW1 KPI 9".
places_text(places) := concat("", [
	concat(", ", [sprintf("%s KPI %d", [input.objectives[e].id, p + 1]) |
		some n, [e, p] in places
		n < places_shown
	]),
	more_text(count(places) - places_shown),
])

more_text(n) := "" if n <= 0

more_text(n) := sprintf(" and %s more", [lib.int_text(n)]) if n > 0

# The KPI ids each entry lists ([entry, KPI id]).
entry_kpis contains [i, k.id] if {
	some i, o in input.objectives
	some k in o.kpis
}

# repeated_entry is true when entry i is a second entry for its objective
# that repeats a KPI of the first: RDP-OBJ-002 reports the repeated
# objective, so its KPIs are not reported again.
repeated_entry(i, id) if {
	first := objective_first_entry[input.objectives[i].id]
	i != first
	[first, id] in entry_kpis
}

# METADATA
# title: KPI ids are unique
# description: |
#   Each KPI code identifies one measure in the Performance Framework; two
#   KPIs with the same id make regional reporting ambiguous. Each repeated
#   id is reported once, with how many times and where it is used. A KPI
#   repeated only because its whole objective entry is repeated is reported
#   by RDP-OBJ-002.
# custom:
#   id: RDP-KPI-009
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 5 (one KPI descriptor per code under each objective) and section 9 (Performance Framework)
#   remediation: Merge the KPIs that share the id into one, or give the second its own code from the business plan.
deny contains f if {
	some id, places in kpi_places
	count(places) > 1
	repeats := [place |
		some n, place in places
		n > 0
		not repeated_entry(place[0], id)
	]
	count(repeats) > 0
	[i, j] := repeats[0]
	msg := sprintf("KPI id %s is used %s times (%s); each KPI needs its own id, so merge the repeats or correct the id.", [
		id, lib.int_text(count(places)), places_text(places),
	])
	f := lib.finding(rego.metadata.rule(), input.objectives[i].id, sprintf("/objectives/%d/kpis/%d/id", [i, j]), msg)
}
