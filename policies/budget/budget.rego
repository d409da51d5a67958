# METADATA
# title: Budget
# description: |
#   The region's budget in £ million. Amounts are compared as exact integers
#   of £1,000 (lib.thousandths), never as floating-point numbers; tolerances
#   are reference data (data.reference.params), overridable with --data.
package rdp.budget

import data.rdp.lib

params := data.reference.params

# The declared total, the allocation and the sum of the lines, in thousandths.
declared := lib.thousandths(input.budget.declared_total)

allocation := lib.thousandths(input.budget.allocation)

line_amounts := [lib.thousandths(l.plan) | some l in input.budget.lines]

lines_total := sum(line_amounts) if count(line_amounts) == count(input.budget.lines)

# METADATA
# title: Budget lines add up to the declared total
# description: |
#   The budget lines add up to the declared total, give or take
#   £{params.budget_total_tolerance_gbp_million}m for rounding.
# custom:
#   id: RDP-BUD-001
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements)
#   remediation: Correct the line amounts or the declared total so that they agree to within £{params.budget_total_tolerance_gbp_million}m.
#   details: >-
#     Tolerance: data.reference.params.budget_total_tolerance_gbp_million. Amounts are compared as exact integers of £1,000 (lib.thousandths).
deny contains f if {
	tolerance := lib.thousandths(params.budget_total_tolerance_gbp_million)
	difference := abs(lines_total - declared)
	difference > tolerance
	msg := sprintf("Budget lines add up to %s but declared_total is %s: a difference of %s, more than the %s tolerance; correct the lines or the total.", [
		lib.gbp_text(lines_total), lib.gbp_text(declared), lib.gbp_text(difference), lib.gbp_text(tolerance),
	])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, "/budget/declared_total", msg)
}

# METADATA
# title: Budget is within the allocation
# description: |
#   The region's planned spending cannot exceed the allocation it has been
#   given: the METIP must be affordable within HEE's funding.
# custom:
#   id: RDP-BUD-002
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements) and METIP scope (plans affordable within the allocation)
#   remediation: Reduce planned spending to the allocation, or agree a higher allocation and record it in budget.allocation.
deny contains f if {
	declared > allocation
	msg := sprintf("Budget total %s is over the allocation of %s by %s; bring planned spending within the allocation.", [
		lib.gbp_text(declared), lib.gbp_text(allocation), lib.gbp_text(declared - allocation),
	])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, "/budget/declared_total", msg)
}

# budget_lines holds each budget line by its index, skipping anything that is
# not a line object (the schema reports those).
budget_lines := {i: l |
	is_array(input.budget.lines)
	some i, l in input.budget.lines
	is_object(l)
}

# line_objective attributes a line's findings: maternity lines belong to
# Quality and patient safety objective 2, every other line to the plan as a whole.
line_objective(l) := "QP2" if maternity_line(l)

line_objective(l) := lib.plan_wide if not maternity_line(l)

maternity_line(l) if line_heading(l) in params.maternity_line_codes

admin_line(l) if line_heading(l) in params.admin_line_codes

# national_headings[code] is a national expenditure heading, and
# heading_alias[code] the heading another known code stands for (ADM for
# ADMIN), so that a renamed line is still checked as its heading.
national_headings[h.code] := h if some h in data.reference.budget_headings.headings

heading_alias[a] := h.code if {
	some h in data.reference.budget_headings.headings
	some a in h.aliases
}

# line_heading(l) is the national heading a line is coded with, directly or
# by an alias, whatever the case of its code (the schema reports the case).
line_heading(l) := upper(l.code) if {
	is_string(l.code)
	national_headings[upper(l.code)]
}

line_heading(l) := heading_alias[upper(l.code)] if {
	is_string(l.code)
	not national_headings[upper(l.code)]
}

heading_list := concat(", ", [sprintf("%s (%s)", [h.code, h.name]) | some h in data.reference.budget_headings.headings])

# METADATA
# title: Budget lines use the national headings
# description: |
#   Every budget line is coded with one of the national expenditure headings
#   of the business plan's budget table, or with a known other code for one
#   (ADM is read as ADMIN, administration). The rules on administration and
#   maternity funding find their lines by these codes, so a line under a code
#   of the region's own would escape them.
# custom:
#   id: RDP-BUD-009
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements), expenditure table headings
#   remediation: Give the line the code of the national heading its spending falls under; the message lists them. Spending that fits no heading belongs under the heading it supports.
#   details: >-
#     The headings and their known other codes are data.reference.budget_headings.headings (code, name, national_line, aliases); a code is matched without regard to case.
deny contains f if {
	some i, l in budget_lines
	is_string(l.code)
	not line_heading(l)
	msg := sprintf("Budget line %s is not coded with a national budget heading, so the rules for its heading cannot check it; use one of %s.", [
		line_label(l), heading_list,
	])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, sprintf("/budget/lines/%d/code", [i]), msg)
}

# line_label names a line for a message: MAT "Maternity training".
line_label(l) := sprintf("%s \"%s\"", [l.code, l.name]) if {
	is_string(l.code)
	is_string(l.name)
}

line_label(l) := sprintf("%v", [object.get(l, "code", "")]) if not is_string(l.name)

line_label(l) := sprintf("%v", [object.get(l, "code", "")]) if not is_string(l.code)

# signed_gbp formats a change held in thousandths with an explicit sign: "+£1.5m", "-£0.2m".
signed_gbp(k) := concat("", ["+", lib.gbp_text(k)]) if k > 0

signed_gbp(k) := lib.gbp_text(k) if k <= 0

# METADATA
# title: No negative budget lines
# description: |
#   Planned and prior-year spend under a heading cannot be below zero: a
#   negative line is either a sign error or income netted off against
#   spending, which hides both. Savings show as a lower positive figure.
# custom:
#   id: RDP-BUD-003
#   severity: error
#   objectives: [plan, QP2]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements), expenditure table (every expenditure line is zero or more)
#   remediation: Correct the sign of the figure; show a saving as a lower positive amount and record income in the allocation, not as a negative line.
deny contains f if {
	some i, l in budget_lines
	some field in ["prior_year", "plan"]
	amount := lib.thousandths(l[field])
	amount < 0
	year := {"prior_year": "prior-year (2021/22)", "plan": "planned (2022/23)"}[field]
	msg := sprintf("Budget line %s has a negative %s figure of %s; budget lines cannot be below zero, so correct the sign or show a saving as a lower positive amount.", [
		line_label(l), year, lib.gbp_text(amount),
	])
	f := lib.finding(rego.metadata.rule(), line_objective(l), sprintf("/budget/lines/%d/%s", [i, field]), msg)
}

# METADATA
# title: Large year-on-year change in a budget line is explained
# description: |
#   A budget line whose planned spending moves from the prior year by more
#   than {params.budget_line_change_pct}% and by more than
#   £{params.budget_line_change_gbp_million}m needs a variance explanation. Both
#   tests must be met, so a small line can move by a large percentage without
#   comment. A new line (no prior-year budget) counts as above the percentage
#   test.
# custom:
#   id: RDP-BUD-004
#   severity: error
#   objectives: [plan, QP2]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements), whose budget tables compare 2022-23 with 2021-22 by difference and % change
#   remediation: Add a variance_explanation to the line saying why its spending changes from the prior year, or correct the figures.
#   details: >-
#     Thresholds: data.reference.params.budget_line_change_pct and budget_line_change_gbp_million. The percentage test is made without division, as |plan - prior| x 100 > threshold x |prior|, on exact thousandths.
deny contains f if {
	some i, l in budget_lines
	prior := lib.thousandths(l.prior_year)
	planned := lib.thousandths(l.plan)
	change := planned - prior
	pct_limit := lib.thousandths(params.budget_line_change_pct)
	gbp_limit := lib.thousandths(params.budget_line_change_gbp_million)
	abs(change) > gbp_limit
	(abs(change) * 100) * 1000 > pct_limit * abs(prior)
	lib.blank(l, "variance_explanation")
	msg := sprintf("Budget line %s moves from %s to %s, a change of %s (%s), more than both %v%% and %s, but has no variance_explanation; say why it changes or correct the figures.", [
		line_label(l), lib.gbp_text(prior), lib.gbp_text(planned), signed_gbp(change), change_pct_text(change, prior),
		params.budget_line_change_pct, lib.gbp_text(gbp_limit),
	])
	f := lib.finding(rego.metadata.rule(), line_objective(l), sprintf("/budget/lines/%d/variance_explanation", [i]), msg)
}

change_pct_text(change, prior) := lib.signed_pct_text((100 * change) / prior) if prior != 0

change_pct_text(_, 0) := "a new line with no prior-year budget"

# admin_indexes and admin_total: the administration lines and their planned total in thousandths.
admin_indexes := sort([i | some i, l in budget_lines; admin_line(l)])

admin_total := sum([lib.thousandths(budget_lines[i].plan) | some i in admin_indexes])

# METADATA
# title: Administration share is within the cap
# description: |
#   Administration may take at most {params.admin_share_cap_pct}% of the
#   declared budget total, all administration lines added together. Nationally
#   the business plan spends £62.0m on administration out of £5,511.4m total
#   expenditure in 2022-23 (1.12%), and the cap leaves a region a little
#   headroom above that. Lines are recognised by their budget heading
#   ({params.admin_line_codes}, or another known code for it such as ADM), so
#   renaming a line does not take it out of the cap. A plan with no
#   administration line raises no finding.
# custom:
#   id: RDP-BUD-005
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements), expenditure table (Admin Expenditure £62.0m of total expenditure £5,511.4m)
#   remediation: Move spending out of the administration lines into the programme lines it supports, or reduce it, until administration is within the cap.
#   details: >-
#     Cap: data.reference.params.admin_share_cap_pct; heading codes: admin_line_codes, with aliases from data.reference.budget_headings. Compared without division, on exact thousandths: admin x 100 x 1000 > cap x declared.
deny contains f if {
	count(admin_indexes) > 0
	count([i | some i in admin_indexes; is_number(budget_lines[i].plan)]) == count(admin_indexes)
	declared > 0
	cap := lib.thousandths(params.admin_share_cap_pct)
	(admin_total * 100) * 1000 > cap * declared
	codes := {budget_lines[i].code | some i in admin_indexes}
	msg := sprintf("Administration lines (%s) plan %s, %s of the declared total of %s, above the %v%% cap on administration, which allows %s of that total; reduce administration spending.", [
		concat(", ", sort(codes)), lib.gbp_text(admin_total), lib.pct_text((100 * admin_total) / declared),
		lib.gbp_text(declared), params.admin_share_cap_pct, lib.gbp_text(floor((cap * declared) / 100000)),
	])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, sprintf("/budget/lines/%d/plan", [admin_indexes[0]]), msg)
}

# ring_fenced holds each ring-fenced entry by index, skipping malformed ones.
ring_fenced := {i: r |
	is_array(input.budget.ring_fenced)
	some i, r in input.budget.ring_fenced
	is_object(r)
}

# maternity_ring_fence: indexes of the entries whose purpose names maternity training.
maternity_ring_fence := sort([i |
	some i, r in ring_fenced
	is_string(r.purpose)
	contains(lower(r.purpose), lower(params.maternity_ring_fence_purpose))
])

# METADATA
# title: Maternity training funding is ring-fenced
# description: |
#   The budget ring-fences money for maternity training: one of its
#   ring-fenced amounts has a purpose that mentions
#   "{params.maternity_ring_fence_purpose}" (in any case).
# custom:
#   id: RDP-BUD-006
#   severity: error
#   objectives: [QP2]
#   standard: HEE Business Plan 2022/23, Quality and patient safety objective 2 (maternity), which says maternity training funding should be ring-fenced
#   remediation: Add a ring-fenced amount for maternity training with the amount reserved for it.
#   details: >-
#     Purpose text: data.reference.params.maternity_ring_fence_purpose, matched as a case-insensitive substring of budget.ring_fenced[].purpose.
deny contains f if {
	is_object(input.budget)
	is_array(object.get(input.budget, "ring_fenced", []))
	count(maternity_ring_fence) == 0
	msg := sprintf("The budget ring-fences no money for maternity training: no ring_fenced entry has a purpose containing \"%s\"; add one with the amount reserved for maternity training.", [
		params.maternity_ring_fence_purpose,
	])
	f := lib.finding(rego.metadata.rule(), "QP2", "/budget/ring_fenced", msg)
}

# METADATA
# title: Maternity lines carry the ring-fenced maternity amount
# description: |
#   The maternity training lines (heading {params.maternity_line_codes}, or
#   another known code for it) plan at least the amount ring-fenced for
#   maternity: money reserved for maternity training must appear in the budget
#   lines that pay for it. Several maternity lines, or several maternity
#   ring-fenced amounts, are added together first.
# custom:
#   id: RDP-BUD-007
#   severity: error
#   objectives: [QP2]
#   standard: HEE Business Plan 2022/23, Quality and patient safety objective 2 (maternity training funding ring-fenced)
#   remediation: Plan at least the ring-fenced amount on the maternity lines, or correct the ring-fenced amount.
#   details: >-
#     Heading codes: data.reference.params.maternity_line_codes, with aliases from data.reference.budget_headings.
deny contains f if {
	count(maternity_ring_fence) > 0
	is_array(input.budget.lines)
	amounts := [ring_fenced[i].amount | some i in maternity_ring_fence]
	count([a | some a in amounts; is_number(a)]) == count(amounts)
	reserved := sum([lib.thousandths(a) | some a in amounts])
	plans := [l.plan | some l in budget_lines; maternity_line(l)]
	count([p | some p in plans; is_number(p)]) == count(plans)
	carried := sum([lib.thousandths(p) | some p in plans])
	carried < reserved
	msg := sprintf("%s is ring-fenced for maternity training but the maternity lines (%s) plan only %s, %s short; plan at least the ring-fenced amount on the maternity lines or correct the ring-fenced amount.", [
		lib.gbp_text(reserved), concat(", ", sort(params.maternity_line_codes)), lib.gbp_text(carried), lib.gbp_text(reserved - carried),
	])
	f := lib.finding(rego.metadata.rule(), "QP2", sprintf("/budget/ring_fenced/%d/amount", [maternity_ring_fence[0]]), msg)
}

# stated_change_errors holds each stated change or change_pct that disagrees
# with its line's figures, with the pointer and the message for the finding.
stated_change_errors contains {"line": l, "path": sprintf("/budget/lines/%d/change", [i]), "msg": msg} if {
	some i, l in budget_lines
	prior := lib.thousandths(l.prior_year)
	planned := lib.thousandths(l.plan)
	stated := lib.thousandths(l.change)
	stated != planned - prior
	msg := sprintf("Budget line %s states a change of %s, but plan %s minus prior year %s is %s; correct the stated change or the figures.", [
		line_label(l), signed_gbp(stated), lib.gbp_text(planned), lib.gbp_text(prior), signed_gbp(planned - prior),
	])
}

stated_change_errors contains {"line": l, "path": sprintf("/budget/lines/%d/change_pct", [i]), "msg": msg} if {
	some i, l in budget_lines
	prior := lib.thousandths(l.prior_year)
	planned := lib.thousandths(l.plan)
	prior != 0
	is_number(l.change_pct)

	# In thousandths of a percentage point: |stated x prior - 100 x change| > tolerance x |prior|.
	stated := round(l.change_pct * 1000)
	tolerance := lib.thousandths(params.stated_change_pct_tolerance)
	abs((stated * prior) - ((100 * (planned - prior)) * 1000)) > tolerance * abs(prior)
	msg := sprintf("Budget line %s states a change of %v%%, but from %s to %s is %s, more than the %v percentage-point tolerance away; correct the stated change_pct or the figures.", [
		line_label(l), l.change_pct, lib.gbp_text(prior), lib.gbp_text(planned), change_pct_text(planned - prior, prior),
		params.stated_change_pct_tolerance,
	])
}

# METADATA
# title: Stated changes agree with the figures
# description: |
#   Where a budget line states its change from the prior year, the
#   statement agrees with the line's figures. A stated change in £ million must
#   equal the plan minus the prior year exactly, to the £1,000. A stated
#   percentage change must be within {params.stated_change_pct_tolerance}
#   percentage points of the real one (enough for rounding to one decimal
#   place); it is not checked when the prior year is zero.
# custom:
#   id: RDP-BUD-008
#   severity: error
#   objectives: [plan, QP2]
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements), whose tables state each line's difference and % change alongside the two years' figures
#   remediation: Correct the stated change or change_pct (or the figures) so that they agree, or remove the statement.
#   details: >-
#     Tolerance: data.reference.params.stated_change_pct_tolerance. change must equal plan - prior_year; change_pct is compared with 100 x (plan - prior_year) / prior_year on exact integers, without division (the stated percentage taken to three decimal places).
deny contains f if {
	some x in stated_change_errors
	f := lib.finding(rego.metadata.rule(), line_objective(x.line), x.path, x.msg)
}
