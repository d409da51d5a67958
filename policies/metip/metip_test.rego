package rdp.metip_test

import data.rdp.metip
import data.rdp.testplan

# The METIP tables in the plan, in the order the annex prints them.
tables := ["undergraduate_medical_dental", "postgraduate_medical_dental", "clinical_non_commissioned", "directly_commissioned"]

ug := 0

pg := 1

clinical := 2

dc := 3

# region_plan is the small test plan with a complete METIP for a region: every
# programme the annex gives the region a figure for, at the published figure.
# Prior-year starts equal the plan, except for the programmes that must grow
# (learning-disability and mental-health nursing, midwifery): 92% of it.
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

growing := {"Learning Disabilities Nurse", "Mental Health Nurse", "Midwifery", "Midwifery Shortened"}

programme(name, n) := {"name": name, "planned_starts": n, "prior_year_starts": floor(n * 0.92)} if name in growing

programme(name, n) := {"name": name, "planned_starts": n, "prior_year_starts": n} if not name in growing

plan := region_plan("South West")

# at(t, name) is the pointer to programme name in table t of the plan.
at(t, name) := sprintf("/metip/%d/programmes/%d", [t, j]) if {
	some j, p in plan.metip[t].programmes
	p.name == name
}

starts(t, name) := [p.planned_starts | some p in plan.metip[t].programmes; p.name == name][0]

# set_starts changes a programme's planned starts and keeps the table's
# declared total in step, so that RDP-MET-001 stays quiet.
set_starts(t, name, n) := [
	{"op": "replace", "path": concat("/", [at(t, name), "planned_starts"]), "value": n},
	{"op": "replace", "path": sprintf("/metip/%d/declared_total", [t]), "value": (plan.metip[t].declared_total + n) - starts(t, name)},
]

explain(t, name) := [{"op": "add", "path": concat("/", [at(t, name), "variance_explanation"]), "value": "Agreed with the national team"}]

set_prior(t, name, n) := [{"op": "replace", "path": concat("/", [at(t, name), "prior_year_starts"]), "value": n}]

# drop removes a programme and its starts from the table's declared total.
drop(t, name) := [
	{"op": "remove", "path": at(t, name)},
	{"op": "replace", "path": sprintf("/metip/%d/declared_total", [t]), "value": plan.metip[t].declared_total - starts(t, name)},
]

# --- the valid plans ---

test_valid_plan_passes if {
	count(metip.deny) == 0 with input as plan
	count(metip.warn) == 0 with input as plan
}

test_every_region_at_the_published_figures_passes if {
	every region in data.reference.regions {
		count(metip.deny) == 0 with input as region_plan(region)
		count(metip.warn) == 0 with input as region_plan(region)
	}
}

# The shared small test plan has only the undergraduate table: the other
# tables (and so GP training and midwifery) are missing, nothing else.
test_small_test_plan_only_misses_tables if {
	testplan.rules(metip.deny) == {"RDP-MET-003", "RDP-MET-007", "RDP-MET-008"} with input as testplan.plan
	count(metip.warn) == 0 with input as testplan.plan
}

# --- RDP-MET-001 ---

test_declared_total_disagrees if {
	p := json.patch(testplan.plan, [{"op": "replace", "path": "/metip/0/declared_total", "value": 1773}])
	fs := metip.deny with input as p
	some f in fs
	f.rule == "RDP-MET-001"
	f.path == "/metip/0/declared_total"
	f.msg == "METIP table Undergraduate medical and dental: the 2 programme lines add up to 773 planned starts, but declared_total is 1,773 (a difference of 1,000); correct the lines or the total."
	testplan.rules(metip.deny) == {"RDP-MET-001"} with input as json.patch(plan, [{"op": "replace", "path": "/metip/0/declared_total", "value": 1773}])
}

# --- RDP-MET-002 ---

# Adult Nurse, South West: 1,180 published; 5% is 59 starts.
test_programme_within_tolerance_passes if {
	count(metip.deny) == 0 with input as json.patch(plan, set_starts(clinical, "Adult Nurse", 1239))
	count(metip.deny) == 0 with input as json.patch(plan, set_starts(clinical, "Adult Nurse", 1121))
}

test_programme_beyond_tolerance if {
	fs := metip.deny with input as json.patch(plan, set_starts(clinical, "Adult Nurse", 1240))
	testplan.rules(fs) == {"RDP-MET-002"}
	some f in fs
	f.objective == "FW1"
	f.path == "/metip/2/programmes/0/planned_starts"
	f.msg == "METIP Clinical non-commissioned education, Adult Nurse: 1,240 planned starts against 1,180 in the national METIP for South West, 60 more (5.1%), beyond the tolerance of 5% and 5 starts; explain the variance in variance_explanation or align with the METIP."
}

test_programme_below_tolerance if {
	fs := metip.deny with input as json.patch(plan, set_starts(clinical, "Adult Nurse", 1120))
	testplan.rules(fs) == {"RDP-MET-002"}
	some f in fs
	contains(f.msg, "1,120 planned starts against 1,180 in the national METIP for South West, 60 fewer (5.1%)")
}

# A small programme: 4 published, so more than 5% is within 5 starts.
test_small_programme_needs_more_than_the_starts_tolerance if {
	p := array.concat(set_starts(dc, "HCS Sleep Disorders Assistants", 9), set_prior(dc, "HCS Sleep Disorders Assistants", 9))
	count(metip.deny) == 0 with input as json.patch(plan, p)
	q := array.concat(set_starts(dc, "HCS Sleep Disorders Assistants", 10), set_prior(dc, "HCS Sleep Disorders Assistants", 10))
	testplan.rules(metip.deny) == {"RDP-MET-002"} with input as json.patch(plan, q)
}

test_programme_variance_explained_passes if {
	p := array.concat(set_starts(clinical, "Adult Nurse", 1240), explain(clinical, "Adult Nurse"))
	count(metip.deny) == 0 with input as json.patch(plan, p)
}

test_blank_variance_explanation_does_not_count if {
	p := array.concat(set_starts(clinical, "Adult Nurse", 1240), [{"op": "add", "path": "/metip/2/programmes/0/variance_explanation", "value": "  "}])
	testplan.rules(metip.deny) == {"RDP-MET-002"} with input as json.patch(plan, p)
}

test_programme_tolerance_is_data if {
	p := json.patch(plan, set_starts(clinical, "Adult Nurse", 1240))
	count(metip.deny) == 0 with input as p with data.reference.params.metip_programme_tolerance_pct as 10
	count(metip.deny) == 0 with input as p with data.reference.params.metip_programme_tolerance_starts as 60
}

# A programme the METIP leaves blank for the region counts as 0 published.
test_programme_blank_in_the_metip if {
	p := json.patch(plan, [
		{"op": "add", "path": "/metip/3/programmes/-", "value": {"name": "Critical Care - Upskilling", "planned_starts": 20}},
		{"op": "replace", "path": "/metip/3/declared_total", "value": plan.metip[dc].declared_total + 20},
	])
	fs := metip.deny with input as p
	testplan.rules(fs) == {"RDP-MET-002"}
	some f in fs
	f.msg == "METIP Directly commissioned education programmes, Critical Care - Upskilling: 20 planned starts against 0 in the national METIP for South West, 20 more (no published starts to compare with), beyond the tolerance of 5% and 5 starts; explain the variance in variance_explanation or align with the METIP."
}

# --- RDP-MET-003 ---

test_programme_missing if {
	fs := metip.deny with input as json.patch(plan, drop(clinical, "Podiatrist"))
	testplan.rules(fs) == {"RDP-MET-003"}
	some f in fs
	f.objective == "FW1"
	f.path == "/metip/2/programmes"
	f.msg == "METIP table Clinical non-commissioned education has no line for Podiatrist, for which the national METIP lists 35 starts for South West; add the programme with the region's planned starts."
}

# Orthoptist is published as 0 for the South West: it may be left out.
test_zero_programme_may_be_left_out if {
	count(metip.deny) == 0 with input as json.patch(plan, drop(clinical, "Orthoptist"))
}

test_whole_table_missing if {
	fs := metip.deny with input as testplan.plan
	some f in fs
	f.rule == "RDP-MET-003"
	f.path == "/metip"
	f.msg == "The plan has no METIP table Postgraduate medical and dental, so Medical - General Practice is missing, for which the national METIP lists 1,329 starts for South West; add the table with this programme."
	count([g | some g in fs; g.rule == "RDP-MET-003"]) == 58
}

test_missing_needs_a_known_region if {
	p := json.patch(plan, array.concat(drop(clinical, "Podiatrist"), [{"op": "replace", "path": "/region", "value": "Wales"}]))
	count(metip.deny) == 0 with input as p
}

# --- RDP-MET-004 ---

rename(t, name, to) := json.patch(plan, [{"op": "replace", "path": concat("/", [at(t, name), "name"]), "value": to}])

# A published programme under another spelling is one finding (RDP-MET-003,
# on the misnamed line), naming the METIP's spelling, and no warning.
test_misspelt_programme if {
	p := rename(clinical, "Adult Nurse", "Adult nurse")
	count(metip.warn) == 0 with input as p
	fs := metip.deny with input as p
	testplan.rules(fs) == {"RDP-MET-003"}
	count(fs) == 1
	some f in fs
	f.objective == "FW1"
	f.path == concat("/", [at(clinical, "Adult Nurse"), "name"])
	f.msg == "METIP table Clinical non-commissioned education: the national METIP has no programme called \"Adult nurse\"; it names this programme \"Adult Nurse\", with 1,180 starts for South West. Rename the line to \"Adult Nurse\" so that its planned starts are checked against the METIP."
}

# Known other spellings come from the reference data.
test_known_other_spelling if {
	fs := metip.deny with input as rename(clinical, "Dietician", "Dietitian")
	count(fs) == 1
	some f in fs
	f.rule == "RDP-MET-003"
	contains(f.msg, "no programme called \"Dietitian\"; it names this programme \"Dietician\", with 67 starts")
	count(metip.warn) == 0 with input as rename(clinical, "Dietician", "Dietitian")
}

test_other_spellings_are_data if {
	p := rename(clinical, "Dietician", "Nutritionist")
	some f in metip.warn with input as p
	f.rule == "RDP-MET-004"
	some g in metip.deny with input as p with data.reference.programme_aliases.clinical_non_commissioned as {"Nutritionist": "Dietician"}
	contains(g.msg, "it names this programme \"Dietician\"")
}

test_adult_nursing if {
	some f in metip.deny with input as rename(clinical, "Adult Nurse", "Adult Nursing")
	contains(f.msg, "it names this programme \"Adult Nurse\"")
}

# Names close by letter pairs are matched when one METIP name is clearly closest.
test_similar_name if {
	some f in metip.deny with input as rename(clinical, "Physiotherapist", "Physiotherapists")
	contains(f.msg, "it names this programme \"Physiotherapist\"")
}

test_similarity_threshold_is_data if {
	p := rename(clinical, "Physiotherapist", "Physiotherapists")
	testplan.rules(metip.deny) == {"RDP-MET-003"} with input as p with data.reference.params.metip_name_similarity as 1
	some f in metip.deny with input as p with data.reference.params.metip_name_similarity as 1
	contains(f.msg, "has no line for Physiotherapist")
}

# A name like no METIP name: the programme is missing and the line unknown.
test_unknown_programme_without_suggestion if {
	p := rename(clinical, "Adult Nurse", "Quantum Nursing")
	testplan.rules(metip.deny) == {"RDP-MET-003"} with input as p
	some f in metip.warn with input as p
	f.rule == "RDP-MET-004"
	endswith(f.msg, "check the name against the METIP annex, or move the line to the table it belongs to.")
}

# A misspelt programme with no published starts for the region stays a warning.
test_misspelt_programme_without_starts if {
	p := rename(clinical, "Orthoptist", "Orthoptists")
	count(metip.deny) == 0 with input as p
	some f in metip.warn with input as p
	f.rule == "RDP-MET-004"
	endswith(f.msg, "the METIP calls it \"Orthoptist\", so rename it.")
}

# A published name in the wrong table is unknown to that table.
test_programme_in_the_wrong_table if {
	p := json.patch(plan, [
		{"op": "add", "path": "/metip/0/programmes/-", "value": {"name": "Adult Nurse", "planned_starts": 0}},
	])
	testplan.rules(metip.warn) == {"RDP-MET-004"} with input as p
}

# --- RDP-MET-005 ---

# Physiotherapist, South West: 300 planned; 25% of 240 is 60.
test_year_on_year_at_threshold_passes if {
	count(metip.deny) == 0 with input as json.patch(plan, set_prior(clinical, "Physiotherapist", 240))
	count(metip.deny) == 0 with input as json.patch(plan, set_prior(clinical, "Physiotherapist", 400))
}

test_year_on_year_increase if {
	fs := metip.deny with input as json.patch(plan, set_prior(clinical, "Physiotherapist", 239))
	testplan.rules(fs) == {"RDP-MET-005"}
	some f in fs
	f.objective == "FW1"
	f.path == "/metip/2/programmes/13/planned_starts"
	f.msg == "METIP Clinical non-commissioned education, Physiotherapist: 300 planned starts against 239 the year before, 61 more (25.5%), more than the 25% year-on-year threshold; explain the change in variance_explanation or correct the figures."
}

test_year_on_year_decrease if {
	fs := metip.deny with input as json.patch(plan, set_prior(clinical, "Physiotherapist", 401))
	testplan.rules(fs) == {"RDP-MET-005"}
	some f in fs
	contains(f.msg, "300 planned starts against 401 the year before, 101 fewer (25.2%)")
}

test_year_on_year_skipped_without_prior if {
	count(metip.deny) == 0 with input as json.patch(plan, set_prior(clinical, "Physiotherapist", 0))
	count(metip.deny) == 0 with input as json.patch(plan, [{"op": "remove", "path": concat("/", [at(clinical, "Physiotherapist"), "prior_year_starts"])}])
}

test_year_on_year_explained_passes if {
	p := array.concat(set_prior(clinical, "Physiotherapist", 100), explain(clinical, "Physiotherapist"))
	count(metip.deny) == 0 with input as json.patch(plan, p)
}

test_year_on_year_threshold_is_data if {
	p := json.patch(plan, set_prior(clinical, "Physiotherapist", 239))
	count(metip.deny) == 0 with input as p with data.reference.params.metip_year_on_year_change_pct as 30
}

# --- RDP-MET-006 ---

# Learning Disabilities Nurse, South West: 50 planned, 46 the year before.
test_learning_disability_nursing_not_increased if {
	fs := metip.deny with input as json.patch(plan, set_prior(clinical, "Learning Disabilities Nurse", 50))
	testplan.rules(fs) == {"RDP-MET-006"}
	some f in fs
	f.objective == "FW3"
	f.path == "/metip/2/programmes/6/planned_starts"
	f.msg == "METIP Clinical non-commissioned education, Learning Disabilities Nurse: 50 planned starts are not above the 50 of the prior year; the business plan asks for more learning-disability and mental-health nursing starts than in 2021/22, so plan an increase on the prior year."
}

test_learning_disability_nursing_increased_by_one_passes if {
	count(metip.deny) == 0 with input as json.patch(plan, set_prior(clinical, "Learning Disabilities Nurse", 49))
}

# An explanation does not excuse a fall: the increase is a commitment.
test_mental_health_nursing_fall_explained_still_fires if {
	p := array.concat(set_prior(clinical, "Mental Health Nurse", 410), explain(clinical, "Mental Health Nurse"))
	testplan.rules(metip.deny) == {"RDP-MET-006"} with input as json.patch(plan, p)
}

test_mental_health_nursing_without_prior if {
	p := json.patch(plan, [{"op": "remove", "path": concat("/", [at(clinical, "Mental Health Nurse"), "prior_year_starts"])}])
	fs := metip.deny with input as p
	testplan.rules(fs) == {"RDP-MET-006"}
	some f in fs
	f.path == "/metip/2/programmes/7/prior_year_starts"
	f.msg == "METIP Clinical non-commissioned education, Mental Health Nurse: 400 planned starts but no prior_year_starts, so the increase cannot be shown; the business plan asks for more learning-disability and mental-health nursing starts than in 2021/22, so plan an increase on the prior year."
}

test_increase_programmes_are_data if {
	fs := metip.deny with input as plan with data.reference.params.metip_increase_programmes as ["Adult Nurse"]
	testplan.rules(fs) == {"RDP-MET-006"}
	some f in fs
	f.path == "/metip/2/programmes/0/planned_starts"
}

# --- RDP-MET-007 ---

# South West: Midwifery 267 (prior 245) and Midwifery Shortened 15 (prior 13):
# 282 planned against 258.
test_midwifery_not_expanded if {
	fs := metip.deny with input as json.patch(plan, set_prior(clinical, "Midwifery", 269))
	testplan.rules(fs) == {"RDP-MET-007"}
	some f in fs
	f.objective == "FW3"
	f.path == "/metip/2/programmes/8/planned_starts"
	f.msg == "METIP: planned midwifery starts (Midwifery, Midwifery Shortened) add up to 282, not more than the 282 of the prior year; the business plan commits to 1,000 additional midwifery training places a year towards 3,650 by 2023, so plan more midwifery starts than last year."
}

test_midwifery_expanded_by_one_passes if {
	count(metip.deny) == 0 with input as json.patch(plan, set_prior(clinical, "Midwifery", 268))
}

# The sum counts, not each line: a fall on one line offset by the other.
test_midwifery_sum_counts if {
	p := array.concat(set_prior(dc, "Midwifery Shortened", 17), set_prior(clinical, "Midwifery", 240))
	count(metip.deny) == 0 with input as json.patch(plan, p)
}

test_midwifery_without_prior if {
	p := json.patch(plan, [{"op": "remove", "path": concat("/", [at(dc, "Midwifery Shortened"), "prior_year_starts"])}])
	fs := metip.deny with input as p
	testplan.rules(fs) == {"RDP-MET-007"}
	some f in fs
	f.path == concat("/", [at(dc, "Midwifery Shortened"), "prior_year_starts"])
	f.msg == "METIP: Midwifery Shortened has no prior_year_starts, so the expansion cannot be shown; the business plan commits to 1,000 additional midwifery training places a year towards 3,650 by 2023, so plan more midwifery starts than last year."
}

test_midwifery_programmes_are_data if {
	p := json.patch(plan, set_prior(clinical, "Midwifery", 267))
	count(metip.deny) == 0 with input as p
	testplan.rules(metip.deny) == {"RDP-MET-007"} with input as p with data.reference.params.midwifery_programmes as ["Midwifery"]
}

# --- RDP-MET-008 ---

test_no_gp_starts if {
	p := json.patch(plan, array.concat(set_starts(pg, "Medical - General Practice", 0), explain(pg, "Medical - General Practice")))
	fs := metip.deny with input as p
	testplan.rules(fs) == {"RDP-MET-008"}
	some f in fs
	f.objective == "FW3"
	f.path == "/metip/1/programmes/4/planned_starts"
	f.msg == "METIP table Postgraduate medical and dental plans no starts on Medical - General Practice; the business plan commits to 4,000 GP trainees recruited a year, so plan the region's GP trainee starts."
}

test_gp_line_missing if {
	fs := metip.deny with input as json.patch(plan, drop(pg, "Medical - General Practice"))
	testplan.rules(fs) == {"RDP-MET-003", "RDP-MET-008"}
	some f in fs
	f.rule == "RDP-MET-008"
	f.path == "/metip/1/programmes"
}

test_gp_table_missing if {
	some f in metip.deny with input as testplan.plan
	f.rule == "RDP-MET-008"
	f.path == "/metip"
	startswith(f.msg, "The plan has no METIP table Postgraduate medical and dental, so no GP training (Medical - General Practice) is planned;")
}

test_gp_one_start_passes if {
	p := json.patch(plan, array.concat(set_starts(pg, "Medical - General Practice", 1), explain(pg, "Medical - General Practice")))
	count(metip.deny) == 0 with input as p
}

test_gp_programme_is_data if {
	p := json.patch(plan, array.concat(set_starts(pg, "Medical - General Practice", 0), explain(pg, "Medical - General Practice")))
	count(metip.deny) == 0 with input as p with data.reference.params.gp_training_programme as "Medical - Foundation Level"
}

# --- RDP-MET-009 ---

# South West: usual share 9.7% (median), MAD 1.6 points; Adult Nurse is
# published at 1,180 of 18,949 (6.2%).
test_outlier_high if {
	p := json.patch(plan, array.concat(set_starts(clinical, "Adult Nurse", 3800), explain(clinical, "Adult Nurse")))
	count(metip.deny) == 0 with input as p
	fs := metip.warn with input as p
	testplan.rules(fs) == {"RDP-MET-009"}
	some f in fs
	f.objective == "FW1"
	f.path == "/metip/2/programmes/0/planned_starts"
	f.msg == "METIP Clinical non-commissioned education, Adult Nurse: 3,800 planned starts are 20.1% of the 18,949 starts in the seven regions, far from the usual South West share of 9.7% (the median of its published shares; robust z 4.3 against their MAD, over the threshold of 3.5; the METIP's 1,180 starts are 6.2%); check the figure."
}

test_outlier_low if {
	p := json.patch(plan, array.concat(set_starts(clinical, "Adult Nurse", 0), explain(clinical, "Adult Nurse")))
	some f in metip.warn with input as p
	f.rule == "RDP-MET-009"
	contains(f.msg, "0 planned starts are 0.0% of the 18,949 starts in the seven regions, far from the usual South West share of 9.7% (the median of its published shares; robust z -4.0 against")
}

# The whole-number limits screen out no outlier: around the high bound,
# every figure is flagged exactly when its share is over the bound.
test_outlier_limits_screen_out_no_outlier if {
	limits := data.rdp.derived.metip_outlier_limits["South West"].clinical_non_commissioned["Adult Nurse"]
	high := data.rdp.derived.metip_outlier_stats["South West"].high
	limits.above < high * 18949
	figures := numbers.range(limits.above - 2, limits.above + 4)
	flagged := {n |
		some n in figures
		p := json.patch(plan, array.concat(set_starts(clinical, "Adult Nurse", n), explain(clinical, "Adult Nurse")))
		testplan.rules(metip.warn) == {"RDP-MET-009"} with input as p
	}
	flagged == {n | some n in figures; n / 18949 > high}
	count(flagged) > 0
}

# 3,400 is 17.9%: z 3.3, inside the threshold.
test_not_an_outlier if {
	p := json.patch(plan, array.concat(set_starts(clinical, "Adult Nurse", 3400), explain(clinical, "Adult Nurse")))
	count(metip.warn) == 0 with input as p
}

# East of England hosts 14,949 of the 14,950 Pharmacy - Clinical starts: the
# METIP's own lopsided line is no outlier of the plan's making, whatever the
# plan does with it.
test_published_outlier_line_does_not_fire if {
	eoe := region_plan("East of England")
	count(metip.warn) == 0 with input as eoe
	t := [i | some i, x in eoe.metip; x.table == "directly_commissioned"][0]
	j := [k | some k, x in eoe.metip[t].programmes; x.name == "Pharmacy - Clinical (inc Psychiatric Therapeutics)"][0]
	p := json.patch(eoe, [
		{"op": "replace", "path": sprintf("/metip/%d/programmes/%d/planned_starts", [t, j]), "value": 13000},
		{"op": "add", "path": sprintf("/metip/%d/programmes/%d/variance_explanation", [t, j]), "value": "Fewer places"},
		{"op": "replace", "path": sprintf("/metip/%d/declared_total", [t]), "value": eoe.metip[t].declared_total - 1949},
	])
	count(metip.deny) == 0 with input as p
	count(metip.warn) == 0 with input as p
}

# Rows with fewer national regional starts than the minimum are not judged.
test_outlier_small_rows_skipped if {
	p := json.patch(plan, array.concat(set_starts(dc, "HCS Sleep Disorders Assistants", 30), explain(dc, "HCS Sleep Disorders Assistants")))
	count(metip.warn) == 0 with input as p
	testplan.rules(metip.warn) == {"RDP-MET-009"} with input as p with data.reference.params.metip_outlier_min_national_starts as 39
}

test_outlier_threshold_is_data if {
	p := json.patch(plan, array.concat(set_starts(clinical, "Adult Nurse", 3800), explain(clinical, "Adult Nurse")))
	count(metip.warn) == 0 with input as p with data.reference.params.metip_outlier_z as 4.5
}

# With one row left the spread (MAD) is 0: nothing can be judged.
test_outlier_needs_a_spread if {
	p := json.patch(plan, array.concat(set_starts(pg, "Medical - Specialist Level", 20000), explain(pg, "Medical - Specialist Level")))
	count(metip.warn) == 0 with input as p with data.reference.params.metip_outlier_min_national_starts as 20000
}

# --- malformed input ---

test_malformed_metip_is_left_to_the_schema if {
	count(metip.deny) == 0 with input as json.patch(plan, [{"op": "replace", "path": "/metip", "value": "none"}])
	count(metip.warn) == 0 with input as json.patch(plan, [{"op": "replace", "path": "/metip", "value": "none"}])
	p := json.patch(plan, [
		{"op": "replace", "path": "/metip/2/programmes/0/planned_starts", "value": "many"},
		{"op": "replace", "path": "/metip/2/programmes/1/name", "value": 7},
		{"op": "replace", "path": "/metip/2/programmes/6/prior_year_starts", "value": "some"},
	])
	testplan.rules(metip.deny) == {"RDP-MET-003", "RDP-MET-006"} with input as p
	count(metip.warn) == 0 with input as p
}

# A table whose programmes are not a list is the schema's to report.
test_unreadable_table_is_left_to_the_schema if {
	p := json.patch(plan, [{"op": "replace", "path": "/metip/1/programmes", "value": {"Medical - General Practice": 1329}}])
	count(metip.deny) == 0 with input as p
	count(metip.warn) == 0 with input as p
}

test_no_midwifery_at_all if {
	p := json.patch(plan, array.concat(drop(clinical, "Midwifery"), drop(dc, "Midwifery Shortened")))
	fs := metip.deny with input as p
	testplan.rules(fs) == {"RDP-MET-003", "RDP-MET-007"}
	some f in fs
	f.rule == "RDP-MET-007"
	f.path == "/metip"
	startswith(f.msg, "METIP: planned midwifery starts (Midwifery, Midwifery Shortened) add up to 0, not more than the 0 of the prior year;")
}
