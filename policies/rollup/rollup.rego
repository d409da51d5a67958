# METADATA
# title: National roll-up
# description: |
#   Checks the regional plans together against the national reference data:
#   one plan per region, all for the plan year, adding up to the national
#   METIP, meeting the national commitments in sum, within the national
#   programme allocation, and with no region far out of line with the others.
#   `rdpcheck rollup` evaluates these rules once, with
#   input.plans = [{"index": i, "path": file, "region": region, "plan": plan}].
#   A finding with a "plan" key (the index) belongs to that plan's file and its
#   path points into that plan; a finding without one is national.
package rdp.rollup

import data.rdp.derived
import data.rdp.lib
import data.rdp.metip

params := data.reference.params

regions := data.reference.regions

region_set := {r | some r in regions}

# The plan layout every plan in the roll-up must use.
schema_version := "rdp/v1"

# The national METIP: tables.<table id>.programmes[] with name and cells
# {<region or national column>: starts}; a blank cell is simply absent.
reference := data.reference.metip.tables

postgraduate_table := "postgraduate_medical_dental"

# The row of the business plan's income table that gives the national
# programme allocation (section 8).
allocation_label := "Total Programme Funding"

# commitment[id] is one of the national commitments in the reference data.
commitment[c.id] := c if some c in data.reference.commitments

midwifery_names := {n | some n in params.midwifery_programmes}

# --- the plans ---

# plans[i] is the entry at position i of input.plans, when it holds a plan.
plans := {i: e |
	is_array(input.plans)
	some i, e in input.plans
	is_object(e)
	is_object(e.plan)
}

# placed[i] is the region of plan i, when it is one of the seven regions.
placed := {i: r |
	some i, e in plans
	r := object.get(e, "region", object.get(e.plan, "region", null))
	r in region_set
}

# placed_regions holds the regions of the placed plans, each once.
placed_regions := {r | some r in placed}

# unplaced holds the plans that name no region of the seven.
unplaced contains i if {
	some i, _ in plans
	not placed[i]
}

# plans_for[region] lists the plans for the region, in input order.
plans_for[r] := sort([i | some i, x in placed; x == r]) if some r in regions

# complete: each of the seven regions exactly once and no other plan. The
# national sums are only meaningful for such a set.
complete if {
	count(unplaced) == 0
	every r in regions {
		count(plans_for[r]) == 1
	}
}

# no_repeats: no region twice and no plan outside the seven regions. A
# region may be missing: a sum over the others is then a lower bound.
no_repeats if {
	count(unplaced) == 0
	every r in regions {
		count(plans_for[r]) <= 1
	}
}

# file(i) names plan i's file for messages.
file(i) := plans[i].path if is_string(plans[i].path)

file(i) := sprintf("plan %d", [i]) if not is_string(object.get(plans[i], "path", null))

# plan_label(i) names plan i by its region and file.
plan_label(i) := sprintf("%s (%s)", [placed[i], file(i)])

plan_label(i) := file(i) if not placed[i]

# on_plan attributes a finding to plan i: its path then points into that plan.
on_plan(f, i) := object.union(f, {"plan": i})

# national_path is the path of a finding about the set of plans as a whole.
national_path := ""

# plan_lines holds every readable METIP programme line of the placed plans:
# the plan, table, name, planned and prior-year starts, and the pointer to it.
plan_lines contains line if {
	some i, _ in placed
	is_array(plans[i].plan.metip)
	some k, t in plans[i].plan.metip
	is_string(t.table)
	is_array(t.programmes)
	some j, p in t.programmes
	is_object(p)
	is_string(p.name)
	is_number(p.planned_starts)
	line := {
		"plan": i,
		"table": t.table,
		"name": p.name,
		"starts": p.planned_starts,
		"prior": object.get(p, "prior_year_starts", null),
		"path": sprintf("/metip/%d/programmes/%d", [k, j]),
	}
}

# unreadable_rows holds [table, name] of the programmes some placed plan
# gives without a numeric planned_starts: the schema reports those, and the
# national sums and outliers leave such programmes alone.
unreadable_rows contains [t.table, p.name] if {
	some i, _ in placed
	some t in plans[i].plan.metip
	some p in t.programmes
	is_string(p.name)
	not is_number(object.get(p, "planned_starts", null))
}

# Grouping the lines by plan and programme in linear time: sorted, a
# programme's lines in one plan stand together, and each group runs from
# one of group_starts to the next. (Comparing every line with every other,
# or a partial object rule with one key per line, would grow with the
# square of the number of lines; OPA checks each new key of a partial
# object against all earlier ones.)
sorted_lines := sort([[l.plan, l.table, l.name, l.path, l.starts] | some l in plan_lines])

group_starts := [j | some j, _ in sorted_lines; new_group(j)]

new_group(0)

new_group(j) if array.slice(sorted_lines[j - 1], 0, 3) != array.slice(sorted_lines[j], 0, 3)

group_end(g) := group_starts[g + 1] if g + 1 < count(group_starts)

group_end(g) := count(sorted_lines) if g + 1 == count(group_starts)

# programme[[i, table, name]] is a plan's programme: its planned starts (all
# its lines for the programme added up) and the pointer to its first line.
programme := {array.slice(first, 0, 3): {"starts": sum([l[4] | some l in lines]), "path": first[3]} |
	some g, start in group_starts
	lines := array.slice(sorted_lines, start, group_end(g))
	first := lines[0]
}

# planned(i, table, name) is plan i's planned starts on a programme; a
# programme the plan does not list counts as 0.
planned(i, table, name) := object.get(programme, [[i, table, name], "starts"], 0)

# published(row, region) is the region's published starts on a METIP row; a
# blank cell counts as 0.
published(row, r) := n if {
	n := object.get(row.cells, r, 0)
	is_number(n)
}

# national_columns(row) holds the row's published cells that are not a
# region's: National, Regionally Hosted National Activities, Chief Nurse.
national_columns(row) := {c: n | some c, n in row.cells; not c in region_set; is_number(n)}

# ref_rows[table id][programme name] is the published METIP row (from the
# reference data alone, package rdp.derived).
ref_rows := derived.metip_rows

# METADATA
# title: Every region exactly once
# description: |
#   The roll-up holds one plan for each of the seven regions and nothing
#   else: a region without a plan is one national finding naming it; a region
#   given twice is a finding on the later plan naming both files; a plan whose
#   region is not one of the seven is a finding on that plan. The national sums
#   (RDP-ROL-003, RDP-ROL-004) are made only when this rule raises nothing, and
#   the budget total (RDP-ROL-005) only when no region is repeated.
# custom:
#   id: RDP-ROL-001
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 7 (Our Operating Model and Regional Delivery Plans, showing how the plan and the METIP are delivered locally) and the annex METIP tables with one column per region
#   remediation: Roll up exactly one plan per region. Add the missing region's plan, and leave out superseded copies and plans for anything but the seven regions.
#   details: >-
#     The regions are data.reference.regions.
deny contains f if {
	some x in region_problems
	f := attribute(lib.finding(rego.metadata.rule(), lib.plan_wide, x.path, x.msg), x)
}

# attribute puts a problem's plan on its finding, when it has one.
attribute(f, x) := on_plan(f, x.plan) if is_number(object.get(x, "plan", null))

attribute(f, x) := f if not is_number(object.get(x, "plan", null))

region_problems contains {"path": national_path, "msg": msg} if {
	is_array(input.plans)
	some r in regions
	count(plans_for[r]) == 0
	covered := [x | some x in regions; count(plans_for[x]) > 0]
	msg := sprintf("No plan for %s is in the roll-up, which has plans for %d of the %d regions (%s); the national checks need one plan from each region, so add %s's plan.", [
		r, count(covered), count(regions), regions_text(covered), r,
	])
}

region_problems contains {"plan": i, "path": "/region", "msg": msg} if {
	some r in regions
	ids := plans_for[r]
	some k, i in ids
	k > 0
	msg := sprintf("%s is in the roll-up twice: %s repeats %s; roll up one plan per region and leave out the superseded one.", [
		r, file(i), file(ids[0]),
	])
}

region_problems contains {"plan": i, "path": "/region", "msg": msg} if {
	some i in unplaced
	msg := sprintf("%s is not a plan for one of the %d regions (its region is %s), so the roll-up cannot count it; set region to one of %s, or leave the file out.", [
		file(i), count(regions), value_text(object.get(plans[i].plan, "region", null)), concat(", ", regions),
	])
}

# field_text names a plan's field and its value: schema_version "rdp/v2", or no schema_version.
field_text(key, null) := sprintf("no %s", [key])

field_text(key, v) := sprintf("%s %s", [key, value_text(v)]) if v != null

regions_text(rs) := concat(", ", rs) if count(rs) > 0

regions_text(rs) := "none" if count(rs) == 0

# value_text shows a plan's value in a message: a string in quotes, a missing one as such.
value_text(v) := sprintf("\"%s\"", [v]) if is_string(v)

value_text(null) := "missing"

value_text(v) := sprintf("%v", [v]) if {
	not is_string(v)
	v != null
}

# METADATA
# title: Every plan is for the plan year and layout
# description: |
#   Every plan in the roll-up is for the financial year of the national
#   reference data (2022/23) and uses the rdp/v1 plan layout: plans for another
#   year or in another layout cannot be added up with the rest. One finding per
#   differing field, on the plan.
# custom:
#   id: RDP-ROL-002
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23 (the plan and its METIP cover the 2022/23 financial year) and section 7 (Regional Delivery Plans); rdp/v1, the plan layout of schemas/plan.schema.json
#   remediation: Roll up only the 2022/23 plans in the rdp/v1 layout; correct financial_year or schema_version, or replace the file with the region's current plan.
#   details: >-
#     The year is data.reference.financial_year.
deny contains f if {
	some x in odd_plans
	f := on_plan(lib.finding(rego.metadata.rule(), lib.plan_wide, x.path, x.msg), x.plan)
}

odd_plans contains {"plan": i, "path": "/financial_year", "msg": msg} if {
	some i, e in plans
	year := object.get(e.plan, "financial_year", null)
	year != data.reference.financial_year
	msg := sprintf("%s gives %s, but the roll-up is for %s, the year of the national reference data; roll up the region's %s plan.", [
		plan_label(i), field_text("financial_year", year), data.reference.financial_year, data.reference.financial_year,
	])
}

odd_plans contains {"plan": i, "path": "/schema_version", "msg": msg} if {
	some i, e in plans
	version := object.get(e.plan, "schema_version", null)
	version != schema_version
	msg := sprintf("%s gives %s, but the roll-up reads only the %s layout; convert the plan to %s.", [
		plan_label(i), field_text("schema_version", version), schema_version, schema_version,
	])
}

# METADATA
# title: Regional plans add up to the national METIP
# description: |
#   For every programme of every METIP table, the planned starts of the
#   seven regional plans, plus the published figures of the table's national
#   columns (National, Regionally Hosted National Activities, Chief Nurse),
#   equal the national figure: the sum of the row's published cells. (Where
#   the printed row total disagrees with its cells, the reference data is at
#   fault; rdpcheck data check reports that, RDP-REF-001.) Programmes a plan
#   does not list count as 0 for its region; programmes the METIP does not
#   have are left to RDP-MET-004. Made only when every region is in the
#   roll-up exactly once (RDP-ROL-001). The message names each region whose
#   figure differs from its published cell.
# custom:
#   id: RDP-ROL-003
#   severity: error
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, Future workforce objective 1 and section 7 (Regional Delivery Plans show how the METIP will be delivered locally); annex, 2022/23 METIP activity tables (regional and national columns)
#   remediation: Bring the named regions' planned starts back to their METIP figures, or agree the national change and have the regions' figures reflect it.
deny contains f if {
	complete
	some table_id, rows in ref_rows
	some name, row in rows
	not [table_id, name] in unreadable_rows
	regional := sum([planned(i, table_id, name) | some i, _ in placed])
	national := national_columns(row)
	total := regional + sum([n | some n in national])
	figure := sum([n | some n in row.cells; is_number(n)])
	total != figure
	differing := [sprintf("%s %s (published %s)", [r, lib.int_text(p), lib.int_text(c)]) |
		some r in regions
		i := plans_for[r][0]
		p := planned(i, table_id, name)
		c := published(row, r)
		p != c
	]
	msg := sprintf("METIP %s, %s: the regional plans add up to %s starts%s, against the national figure of %s (the sum of the published cells%s), %s. Regions whose planned starts differ from the METIP: %s; check their figures.", [
		table_label(table_id), name, lib.int_text(regional), national_text(national, total), lib.int_text(figure),
		printed_total_text(row, figure), more_or_fewer(total - figure), concat("; ", differing),
	])
	f := object.union(lib.finding(rego.metadata.rule(), "FW1", national_path, msg), {"subject": name})
}

# national_text adds the national columns to the regional sum, in words.
national_text(national, total) := sprintf("; with the published national columns (%s) that makes %s", [
	concat(", ", [sprintf("%s %s", [c, lib.int_text(n)]) | some c in sort(object.keys(national)); n := national[c]]),
	lib.int_text(total),
]) if count(national) > 0

national_text(national, _) := "" if count(national) == 0

printed_total_text(row, figure) := sprintf("; the printed row total of %s disagrees with them, see rdpcheck data check", [lib.int_text(row.published_total)]) if {
	is_number(row.published_total)
	row.published_total != figure
}

printed_total_text(row, figure) := "" if not row.published_total != figure

# METADATA
# title: National commitments are met in sum
# description: |
#   The regional plans together meet the national commitments. GP training
#   (4,000 trainees a year): the plans' planned starts on
#   {params.gp_training_programme}, plus the published national columns of that
#   row, reach the target. Midwifery expansion (1,000 additional places a
#   year): over every plan's lines on {params.midwifery_programmes}, planned
#   minus prior-year starts add up to at least the target; a line without
#   prior-year starts shows no increase (RDP-MET-007 reports it on the plan).
#   Made only when every region is in the roll-up exactly once (RDP-ROL-001).
# custom:
#   id: RDP-ROL-004
#   severity: error
#   objectives: [FW3]
#   standard: HEE Business Plan 2022/23, Future workforce objective 3 (Primary and Integrated Care, deliver 4,000 GP trainees towards 6,000 more GPs by March 2024; Nursing and midwifery, 1,000 additional midwifery training places towards 3,650 by 2023)
#   remediation: Agree with the regions where the shortfall is made up and raise their planned starts (and, for midwifery, check that prior_year_starts are the 2021/22 figures).
#   details: >-
#     Commitments: data.reference.commitments gp_trainees and midwifery_places; programmes: data.reference.params.gp_training_programme and midwifery_programmes.
deny contains f if {
	some x in commitment_shortfalls
	f := lib.finding(rego.metadata.rule(), "FW3", national_path, x)
}

gp_name := params.gp_training_programme

# gp_national is the GP row's published national columns, added up.
gp_national := sum([n | some n in national_columns(ref_rows[postgraduate_table][gp_name])]) if ref_rows[postgraduate_table][gp_name]

gp_national := 0 if not ref_rows[postgraduate_table][gp_name]

commitment_shortfalls contains msg if {
	complete
	target := commitment.gp_trainees.target
	by_region := [[r, planned(plans_for[r][0], postgraduate_table, gp_name)] | some r in regions]
	regional := sum([x[1] | some x in by_region])
	total := regional + gp_national
	total < target
	msg := sprintf("GP training: the regional plans add up to %s %s starts (%s), %s with the %s in the METIP's national columns, %s short of the %s %s that the business plan commits to; raise the regions' GP training starts.", [
		lib.int_text(regional), gp_name, pairs_text(by_region), lib.int_text(total), lib.int_text(gp_national),
		lib.int_text(target - total), lib.int_text(target), commitment.gp_trainees.description,
	])
}

# midwifery[r] is the region's midwifery lines with prior-year starts: their
# planned and prior-year starts added up, and the lines without prior-year starts.
midwifery[r] := {
	"planned": sum([l.starts | some l in lines; is_number(l.prior)]),
	"prior": sum([l.prior | some l in lines; is_number(l.prior)]),
	"unknown": count([l | some l in lines; not is_number(l.prior)]),
} if {
	complete
	some r in regions
	i := plans_for[r][0]
	lines := [l | some l in plan_lines; l.plan == i; l.name in midwifery_names]
}

commitment_shortfalls contains msg if {
	complete
	target := commitment.midwifery_places.target
	planned_total := sum([m.planned | some m in midwifery])
	prior_total := sum([m.prior | some m in midwifery])
	increase := planned_total - prior_total
	increase < target
	by_region := [[r, midwifery[r].planned - midwifery[r].prior] | some r in regions]
	msg := sprintf("Midwifery expansion: the regional plans add up to %s starts on %s against %s the year before, %s (%s)%s, %s short of the %s %s that the business plan commits to; plan more midwifery starts.", [
		lib.int_text(planned_total), concat(" and ", params.midwifery_programmes), lib.int_text(prior_total),
		more_or_fewer(increase), signed_pairs_text(by_region), unknown_prior_text, lib.int_text(target - increase),
		lib.int_text(target), lower(commitment.midwifery_places.description),
	])
}

unknown_prior_text := sprintf("; midwifery lines without prior_year_starts (%d) count as no increase", [n]) if {
	n := sum([m.unknown | some m in midwifery])
	n > 0
}

unknown_prior_text := "" if sum([m.unknown | some m in midwifery]) == 0

# pairs_text lists [region, figure] pairs: "London 1,661, Midlands 2,635".
pairs_text(pairs) := concat(", ", [sprintf("%s %s", [p[0], lib.int_text(p[1])]) | some p in pairs])

# signed_pairs_text lists changes: "London +183, Midlands -4".
signed_pairs_text(pairs) := concat(", ", [sprintf("%s %s", [p[0], signed_int(p[1])]) | some p in pairs])

signed_int(n) := concat("", ["+", lib.int_text(n)]) if n > 0

signed_int(n) := lib.int_text(n) if n <= 0

# METADATA
# title: Regional budgets fit the national programme allocation
# description: |
#   The regional budgets' declared totals, added up in exact £1,000 units,
#   are at most the national programme allocation: the 2022-23 Total Programme
#   Funding of the business plan's income table, £5,449.4m. Made when no region
#   is repeated and every plan is for one of the seven regions (RDP-ROL-001);
#   with a region missing the sum is a lower bound, so an excess is still real.
#   A plan without a numeric declared total is left out of the sum.
# custom:
#   id: RDP-ROL-005
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements, income table, Total Programme Funding £5,449.40m in 2022-23) and the METIP scope (the METIP must be affordable within the allocation of funding received by HEE)
#   remediation: Agree reductions with the regions until their budgets together fit the national programme allocation, and record the agreed allocations in each plan's budget.allocation.
#   details: >-
#     The allocation is read from data.reference.budget.income; amounts are summed with lib.thousandths.
deny contains f if {
	no_repeats
	row := allocation_row
	allocation := lib.thousandths(row.budget_2022_23)
	budgets := [[r, lib.thousandths(d)] |
		some r in regions
		some i in plans_for[r]
		d := object.get(plans[i].plan, ["budget", "declared_total"], null)
		is_number(d)
	]
	total := sum([b[1] | some b in budgets])
	total > allocation
	msg := sprintf("The regional budgets add up to %s (%s), over the national programme allocation of %s (%s %s, business plan section 8) by %s; the regions' budgets must fit within it together.", [
		lib.gbp_text(total), concat(", ", [sprintf("%s %s", [b[0], lib.gbp_text(b[1])]) | some b in budgets]),
		lib.gbp_text(allocation), allocation_label, "2022-23", lib.gbp_text(total - allocation),
	])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, national_path, msg)
}

allocation_row := [r | some r in data.reference.budget.income.rows; r.label == allocation_label; is_number(r.budget_2022_23)][0]

# --- outliers across regions ---

# shared_rows are the METIP rows on which every region has published starts
# (above 0): the programmes the METIP spreads across the whole country.
# Rows one region hosts for all (East of England's 14,949 Pharmacy -
# Clinical starts) are left out, so they do not swell the host's share.
shared_rows := [row |
	some t in reference
	some row in t.programmes
	every r in regions {
		published(row, r) > 0
	}
]

# region_activity[r] is the region's published starts over the shared rows
# (a complete rule, worked out once: ratio looks it up for every figure).
region_activity := {r: sum([published(row, r) | some row in shared_rows]) | some r in regions}

all_activity := sum([n | some n in region_activity])

# outlier_rows[table id][name] is a row's regional published sum, for the
# rows of at least data.reference.params.metip_outlier_min_national_starts.
outlier_rows[table_id][name] := n if {
	some table_id, rows in ref_rows
	some name, row in rows
	not [table_id, name] in unreadable_rows
	n := sum([published(row, r) | some r in regions])
	n > 0
	n >= params.metip_outlier_min_national_starts
}

# Ratios are held as whole millionths, so that the medians and spreads below
# are exact and quick to work out.
million := 1000000

# ratio(starts, i, table, name) is starts over what plan i's region would
# plan on the row if it took its usual share: the row's regional published
# sum times the region's share of the activity on the shared rows.
ratio(starts, i, table_id, name) := region_ratio(starts, placed[i], table_id, name)

region_ratio(starts, r, table_id, name) := round(((starts * all_activity) * million) / (outlier_rows[table_id][name] * region_activity[r])) if {
	region_activity[r] > 0
}

expected(i, table_id, name) := (outlier_rows[table_id][name] * region_activity[placed[i]]) / all_activity

# planned_ratio and published_ratio[table id][name][i]: plan i's planned and
# published starts on a row, as ratios. (Complete rules: as partial objects
# with a key per row and plan they would grow with the square of the plans.)
# A published ratio depends on the plan's region only, so it is worked out
# once per region and shared by the region's plans.
planned_ratio := {table_id: by_name |
	some table_id, names in outlier_rows
	by_name := {name: ratios |
		some name, _ in names
		ratios := {i: x | some i, _ in placed; x := ratio(planned(i, table_id, name), i, table_id, name)}
		count(ratios) > 0
	}
	count(by_name) > 0
}

published_ratio := {table_id: by_name |
	some table_id, names in outlier_rows
	by_name := {name: ratios |
		some name, _ in names
		row := ref_rows[table_id][name]
		by_region := {r: x | some r in placed_regions; x := region_ratio(published(row, r), r, table_id, name)}
		ratios := {i: x | some i, r in placed; x := by_region[r]}
		count(ratios) > 0
	}
	count(by_name) > 0
}

# The spread of a row's ratios is their median absolute deviation (MAD), but
# at least data.reference.params.rollup_outlier_min_spread (0.1: a tenth of
# the expected figure), so that rows on which the regions' ratios happen to
# agree closely do not make small departures look far out of line.
min_spread := round(object.get(params, "rollup_outlier_min_spread", 0.1) * million)

spread(xs) := {"median": m, "spread": d, "above": above, "below": below} if {
	m := lib.median(xs)
	d := max([lib.median([abs(x - m) | some x in xs]), min_spread])

	# Whole-number screens for direction, worked out once per row: a ratio
	# (a whole number) beyond the threshold is above "above" or below
	# "below", each a whole ratio short of the exact bound
	# median ∓ threshold × spread / 0.6745.
	margin := (params.metip_outlier_z * d) / 0.6745
	above := floor(m + margin) - 1
	below := ceil(m - margin) + 1
}

planned_spread[table_id][name] := spread([x | some x in ratios]) if {
	some table_id, names in planned_ratio
	some name, ratios in names
}

published_spread[table_id][name] := spread([x | some x in ratios]) if {
	some table_id, names in published_ratio
	some name, ratios in names
}

# robust_z measures a ratio's distance from the median in units of the
# spread (0.6745 scales the MAD to a standard deviation).
robust_z(x, s) := (0.6745 * (x - s.median)) / s.spread

# direction(x, s) is "high" or "low" when |robust z| exceeds
# data.reference.params.metip_outlier_z, undefined otherwise. Compared
# without division: 0.6745 x |x - median| against threshold x spread.
direction(x, s) := "high" if {
	s.spread > 0
	x > s.above
	0.6745 * (x - s.median) > params.metip_outlier_z * s.spread
}

direction(x, s) := "low" if {
	s.spread > 0
	x < s.below
	0.6745 * (s.median - x) > params.metip_outlier_z * s.spread
}

# published_direction is direction for the published ratios; with no spread
# at all (a floor of 0 and a MAD of 0) any departure from the median counts.
published_direction(y, s) := direction(y, s) if s.spread > 0

published_direction(y, s) := "high" if {
	s.spread == 0
	y > s.median
}

published_direction(y, s) := "low" if {
	s.spread == 0
	y < s.median
}

# published_outlier holds the rows and plans where the region's published
# figure is itself an outlier in that direction: the METIP's own lopsided lines.
published_outlier contains [table_id, name, i, d] if {
	some table_id, names in published_ratio
	some name, ratios in names
	some i, y in ratios
	d := published_direction(y, published_spread[table_id][name])
}

# METADATA
# title: No region far out of line with the others
# description: |
#   Flags a region whose planned starts on a programme are far out of line
#   with the other regions'. For each programme with at least
#   {params.metip_outlier_min_national_starts} published regional starts, each
#   region is expected to plan its usual share of them; a region whose ratio of
#   planned to expected starts is more than {params.metip_outlier_z} robust
#   standard deviations from the other regions' is flagged, unless its published
#   figure is just as far out (a region hosting a national programme, such as
#   East of England's Pharmacy - Clinical), so only the plans' departures are
#   flagged. The warning is on the region's plan.
# custom:
#   id: RDP-ROL-006
#   severity: warning
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, Future workforce objective 1 (the METIP balances geographical demand with education capacity and sets the desired geographical distribution of activity); annex, 2022/23 METIP activity tables by region
#   remediation: Check the region's figure (a typing error, or a figure meant for another programme or region); if it is right, the region's variance_explanation should say why it takes this share, for the reviewer who sees this warning.
#   details: >-
#     The usual share is the region's share of the published starts on the rows where the METIP gives every region starts. Ratio = planned / expected; robust z = 0.6745 x (ratio - median ratio) / spread, where the spread is the ratios' median absolute deviation (MAD) but at least data.reference.params.rollup_outlier_min_spread; flagged when |z| > data.reference.params.metip_outlier_z (rows below data.reference.params.metip_outlier_min_national_starts skipped) and the published figure is not an outlier in the same direction by the same test.
warn contains f if {
	some table_id, names in planned_ratio
	some name, ratios in names
	s := planned_spread[table_id][name]
	some i, x in ratios
	d := direction(x, s)
	not [table_id, name, i, d] in published_outlier
	r := placed[i]
	p := planned(i, table_id, name)
	c := published(ref_rows[table_id][name], r)
	msg := sprintf("METIP %s, %s: %s plans %s starts, %s times the %s to expect from its usual share (%s of the regions' starts on the programmes they all run, applied to the row's %s regional starts), far %s the regions' median of %s times (robust z %s across the %d plans, beyond the threshold of %v); the METIP gives %s %s (%s times). Check the figure.", [
		table_label(table_id), name, r, lib.int_text(p), ratio_text(x), lib.decimal_text(expected(i, table_id, name), 1),
		lib.pct_text((region_activity[r] * 100) / all_activity), lib.int_text(outlier_rows[table_id][name]), above_or_below(d),
		ratio_text(s.median), lib.decimal_text(robust_z(x, s), 1), count(ratios), params.metip_outlier_z,
		r, lib.int_text(c), ratio_text(published_ratio[table_id][name][i]),
	])
	f := on_plan(lib.finding(rego.metadata.rule(), "FW1", outlier_path(i, table_id, name), msg), i)
}

ratio_text(x) := lib.decimal_text(x / million, 2)

above_or_below("high") := "above"

above_or_below("low") := "below"

# outlier_path points at the programme's planned starts in the plan, or at
# its METIP when the plan does not list the programme.
outlier_path(i, table_id, name) := concat("/", [programme[[i, table_id, name]].path, "planned_starts"])

outlier_path(i, table_id, name) := "/metip" if not programme[[i, table_id, name]]

# METADATA
# title: Every regional METIP line is counted in the national sums
# description: |
#   A regional plan's programme line whose name the national METIP table
#   does not have cannot be added to the national sums: the roll-up would
#   count the region's published programme as 0 and ignore the line's
#   starts. Each such line is one warning on its plan, naming the METIP's
#   spelling when the line is recognisably the same programme (as RDP-MET-003
#   and RDP-MET-004 find it), so the national figures are not read as a
#   shortfall that is really a naming slip.
# custom:
#   id: RDP-ROL-007
#   severity: warning
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, annex, 2022/23 METIP activity tables (programme names)
#   remediation: Rename the line exactly as the METIP annex names the programme, or move it to the table it belongs to; the region's starts then count in the national sums.
#   details: >-
#     A name matches when it is in data.reference.metip.tables, has the same letters and digits, is a known other spelling in data.reference.programme_aliases, or is the one METIP name closest by letter pairs (data.reference.params.metip_name_similarity); matching is data.rdp.metip.matched_name.
warn contains f if {
	some line in plan_lines
	not ref_rows[line.table][line.name]
	msg := sprintf("METIP %s: %s's line \"%s\" (%s starts) matches no programme of the national METIP, so the national sums leave its starts out%s; rename the line as the METIP names the programme.", [
		table_label(line.table), placed[line.plan], line.name, lib.int_text(line.starts), unmatched_hint(line),
	])
	f := on_plan(lib.finding(rego.metadata.rule(), "FW1", concat("/", [line.path, "name"]), msg), line.plan)
}

unmatched_hint(line) := sprintf(" and count %s's \"%s\", the METIP's name for it, as 0", [placed[line.plan], meant]) if {
	meant := metip.matched_name(line.table, line.name)
}

unmatched_hint(line) := "" if not metip.matched_name(line.table, line.name)

# --- text helpers ---

table_label(id) := data.reference.metip_tables[id]

table_label(id) := id if not data.reference.metip_tables[id]

more_or_fewer(d) := sprintf("%s more", [lib.int_text(d)]) if d >= 0

more_or_fewer(d) := sprintf("%s fewer", [lib.int_text(abs(d))]) if d < 0
