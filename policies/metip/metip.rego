# METADATA
# title: METIP activity
# description: |
#   The region's share of the Multi-professional Education and Training
#   Investment Plan (METIP): planned starts per programme in each table,
#   checked against the national METIP published in the business plan's annex
#   (data.reference.metip) and against the business plan's commitments.
package rdp.metip

import data.rdp.derived
import data.rdp.lib

params := data.reference.params

postgraduate_table := "postgraduate_medical_dental"

# region is the plan's region, when it is one of the seven regions the
# METIP has a column for; rules that compare with the region's published
# figures do nothing without it (the schema reports a bad region).
region := input.region if {
	is_string(input.region)
	input.region in data.reference.regions
}

# The lookup tables below depend on the reference data only; they are
# built in package rdp.derived (once per process in rdpcheck).

# ref_rows[table id][programme name] is the published METIP row, so that
# each plan line is looked up, never searched for.
ref_rows := derived.metip_rows

# ref_normalised[table id][letters and digits of a name, lower case] is the
# published name, to suggest the right spelling of a near miss.
ref_normalised := derived.metip_normalised

# published[table id][programme name] is the region's published starts on a
# METIP row; a blank cell means the METIP plans no activity there, so it
# counts as 0.
published := derived.metip_published[region]

# plan_lines holds every programme line of the plan whose table and name are
# strings, with the JSON pointer to it.
plan_lines := [line |
	is_array(input.metip)
	some i, t in input.metip
	is_string(t.table)
	is_array(t.programmes)
	some j, p in t.programmes
	is_object(p)
	is_string(p.name)
	line := {
		"table": t.table,
		"programme": p,
		"path": sprintf("/metip/%d/programmes/%d", [i, j]),
	}
]

# plan_names[table id] is the set of programme names the plan gives in that
# table (all of its entries for the table, should it appear twice).
plan_names := {table_id: names |
	some table_id in plan_tables
	names := {line.programme.name | some line in plan_lines; line.table == table_id}
}

# plan_tables holds the table ids the plan gives, each once (a table given
# twice is worked on once, never once per entry).
plan_tables := {t.table | some t in input.metip; is_string(t.table)}

# unreadable_tables holds the tables the plan gives without a programmes
# array: the schema reports them, and no programme is called missing there.
unreadable_tables contains t.table if {
	some t in input.metip
	is_string(t.table)
	not is_array(object.get(t, "programmes", null))
}

# table_index[table id] is the position of the table's first entry in the plan.
table_index := {table_id: min(positions) |
	is_array(input.metip)
	some table_id in plan_tables
	positions := {i | some i, x in input.metip; x.table == table_id}
}

# The programmes whose starts must increase on the prior year, and the
# midwifery programmes, as sets.
increase_names := {n | some n in params.metip_increase_programmes}

midwifery_names := {n | some n in params.midwifery_programmes}

# commitment[id] is one of the national commitments in the reference data.
commitment[c.id] := c if some c in data.reference.commitments

# METADATA
# title: METIP table total equals the sum of its programmes
# description: |
#   Each METIP table's declared total is the sum of its programme lines. A
#   total that disagrees with its lines means one of them is wrong, and the
#   national roll-up would count the wrong figure.
# custom:
#   id: RDP-MET-001
#   severity: error
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, Annex 1 (METIP 2022/23 activity tables)
#   remediation: Correct the programme lines or the declared_total so that the lines add up to the total.
deny contains f if {
	some i, t in input.metip
	is_array(t.programmes)
	every p in t.programmes { is_number(p.planned_starts) }
	is_number(t.declared_total)
	starts := [p.planned_starts | some p in t.programmes]
	total := sum(starts)
	total != t.declared_total
	msg := sprintf("METIP table %s: the %d programme lines add up to %s planned starts, but declared_total is %s (a difference of %s); correct the lines or the total.", [
		table_label(t.table), count(starts), lib.int_text(total), lib.int_text(t.declared_total), lib.int_text(abs(total - t.declared_total)),
	])
	f := lib.finding(rego.metadata.rule(), "FW1", sprintf("/metip/%d/declared_total", [i]), msg)
}

# METADATA
# title: Planned starts agree with the national METIP
# description: |
#   A programme's planned starts agree with the region's figure in the
#   national METIP annex (a blank cell there counts as 0). A difference of at
#   most {params.metip_programme_tolerance_pct}% of the published figure, or at
#   most {params.metip_programme_tolerance_starts} starts, is allowed. A larger
#   difference needs a variance explanation.
# custom:
#   id: RDP-MET-002
#   severity: error
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, Future workforce objective 1 and section 7 (Regional Delivery Plans show how the METIP will be delivered locally); Annex 1 (METIP 2022/23 activity tables by region)
#   remediation: Align planned_starts with the region's figure in the METIP annex, or give a variance_explanation saying why the region plans a different number.
#   details: >-
#     Tolerances: data.reference.params.metip_programme_tolerance_pct and metip_programme_tolerance_starts (either suffices). Counts are compared as integers: difference x 100 against pct x published. Published figures: data.reference.metip.tables.
deny contains f if {
	some line in plan_lines
	expected := published[line.table][line.programme.name]
	planned := line.programme.planned_starts
	is_number(planned)
	difference := abs(planned - expected)
	difference > params.metip_programme_tolerance_starts
	difference * 100 > params.metip_programme_tolerance_pct * expected
	lib.blank(line.programme, "variance_explanation")
	msg := sprintf("METIP %s, %s: %s planned starts against %s in the national METIP for %s, %s (%s), beyond the tolerance of %v%% and %s starts; explain the variance in variance_explanation or align with the METIP.", [
		table_label(line.table), line.programme.name, lib.int_text(planned), lib.int_text(expected), region,
		more_or_fewer(planned - expected), percent_of(difference, expected),
		params.metip_programme_tolerance_pct, lib.int_text(params.metip_programme_tolerance_starts),
	])
	f := lib.finding(rego.metadata.rule(), "FW1", concat("/", [line.path, "planned_starts"]), msg)
}

# METADATA
# title: Every programme the METIP lists for the region is in the plan
# description: |
#   Every programme the national METIP annex gives the region starts for
#   (a figure above 0) appears in the plan's table, so that no published
#   activity silently drops out of the region's plan. One finding per missing
#   programme; a whole missing table gives one finding for each of its
#   programmes. A programme written under another spelling (Dietitian for the
#   METIP's Dietician) is one finding, on that line, giving the METIP's name.
# custom:
#   id: RDP-MET-003
#   severity: error
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, Future workforce objective 1 and section 7 (Regional Delivery Plans); Annex 1 (METIP 2022/23 activity tables by region)
#   remediation: Add the programme to its METIP table with the region's planned starts (and its prior-year starts); if the region will not deliver it, say so with planned_starts 0 and a variance_explanation.
#   details: >-
#     Other spellings are matched by data.rdp.metip.matched_name: the same letters and digits, data.reference.programme_aliases, or the one METIP name whose letter pairs are at least data.reference.params.metip_name_similarity alike (Dice coefficient).
deny contains f if {
	some x in missing_programmes
	f := lib.finding(rego.metadata.rule(), "FW1", x.path, x.msg)
}

# missing_programmes holds the path and message of each published programme
# the plan lacks: not given at all, or given under another spelling, which
# is then reported once, on the misnamed line, with the METIP's name.
missing_programmes contains {"path": missing_path(table_id), "msg": missing_message(table_id, name, expected)} if {
	is_array(input.metip)
	some row in derived.metip_expected[region]
	table_id := row.table
	name := row.name
	expected := row.starts
	not name in object.get(plan_names, table_id, set())
	not table_id in unreadable_tables
	not stood_in(table_id, name)
}

missing_programmes contains {"path": concat("/", [line.path, "name"]), "msg": msg} if {
	some x in misnamed_lines
	line := x.line
	meant := x.meant
	not meant in plan_names[line.table]
	expected := object.get(published[line.table], meant, 0)
	expected > 0
	msg := sprintf("METIP table %s: the national METIP has no programme called \"%s\"; it names this programme \"%s\", with %s starts for %s. Rename the line to \"%s\" so that its planned starts are checked against the METIP.", [
		table_label(line.table), line.programme.name, meant, lib.int_text(expected), region, meant,
	])
}

missing_message(table_id, name, expected) := sprintf("METIP table %s has no line for %s, for which the national METIP lists %s starts for %s; add the programme with the region's planned starts.", [
	table_label(table_id), name, lib.int_text(expected), region,
]) if plan_names[table_id]

missing_message(table_id, name, expected) := sprintf("The plan has no METIP table %s, so %s is missing, for which the national METIP lists %s starts for %s; add the table with this programme.", [
	table_label(table_id), name, lib.int_text(expected), region,
]) if not plan_names[table_id]

missing_path(table_id) := sprintf("/metip/%d/programmes", [table_index[table_id]]) if plan_names[table_id]

missing_path(table_id) := "/metip" if not plan_names[table_id]

# METADATA
# title: Programme names match the national METIP
# description: |
#   Each programme in a METIP table is named exactly as in the national
#   METIP annex; otherwise its starts cannot be checked against the published
#   figure. Where the name is recognisably a METIP programme (another spelling,
#   different spacing or punctuation, or one letter off) the message gives the
#   METIP's name. A programme the METIP lists with starts for the region is
#   reported once, by RDP-MET-003, rather than here.
# custom:
#   id: RDP-MET-004
#   severity: warning
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, Annex 1 (METIP 2022/23 activity tables, programme names)
#   remediation: Rename the programme exactly as the METIP annex names it, or move it to the table it belongs to.
#   details: >-
#     Matching is data.rdp.metip.matched_name (see RDP-MET-003).
warn contains f if {
	some line in unknown_lines
	ref_rows[line.table]
	not reported_as_missing(line)
	msg := sprintf("METIP table %s has no programme called \"%s\" in the national METIP, so its starts cannot be checked; %s.", [
		table_label(line.table), line.programme.name, name_suggestion(line),
	])
	f := lib.finding(rego.metadata.rule(), "FW1", concat("/", [line.path, "name"]), msg)
}

name_suggestion(line) := sprintf("the METIP calls it \"%s\", so rename it", [misnamed[line.path]]) if misnamed[line.path]

name_suggestion(line) := "check the name against the METIP annex, or move the line to the table it belongs to" if not misnamed[line.path]

# reported_as_missing(line): the misnamed line already has the one finding
# RDP-MET-003 gives a published programme missing under its METIP name.
reported_as_missing(line) if {
	meant := misnamed[line.path]
	not meant in plan_names[line.table]
	object.get(published[line.table], meant, 0) > 0
}

# misnamed[path] is the METIP name a plan line stands for when its own name
# is not in the table: the same letters and digits, a known other spelling
# (data.reference.programme_aliases), or else the one published name most
# like it (see similar_name).
misnamed[x.line.path] := x.meant if some x in misnamed_lines

# misnamed_lines holds each such line with the name it stands for, built
# once so that the rules iterate it rather than look each line up.
misnamed_lines contains {"line": line, "meant": meant} if {
	some line in unknown_lines
	meant := matched_name(line.table, line.programme.name)
}

# unknown_lines holds the plan lines whose name the METIP table lacks (or
# whose table the METIP lacks), found once for the rules that look at them.
unknown_lines := [line | some line in plan_lines; not ref_rows[line.table][line.programme.name]]

matched_name(table_id, name) := m if {
	m := ref_normalised[table_id][lib.letters_digits(name)]
} else := m if {
	m := alias_normalised[table_id][lib.letters_digits(name)]
} else := m if {
	m := similar_name(table_id, name)
}

# stood_in(table, name): a misnamed line of the plan stands for the METIP
# programme, which is then not missing (RDP-MET-003 reports it on the line).
stood_in(table_id, name) if {
	some x in misnamed_lines
	x.line.table == table_id
	x.meant == name
}

# alias_normalised[table id][normalised alias] is the METIP name it stands
# for (data.reference.programme_aliases), worked out once in rdp.derived.
alias_normalised := derived.metip_alias_normalised

# similar_name is the published name of the table most like a name: the
# Dice coefficient of the two names' pairs of adjacent letters is at least
# data.reference.params.metip_name_similarity, and no other name is as close.
similar_name(table_id, name) := best if {
	pairs := letter_pairs(lib.letters_digits(name))
	scores := {[score, p] |
		some p, ref in ref_pairs[table_id]
		score := (2 * count(pairs & ref)) / (count(pairs) + count(ref))
		score >= params.metip_name_similarity
	}
	top := max({x[0] | some x in scores})
	bests := [x[1] | some x in scores; x[0] == top]
	count(bests) == 1
	best := bests[0]
}

ref_pairs[table_id][name] := letter_pairs(lib.letters_digits(name)) if {
	some table_id, rows in ref_rows
	some name, _ in rows
}

letter_pairs(s) := {substring(s, i, 2) | some i in numbers.range(0, count(s) - 2)} if count(s) >= 2

letter_pairs(s) := {s} if count(s) < 2

# METADATA
# title: A large year-on-year change is explained
# description: |
#   A programme whose planned starts change on the prior year's starts by
#   more than {params.metip_year_on_year_change_pct}% needs a variance
#   explanation. A programme with no prior-year starts (or 0) is new and has no
#   percentage change, so it is not checked.
# custom:
#   id: RDP-MET-005
#   severity: error
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, Future workforce objective 1 (the METIP as a multi-year view of investment) and Annex 1 (METIP 2022/23 activity tables)
#   remediation: Give a variance_explanation saying why the programme's starts change so much on the prior year, or correct planned_starts or prior_year_starts.
#   details: >-
#     Threshold: data.reference.params.metip_year_on_year_change_pct. Compared as integers: change x 100 against pct x prior_year_starts.
deny contains f if {
	some line in plan_lines
	planned := line.programme.planned_starts
	prior := object.get(line.programme, "prior_year_starts", null)
	is_number(planned)
	is_number(prior)
	prior > 0
	change := planned - prior
	abs(change) * 100 > params.metip_year_on_year_change_pct * prior
	lib.blank(line.programme, "variance_explanation")
	msg := sprintf("METIP %s, %s: %s planned starts against %s the year before, %s (%s), more than the %v%% year-on-year threshold; explain the change in variance_explanation or correct the figures.", [
		table_label(line.table), line.programme.name, lib.int_text(planned), lib.int_text(prior),
		more_or_fewer(change), percent_of(abs(change), prior), params.metip_year_on_year_change_pct,
	])
	f := lib.finding(rego.metadata.rule(), "FW1", concat("/", [line.path, "planned_starts"]), msg)
}

# METADATA
# title: Learning-disability and mental-health nursing starts increase
# description: |
#   The business plan measures the increase in learning-disability and
#   mental-health nursing starts compared with 2021/22. Each of
#   {params.metip_increase_programmes} must plan more starts than its
#   prior-year starts; without prior-year starts the increase cannot be shown,
#   which is also a finding.
# custom:
#   id: RDP-MET-006
#   severity: error
#   objectives: [FW3]
#   standard: HEE Business Plan 2022/23, Future workforce objective 3 (Mental Health, Learning Disability and Autism; Nursing and midwifery KPIs iv and v, increase in learning disability and mental health nursing compared to 2021/22)
#   remediation: Plan more starts than the prior year on the programme, and give prior_year_starts so that the increase shows.
#   details: >-
#     Programmes: data.reference.params.metip_increase_programmes.
deny contains f if {
	some line in plan_lines
	line.programme.name in increase_names
	is_number(line.programme.planned_starts)
	problem := increase_problem(line.programme)
	msg := sprintf("METIP %s, %s: %s; the business plan asks for more learning-disability and mental-health nursing starts than in 2021/22, so plan an increase on the prior year.", [
		table_label(line.table), line.programme.name, problem,
	])
	f := lib.finding(rego.metadata.rule(), "FW3", concat("/", [line.path, increase_key(line.programme)]), msg)
}

increase_problem(p) := sprintf("%s planned starts are not above the %s of the prior year", [
	lib.int_text(p.planned_starts), lib.int_text(p.prior_year_starts),
]) if {
	is_number(object.get(p, "prior_year_starts", null))
	p.planned_starts <= p.prior_year_starts
}

increase_problem(p) := sprintf("%s planned starts but no prior_year_starts, so the increase cannot be shown", [lib.int_text(p.planned_starts)]) if {
	not is_number(object.get(p, "prior_year_starts", null))
}

increase_key(p) := "planned_starts" if is_number(object.get(p, "prior_year_starts", null))

increase_key(p) := "prior_year_starts" if not is_number(object.get(p, "prior_year_starts", null))

# The plan's midwifery lines (data.reference.params.midwifery_programmes),
# in whichever table they sit.
midwifery_lines := [line |
	some line in plan_lines
	line.programme.name in midwifery_names
	is_number(line.programme.planned_starts)
]

midwifery_planned := sum([l.programme.planned_starts | some l in midwifery_lines])

midwifery_prior := sum([l.programme.prior_year_starts | some l in midwifery_lines; is_number(object.get(l.programme, "prior_year_starts", null))])

midwifery_without_prior := sort({l.programme.name | some l in midwifery_lines; not is_number(object.get(l.programme, "prior_year_starts", null))})

midwifery_commitment := sprintf("the business plan commits to %s additional midwifery training places a year towards %s by 2023", [
	lib.int_text(commitment.midwifery_places.target), lib.int_text(commitment.midwifery_places.cumulative_target),
]) if commitment.midwifery_places

midwifery_commitment := "the business plan commits to additional midwifery training places every year" if not commitment.midwifery_places

midwifery_problem := {
	"path": concat("/", [min({l.path | some l in midwifery_lines; l.programme.name == midwifery_without_prior[0]}), "prior_year_starts"]),
	"text": sprintf("%s %s no prior_year_starts, so the expansion cannot be shown", [
		concat(", ", midwifery_without_prior), has_or_have(count(midwifery_without_prior)),
	]),
} if count(midwifery_without_prior) > 0

midwifery_problem := {
	"path": midwifery_path,
	"text": sprintf("planned midwifery starts (%s) add up to %s, not more than the %s of the prior year", [
		concat(", ", params.midwifery_programmes), lib.int_text(midwifery_planned), lib.int_text(midwifery_prior),
	]),
} if {
	count(midwifery_without_prior) == 0
	midwifery_planned <= midwifery_prior
}

midwifery_path := concat("/", [min({l.path | some l in midwifery_lines}), "planned_starts"]) if count(midwifery_lines) > 0

midwifery_path := "/metip" if count(midwifery_lines) == 0

# METADATA
# title: Midwifery expansion is visible
# description: |
#   The planned starts over the midwifery programmes
#   ({params.midwifery_programmes}, in whichever table) add up to more than
#   their prior-year starts, so the region's share of the extra midwifery
#   training places shows in the plan. Every midwifery line needs prior-year
#   starts for the comparison; a plan with no midwifery line at all shows no
#   expansion.
# custom:
#   id: RDP-MET-007
#   severity: error
#   objectives: [FW3]
#   standard: HEE Business Plan 2022/23, Future workforce objective 3 (Nursing and midwifery, 1,000 additional midwifery training places towards 3,650 by 2023; KPI vi, midwifery starts against plan)
#   remediation: Plan more midwifery starts than the prior year across Midwifery and Midwifery Shortened, and give prior_year_starts for each.
#   details: >-
#     Programmes: data.reference.params.midwifery_programmes; the national commitment is data.reference.commitments midwifery_places.
deny contains f if {
	is_array(input.metip)
	problem := midwifery_problem
	msg := sprintf("METIP: %s; %s, so plan more midwifery starts than last year.", [problem.text, midwifery_commitment])
	f := lib.finding(rego.metadata.rule(), "FW3", problem.path, msg)
}

# The plan's GP training lines (data.reference.params.gp_training_programme
# in the postgraduate table) and those with starts.
gp_lines := [line |
	some line in plan_lines
	line.table == postgraduate_table
	line.programme.name == params.gp_training_programme
]

gp_starting := [l | some l in gp_lines; is_number(l.programme.planned_starts); l.programme.planned_starts > 0]

gp_commitment := sprintf("the business plan commits to %s %s", [
	lib.int_text(commitment.gp_trainees.target), commitment.gp_trainees.description,
]) if commitment.gp_trainees

gp_commitment := "the business plan commits to more GP trainees" if not commitment.gp_trainees

gp_problem := {"path": "/metip", "text": sprintf("the plan has no METIP table %s, so no GP training (%s) is planned", [
	table_label(postgraduate_table), params.gp_training_programme,
])} if not plan_names[postgraduate_table]

gp_problem := {
	"path": sprintf("/metip/%d/programmes", [table_index[postgraduate_table]]),
	"text": sprintf("METIP table %s has no %s line", [table_label(postgraduate_table), params.gp_training_programme]),
} if {
	plan_names[postgraduate_table]
	count(gp_lines) == 0
}

gp_problem := {
	"path": concat("/", [min({l.path | some l in gp_lines}), "planned_starts"]),
	"text": sprintf("METIP table %s plans no starts on %s", [table_label(postgraduate_table), params.gp_training_programme]),
} if {
	count(gp_lines) > 0
	count(gp_starting) == 0
}

# METADATA
# title: GP training is planned
# description: |
#   The postgraduate medical and dental table has the GP training
#   programme ({params.gp_training_programme}) with planned starts above 0:
#   every region contributes to the national GP trainee commitment.
# custom:
#   id: RDP-MET-008
#   severity: error
#   objectives: [FW3]
#   standard: HEE Business Plan 2022/23, Future workforce objective 3 (Primary and Integrated Care, 4,000 GP trainees towards 6,000 more GPs by March 2024; KPI i, GP trainee acceptances against plan)
#   remediation: Add Medical - General Practice to the postgraduate medical and dental table with the region's planned GP trainee starts.
#   details: >-
#     Programme: data.reference.params.gp_training_programme; the national commitment is data.reference.commitments gp_trainees.
deny contains f if {
	is_array(input.metip)
	not postgraduate_table in unreadable_tables
	problem := gp_problem
	msg := sprintf("%s; %s, so plan the region's GP trainee starts.", [upper_first(problem.text), gp_commitment])
	f := lib.finding(rego.metadata.rule(), "FW3", problem.path, msg)
}

# Outliers, from the reference data (package rdp.derived).
# national[table id][name] is the national regional activity of a METIP row
# (the sum of its seven regional cells), for rows of at least
# data.reference.params.metip_outlier_min_national_starts starts.
national := derived.metip_national

# outlier_stats holds the region's usual share of national activity (the
# median of its published shares), their spread (median absolute
# deviation, MAD) and the bounds on a share beyond which its robust z
# exceeds data.reference.params.metip_outlier_z.
outlier_stats := derived.metip_outlier_stats[region]

# outlier_limits[table id][name] holds whole numbers of starts just inside
# the bounds on the row's share (see rdp.derived.metip_outlier_limits): a
# planned figure between them cannot be an outlier.
outlier_limits := derived.metip_outlier_limits[region]

usual_share := outlier_stats.usual_share

share_spread := outlier_stats.spread

# robust_z measures how far a share is from the region's usual share, in
# units of the spread (0.6745 scales the MAD to a standard deviation).
robust_z(share) := (0.6745 * (share - usual_share)) / share_spread

# published_outlier[table id] holds the names of the rows whose published
# figure for the region is itself an outlier: the METIP's own lopsided lines.
published_outlier := derived.metip_published_outlier[region]

# METADATA
# title: Planned starts are in line with the region's usual share
# description: |
#   Flags a planned figure far out of line with the share of national
#   activity the region usually takes. For each programme with at least
#   {params.metip_outlier_min_national_starts} starts nationally, the region's
#   planned share is compared with its usual share across the METIP; a share
#   more than {params.metip_outlier_z} robust standard deviations away is
#   flagged, unless the published METIP figure for the region is itself just as
#   far out (a region hosting a national programme), so that only the plan's own
#   departures are flagged.
# custom:
#   id: RDP-MET-009
#   severity: warning
#   objectives: [FW1]
#   standard: HEE Business Plan 2022/23, Future workforce objective 1 (the METIP balances geographical demand with education capacity and sets the desired geographical distribution of activity); Annex 1 (METIP 2022/23 activity tables by region)
#   remediation: Check the planned starts (a typing error, or a figure meant for another programme or region) and correct them; if the figure is right, make sure variance_explanation says why the region takes this share, for the reviewer who sees this warning.
#   details: >-
#     Share = planned starts / the sum of the row's seven regional cells; rows below data.reference.params.metip_outlier_min_national_starts are skipped. The usual share is the median of the region's published shares over every row where the METIP prints a figure for it, and the spread is their median absolute deviation (MAD); robust z = 0.6745 x (share - median) / MAD, flagged when |z| > data.reference.params.metip_outlier_z and the published figure is not an outlier in the same direction. Nothing is flagged when the MAD is 0.
warn contains f if {
	share_spread > 0
	some line in plan_lines
	limits := outlier_limits[line.table][line.programme.name]
	planned := line.programme.planned_starts
	is_number(planned)

	# a quick test on whole numbers first, which every outlier passes; the
	# exact share is worked out only for the few lines that pass it
	true in [planned > limits.above, planned < limits.below]
	total := national[line.table][line.programme.name]
	share := planned / total
	true in [share > outlier_stats.high, share < outlier_stats.low]
	not published_outlier[line.table][line.programme.name]
	expected := published[line.table][line.programme.name]
	z := robust_z(share)
	msg := sprintf("METIP %s, %s: %s planned starts are %s%% of the %s starts in the seven regions, far from the usual %s share of %s%% (the median of its published shares; robust z %s against their MAD, over the threshold of %v; the METIP's %s starts are %s%%); check the figure.", [
		table_label(line.table), line.programme.name, lib.int_text(planned), lib.decimal_text((planned * 100) / total, 1), lib.int_text(total),
		region, lib.decimal_text(usual_share * 100, 1), lib.decimal_text(z, 1), params.metip_outlier_z,
		lib.int_text(expected), lib.decimal_text((expected * 100) / total, 1),
	])
	f := lib.finding(rego.metadata.rule(), "FW1", concat("/", [line.path, "planned_starts"]), msg)
}

# Text helpers.

table_label(id) := data.reference.metip_tables[id]

table_label(id) := id if not data.reference.metip_tables[id]

# percent_of gives part as a percentage of whole, for messages.
percent_of(part, whole) := concat("", [lib.decimal_text((part * 100) / whole, 1), "%"]) if whole != 0

percent_of(_, 0) := "no published starts to compare with"

more_or_fewer(d) := sprintf("%s more", [lib.int_text(d)]) if d >= 0

more_or_fewer(d) := sprintf("%s fewer", [lib.int_text(abs(d))]) if d < 0

has_or_have(1) := "has"

has_or_have(n) := "have" if n != 1

upper_first(s) := concat("", [upper(substring(s, 0, 1)), substring(s, 1, -1)])
