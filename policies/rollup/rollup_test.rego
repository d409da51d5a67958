package rdp.rollup_test

import data.rdp.rollup
import data.rdp.testplan

regions := data.reference.regions

# The METIP tables in the plan, in the order the annex prints them.
tables := ["undergraduate_medical_dental", "postgraduate_medical_dental", "clinical_non_commissioned", "directly_commissioned"]

pg := 1

clinical := 2

dc := 3

# Plan positions in the roll-up: the regions in reference order.
london := 0

east := 1

midlands := 2

north_west := 4

south_west := 6

# region_plan is the small test plan with a complete METIP for a region at
# the published figures. Midwifery lines have prior-year starts of 70% of the
# plan (rounded down), so that the seven regions together show more than the
# 1,000 additional midwifery places; every other line equals the plan.
region_plan(region) := json.patch(testplan.plan, [
	{"op": "replace", "path": "/region", "value": region},
	{"op": "replace", "path": "/metip", "value": [region_table(region, id) | some id in tables]},
])

region_table(region, id) := {"table": id, "programmes": ps, "declared_total": sum([p.planned_starts | some p in ps])} if {
	ps := [programme(row.name, row.cells[region]) |
		some row in data.reference.metip.tables[id].programmes
		is_number(object.get(row.cells, region, null))
	]
}

programme(name, n) := {"name": name, "planned_starts": n, "prior_year_starts": floor(n * 0.7)} if name in {"Midwifery", "Midwifery Shortened"}

programme(name, n) := {"name": name, "planned_starts": n, "prior_year_starts": n} if not name in {"Midwifery", "Midwifery Shortened"}

entry(i, region) := {"index": i, "path": sprintf("plans/%s.yaml", [region]), "region": region, "plan": region_plan(region)}

# all_plans is the roll-up of the seven regions, each at its published figures.
all_plans := {"plans": [entry(i, r) | some i, r in regions]}

# at(i, t, name) is the pointer, within the roll-up input, to programme name
# in table t of plan i.
at(i, t, name) := sprintf("/plans/%d/plan/metip/%d/programmes/%d", [i, t, j]) if {
	some j, p in all_plans.plans[i].plan.metip[t].programmes
	p.name == name
}

# in_plan(i, t, name) is the same pointer within plan i.
in_plan(i, t, name) := substring(at(i, t, name), count(sprintf("/plans/%d/plan", [i])), -1)

set_starts(i, t, name, n) := [{"op": "replace", "path": concat("/", [at(i, t, name), "planned_starts"]), "value": n}]

# with_starts is the roll-up with plan i's starts on a programme changed.
with_starts(i, t, name, n) := json.patch(all_plans, set_starts(i, t, name, n))

without(i) := json.patch(all_plans, [{"op": "remove", "path": sprintf("/plans/%d", [i])}])

# with_extra(e) is the roll-up with one more entry at the end (position 7).
with_extra(e) := {"plans": array.concat(all_plans.plans, [e])}

# --- the valid roll-up ---

test_valid_rollup_passes if {
	count(rollup.deny) == 0 with input as all_plans
	count(rollup.warn) == 0 with input as all_plans
}

test_not_a_rollup_input_is_left_alone if {
	count(rollup.deny) == 0 with input as {}
	count(rollup.deny) == 0 with input as {"plans": "none"}
	count(rollup.warn) == 0 with input as {"plans": "none"}
}

# --- RDP-ROL-001 ---

test_missing_region if {
	fs := rollup.deny with input as without(south_west)
	testplan.rules(fs) == {"RDP-ROL-001"}
	count(fs) == 1
	some f in fs
	f.path == ""
	f.objective == "plan"
	not f.plan
	f.msg == "No plan for South West is in the roll-up, which has plans for 6 of the 7 regions (London, East of England, Midlands, North East & Yorkshire, North West, South East); the national checks need one plan from each region, so add South West's plan."
	count(rollup.warn) == 0 with input as without(south_west)
}

test_no_plans_at_all if {
	fs := rollup.deny with input as {"plans": []}
	testplan.rules(fs) == {"RDP-ROL-001"}
	count(fs) == 7
}

test_region_twice if {
	copy := object.union(entry(7, "London"), {"path": "plans/London-resubmission.yaml"})
	fs := rollup.deny with input as with_extra(copy)
	testplan.rules(fs) == {"RDP-ROL-001"}
	count(fs) == 1
	some f in fs
	f.plan == 7
	f.path == "/region"
	f.msg == "London is in the roll-up twice: plans/London-resubmission.yaml repeats plans/London.yaml; roll up one plan per region and leave out the superseded one."
	count(rollup.warn) == 0 with input as with_extra(copy)
}

# With a region twice nothing is added up: the national sums, commitments
# and budget total would count it twice.
test_region_twice_stops_the_sums if {
	copy := json.patch(entry(7, "London"), array.concat(
		[{"op": "replace", "path": "/plan/budget/declared_total", "value": 5000}],
		[{"op": "replace", "path": concat("", ["/plan", in_plan(london, clinical, "Adult Nurse"), "/planned_starts"]), "value": 2000}],
	))
	testplan.rules(rollup.deny) == {"RDP-ROL-001"} with input as with_extra(copy)
}

test_plan_for_no_region if {
	wales := json.patch(entry(7, "London"), [
		{"op": "replace", "path": "/region", "value": "Wales"},
		{"op": "replace", "path": "/plan/region", "value": "Wales"},
		{"op": "replace", "path": "/path", "value": "plans/wales.yaml"},
	])
	fs := rollup.deny with input as with_extra(wales)
	testplan.rules(fs) == {"RDP-ROL-001"}
	some f in fs
	f.plan == 7
	f.path == "/region"
	f.msg == "plans/wales.yaml is not a plan for one of the 7 regions (its region is \"Wales\"), so the roll-up cannot count it; set region to one of London, East of England, Midlands, North East & Yorkshire, North West, South East, South West, or leave the file out."
}

test_plan_without_region if {
	nameless := json.patch(entry(7, "London"), [
		{"op": "remove", "path": "/region"},
		{"op": "remove", "path": "/plan/region"},
	])
	some f in rollup.deny with input as with_extra(nameless)
	f.rule == "RDP-ROL-001"
	f.plan == 7
	contains(f.msg, "(its region is missing)")
}

# --- RDP-ROL-002 ---

test_plan_for_another_year if {
	doc := json.patch(all_plans, [{"op": "replace", "path": "/plans/2/plan/financial_year", "value": "2021/22"}])
	fs := rollup.deny with input as doc
	testplan.rules(fs) == {"RDP-ROL-002"}
	some f in fs
	f.plan == midlands
	f.path == "/financial_year"
	f.objective == "plan"
	f.msg == "Midlands (plans/Midlands.yaml) gives financial_year \"2021/22\", but the roll-up is for 2022/23, the year of the national reference data; roll up the region's 2022/23 plan."
}

test_plan_without_year if {
	doc := json.patch(all_plans, [{"op": "remove", "path": "/plans/2/plan/financial_year"}])
	some f in rollup.deny with input as doc
	f.rule == "RDP-ROL-002"
	contains(f.msg, "Midlands (plans/Midlands.yaml) gives no financial_year, but")
}

test_plan_in_another_layout if {
	doc := json.patch(all_plans, [{"op": "replace", "path": "/plans/3/plan/schema_version", "value": "rdp/v2"}])
	fs := rollup.deny with input as doc
	testplan.rules(fs) == {"RDP-ROL-002"}
	some f in fs
	f.plan == 3
	f.path == "/schema_version"
	f.msg == "North East & Yorkshire (plans/North East & Yorkshire.yaml) gives schema_version \"rdp/v2\", but the roll-up reads only the rdp/v1 layout; convert the plan to rdp/v1."
}

test_plan_year_is_data if {
	fs := rollup.deny with input as all_plans with data.reference.financial_year as "2023/24"
	testplan.rules(fs) == {"RDP-ROL-002"}
	count(fs) == 7
}

# --- RDP-ROL-003 ---

test_national_sum_off if {
	doc := with_starts(north_west, clinical, "Physiotherapist", 656)
	fs := rollup.deny with input as doc
	testplan.rules(fs) == {"RDP-ROL-003"}
	some f in fs
	f.path == ""
	f.objective == "FW1"
	not f.plan
	f.msg == "METIP Clinical non-commissioned education, Physiotherapist: the regional plans add up to 3,745 starts, against the national figure of 3,645 (the sum of the published cells), 100 more. Regions whose planned starts differ from the METIP: North West 656 (published 556); check their figures."
	count(rollup.warn) == 0 with input as doc
}

# The national columns of a row are added to the regions' figures.
test_national_sum_with_national_columns if {
	doc := json.patch(all_plans, array.concat(
		set_starts(london, pg, "Medical - General Practice", 1600),
		set_starts(south_west, pg, "Medical - General Practice", 1330),
	))
	some f in rollup.deny with input as doc
	f.rule == "RDP-ROL-003"
	f.msg == "METIP Postgraduate medical and dental, Medical - General Practice: the regional plans add up to 12,724 starts; with the published national columns (National 3) that makes 12,727, against the national figure of 12,787 (the sum of the published cells), 60 fewer. Regions whose planned starts differ from the METIP: London 1,600 (published 1,661); South West 1,330 (published 1,329); check their figures."
}

# HCS Higher Specialist (HSST): the cells add up to 98, the printed total is
# 104. The valid roll-up raises nothing there; a changed figure is measured
# against the cells, and the message points at the printed total.
test_national_sum_against_the_cells if {
	some f in rollup.deny with input as with_starts(london, dc, "HCS Higher Specialist (HSST)", 30)
	f.rule == "RDP-ROL-003"
	contains(f.msg, "HCS Higher Specialist (HSST): the regional plans add up to 101 starts, against the national figure of 98 (the sum of the published cells; the printed row total of 104 disagrees with them, see rdpcheck data check), 3 more.")
}

test_national_sum_programme_left_out if {
	doc := json.patch(all_plans, [{"op": "remove", "path": at(north_west, clinical, "Podiatrist")}])
	some f in rollup.deny with input as doc
	f.rule == "RDP-ROL-003"
	endswith(f.msg, "89 fewer. Regions whose planned starts differ from the METIP: North West 0 (published 89); check their figures.")
}

test_national_sum_needs_every_region if {
	doc := json.patch(without(south_west), set_starts(north_west, clinical, "Physiotherapist", 656))
	testplan.rules(rollup.deny) == {"RDP-ROL-001"} with input as doc
}

test_national_sum_skips_unreadable_starts if {
	doc := with_starts(north_west, clinical, "Physiotherapist", "many")
	count(rollup.deny) == 0 with input as doc
	count(rollup.warn) == 0 with input as doc
}

# --- RDP-ROL-004 ---

# Every region plans 500 GP trainees: 3,500 and the National column's 3 fall
# short of 4,000 (the national sum is off too).
gp_at(n) := json.patch(all_plans, [op |
	some i, _ in regions
	some op in set_starts(i, pg, "Medical - General Practice", n)
])

test_gp_commitment_not_met if {
	fs := rollup.deny with input as gp_at(500)
	testplan.rules(fs) == {"RDP-ROL-003", "RDP-ROL-004"}
	some f in fs
	f.rule == "RDP-ROL-004"
	f.path == ""
	f.objective == "FW3"
	f.msg == "GP training: the regional plans add up to 3,500 Medical - General Practice starts (London 500, East of England 500, Midlands 500, North East & Yorkshire 500, North West 500, South East 500, South West 500), 3,503 with the 3 in the METIP's national columns, 497 short of the 4,000 GP trainees recruited a year that the business plan commits to; raise the regions' GP training starts."
}

# 7 x 571 = 3,997, and 3 national: exactly 4,000.
test_gp_commitment_exactly_met if {
	testplan.rules(rollup.deny) == {"RDP-ROL-003"} with input as gp_at(571)
	testplan.rules(rollup.deny) == {"RDP-ROL-003", "RDP-ROL-004"} with input as gp_at(570)
}

# The commitments are data: the same roll-up against a higher target.
test_gp_commitment_is_data if {
	cs := [object.union(c, {"target": 13000}) | some c in data.reference.commitments; c.id == "gp_trainees"]
	fs := rollup.deny with input as all_plans with data.reference.commitments as array.concat(cs, [c | some c in data.reference.commitments; c.id != "gp_trainees"])
	testplan.rules(fs) == {"RDP-ROL-004"}
	some f in fs
	contains(f.msg, "12,787 with the 3 in the METIP's national columns, 213 short of the 13,000 GP trainees")
}

# The roll-up's midwifery increase: planned minus floor(70%) on each line.
midwifery_increase := sum([d |
	some e in all_plans.plans
	some t in e.plan.metip
	some p in t.programmes
	p.name in {"Midwifery", "Midwifery Shortened"}
	d := p.planned_starts - p.prior_year_starts
])

midwifery_target(n) := array.concat(
	[object.union(c, {"target": n}) | some c in data.reference.commitments; c.id == "midwifery_places"],
	[c | some c in data.reference.commitments; c.id != "midwifery_places"],
)

test_midwifery_commitment if {
	midwifery_increase == 1180
	count(rollup.deny) == 0 with input as all_plans with data.reference.commitments as midwifery_target(1180)
	fs := rollup.deny with input as all_plans with data.reference.commitments as midwifery_target(1181)
	testplan.rules(fs) == {"RDP-ROL-004"}
	some f in fs
	f.objective == "FW3"
	f.msg == "Midwifery expansion: the regional plans add up to 3,920 starts on Midwifery and Midwifery Shortened against 2,740 the year before, 1,180 more (London +242, East of England +149, Midlands +219, North East & Yorkshire +164, North West +172, South East +148, South West +86), 1 short of the 1,181 additional midwifery training places a year, towards 3,650 by 2023 that the business plan commits to; plan more midwifery starts."
}

test_midwifery_line_without_prior if {
	doc := json.patch(all_plans, [{"op": "remove", "path": concat("/", [at(london, clinical, "Midwifery"), "prior_year_starts"])}])
	fs := rollup.deny with input as doc with data.reference.commitments as midwifery_target(1100)
	testplan.rules(fs) == {"RDP-ROL-004"}
	some f in fs
	contains(f.msg, "add up to 3,215 starts on Midwifery and Midwifery Shortened against 2,247 the year before, 968 more (London +30, East of England")
	contains(f.msg, "; midwifery lines without prior_year_starts (1) count as no increase, 132 short of the 1,100")
}

# --- RDP-ROL-005 ---

# Six budgets of £310.6m and London's: £5,449.4m is exactly the allocation.
budget_at(n) := json.patch(all_plans, [{"op": "replace", "path": "/plans/0/plan/budget/declared_total", "value": n}])

test_over_the_national_allocation if {
	count(rollup.deny) == 0 with input as budget_at(3585.8)
	fs := rollup.deny with input as budget_at(3585.801)
	testplan.rules(fs) == {"RDP-ROL-005"}
	some f in fs
	f.path == ""
	f.objective == "plan"
	not f.plan
	f.msg == "The regional budgets add up to £5,449.401m (London £3,585.801m, East of England £310.6m, Midlands £310.6m, North East & Yorkshire £310.6m, North West £310.6m, South East £310.6m, South West £310.6m), over the national programme allocation of £5,449.4m (Total Programme Funding 2022-23, business plan section 8) by £0.001m; the regions' budgets must fit within it together."
}

# A missing region only lowers the sum: an excess is still found.
test_over_allocation_with_a_region_missing if {
	doc := json.patch(budget_at(5200), [{"op": "remove", "path": "/plans/6"}])
	testplan.rules(rollup.deny) == {"RDP-ROL-001", "RDP-ROL-005"} with input as doc
}

test_over_allocation_ignores_missing_totals if {
	doc := json.patch(budget_at(3585.801), [{"op": "remove", "path": "/plans/1/plan/budget/declared_total"}])
	count(rollup.deny) == 0 with input as doc
}

test_allocation_is_data if {
	rows := [{"label": "Total Programme Funding", "budget_2022_23": 2000}]
	fs := rollup.deny with input as all_plans with data.reference.budget.income.rows as rows
	testplan.rules(fs) == {"RDP-ROL-005"}
	some f in fs
	contains(f.msg, "add up to £2,174.2m (London £310.6m,")
	contains(f.msg, "allocation of £2,000.0m (Total Programme Funding 2022-23, business plan section 8) by £174.2m;")
}

# --- RDP-ROL-006 ---

# North West: usual share 14.85%, so 541.1 of the 3,645 regional
# Physiotherapist starts are expected; the regions' ratios have a median of
# about 1.0 and a MAD of about 0.06, below the floor of 0.1.
test_outlier_high if {
	doc := with_starts(north_west, clinical, "Physiotherapist", 1556)
	testplan.rules(rollup.deny) == {"RDP-ROL-003"} with input as doc
	fs := rollup.warn with input as doc
	testplan.rules(fs) == {"RDP-ROL-006"}
	count(fs) == 1
	some f in fs
	f.plan == north_west
	f.path == concat("/", [in_plan(north_west, clinical, "Physiotherapist"), "planned_starts"])
	f.objective == "FW1"
	f.msg == "METIP Clinical non-commissioned education, Physiotherapist: North West plans 1,556 starts, 2.88 times the 541.1 to expect from its usual share (14.85% of the regions' starts on the programmes they all run, applied to the row's 3,645 regional starts), far above the regions' median of 1.0 times (robust z 12.7 across the 7 plans, beyond the threshold of 3.5); the METIP gives North West 556 (1.03 times). Check the figure."
}

# 850 is 1.57 times: z 3.9 against the floor of 0.1; 800 (1.48 times) is inside.
test_outlier_boundary if {
	testplan.rules(rollup.warn) == {"RDP-ROL-006"} with input as with_starts(north_west, clinical, "Physiotherapist", 850)
	count(rollup.warn) == 0 with input as with_starts(north_west, clinical, "Physiotherapist", 800)
}

test_outlier_low if {
	some f in rollup.warn with input as with_starts(north_west, clinical, "Physiotherapist", 0)
	f.rule == "RDP-ROL-006"
	contains(f.msg, "North West plans 0 starts, 0.0 times the 541.1 to expect from its usual share")
	contains(f.msg, "far below the regions' median of 0.97 times (robust z -6.6 across the 7 plans, beyond the threshold of 3.5)")
}

# A programme the plan leaves out counts as 0; the warning points at the METIP.
test_outlier_programme_left_out if {
	doc := json.patch(all_plans, [{"op": "remove", "path": at(north_west, clinical, "Physiotherapist")}])
	some f in rollup.warn with input as doc
	f.rule == "RDP-ROL-006"
	f.plan == north_west
	f.path == "/metip"
}

# A region taking up a programme another region hosts for the country.
test_outlier_on_a_hosted_programme if {
	line := {"name": "Independent Prescribing", "planned_starts": 250}
	doc := json.patch(all_plans, [{"op": "add", "path": "/plans/0/plan/metip/3/programmes/-", "value": line}])
	some f in rollup.warn with input as doc
	f.rule == "RDP-ROL-006"
	f.plan == london
	f.path == sprintf("/metip/3/programmes/%d/planned_starts", [count(all_plans.plans[london].plan.metip[dc].programmes)])
	contains(f.msg, "London plans 250 starts, 5.56 times the 45.0 to expect")
}

# East of England hosts 14,949 of the 14,950 Pharmacy - Clinical starts: the
# METIP's own lopsided row fires nothing, whatever the plan does within it.
test_published_outlier_does_not_fire if {
	doc := with_starts(east, dc, "Pharmacy - Clinical (inc Psychiatric Therapeutics)", 13000)
	count(rollup.warn) == 0 with input as doc
}

# London's published IAPT high-intensity figure is itself high (1.37 times
# against a median of 0.74): more of the same stays quiet, the opposite fires.
test_published_outlier_same_direction_only if {
	count(rollup.warn) == 0 with input as with_starts(london, dc, "IAPT High intensity therapist*", 400)
	some f in rollup.warn with input as with_starts(london, dc, "IAPT High intensity therapist*", 0)
	f.rule == "RDP-ROL-006"
	contains(f.msg, "London plans 0 starts, 0.0 times the 242.4 to expect")
	contains(f.msg, "the METIP gives London 333 (1.37 times)")
}

test_outlier_threshold_is_data if {
	doc := with_starts(north_west, clinical, "Physiotherapist", 1556)
	count(rollup.warn) == 0 with input as doc with data.reference.params.metip_outlier_z as 100
}

test_outlier_small_rows_skipped if {
	doc := with_starts(north_west, clinical, "Physiotherapist", 1556)
	count(rollup.warn) == 0 with input as doc with data.reference.params.metip_outlier_min_national_starts as 4000
}

# Without the floor the MAD (about 0.06) alone sets the spread: 750 (1.39 times) fires.
test_outlier_floor_is_data if {
	doc := with_starts(north_west, clinical, "Physiotherapist", 750)
	count(rollup.warn) == 0 with input as doc
	testplan.rules(rollup.warn) == {"RDP-ROL-006"} with input as doc with data.reference.params.rollup_outlier_min_spread as 0
}

# The whole-number screens in spread never change what direction finds:
# around both bounds, every ratio is judged as the exact test judges it.
test_direction_screens_agree_with_the_exact_test if {
	s := rollup.spread([1000000, 1100000, 1200000, 1300000, 1400000])
	s.median == 1200000
	s.spread == 100000
	z := data.reference.params.metip_outlier_z
	high := {x | some x in numbers.range(s.above - 5, s.above + 5); rollup.direction(x, s) == "high"}
	high == {x | some x in numbers.range(s.above - 5, s.above + 5); 0.6745 * (x - s.median) > z * s.spread}
	count(high) > 0
	low := {x | some x in numbers.range(s.below - 5, s.below + 5); rollup.direction(x, s) == "low"}
	low == {x | some x in numbers.range(s.below - 5, s.below + 5); 0.6745 * (s.median - x) > z * s.spread}
	count(low) > 0
}

# --- RDP-ROL-007 ---

# A line under another spelling is one warning on its plan, with the
# METIP's name, instead of a silent 0 for the region.
test_unmatched_line_named if {
	doc := json.patch(all_plans, [{"op": "replace", "path": concat("/", [at(north_west, clinical, "Dietician"), "name"]), "value": "Dietitian"}])
	fs := rollup.warn with input as doc
	some f in fs
	f.rule == "RDP-ROL-007"
	f.plan == north_west
	f.path == concat("/", [in_plan(north_west, clinical, "Dietician"), "name"])
	startswith(f.msg, "METIP Clinical non-commissioned education: North West's line \"Dietitian\" (")
	contains(f.msg, "matches no programme of the national METIP, so the national sums leave its starts out and count North West's \"Dietician\", the METIP's name for it, as 0;")
}

test_unrecognised_line if {
	doc := json.patch(all_plans, [{"op": "replace", "path": concat("/", [at(north_west, clinical, "Dietician"), "name"]), "value": "Quantum Nursing"}])
	some f in rollup.warn with input as doc
	f.rule == "RDP-ROL-007"
	contains(f.msg, "so the national sums leave its starts out; rename")
}

test_matched_lines_raise_nothing if {
	not "RDP-ROL-007" in testplan.rules(rollup.warn) with input as all_plans
}
