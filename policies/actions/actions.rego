# METADATA
# title: Actions
# description: |
#   Each regional action under an objective can be tracked: it names the
#   role that owns it and falls due inside the plan year.
package rdp.actions

import data.rdp.lib

# Every action in the plan, with its objective, its number within the
# objective (from 1) and where it sits.
actions contains {"objective": o.id, "action": a, "number": j + 1, "path": sprintf("/objectives/%d/actions/%d", [i, j])} if {
	some i, o in input.objectives
	some j, a in o.actions
	is_object(a)
}

# label names an action for a message: its number under the objective and
# the start of its description.
label(x) := sprintf("Action %d under %s (%q)", [x.number, x.objective, short(x.action.description)]) if is_string(x.action.description)

label(x) := sprintf("Action %d under %s", [x.number, x.objective]) if not is_string(x.action.description)

short(s) := s if count(s) <= 60

# Longer descriptions are cut at the last space within the first 57
# characters (or at 57 characters when there is none) and marked "...".
short(s) := concat("", [trim_right(substring(s, 0, cut_at(substring(s, 0, 58))), " ,;:"), "..."]) if count(s) > 60

cut_at(head) := max(spaces) if {
	spaces := [i | some i in indexof_n(head, " "); i > 0]
	count(spaces) > 0
} else := 57

# The plan year's first and last days, as YYYY-MM-DD.
year_start := data.reference.plan_year.start

year_end := data.reference.plan_year.end

# is_date is true for a string written YYYY-MM-DD; other shapes are the
# schema's to report.
is_date(s) if {
	is_string(s)
	regex.match(`^\d{4}-\d{2}-\d{2}$`, s)
}

# METADATA
# title: Every action has an owner
# description: |
#   An action nobody owns is unlikely to happen, and the region cannot be
#   held to it. Each action names the role accountable for it.
# custom:
#   id: RDP-ACT-001
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 7 (Regional Delivery Plans show how the plan is delivered locally) and section 9 (Accountability and measuring progress)
#   remediation: Set owner to the role accountable for the action, e.g. Head of Quality.
deny contains f if {
	some x in actions
	lib.blank(x.action, "owner")
	msg := sprintf("%s has no owner; name the role accountable for it.", [label(x)])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "owner"]), msg)
}

# METADATA
# title: Every action is due inside the plan year
# description: |
#   A Regional Delivery Plan covers one financial year, 1 April 2022 to
#   31 March 2023. Each action has a due date, and the date falls inside that
#   year, first and last day included; work due later belongs in a later
#   year's plan.
# custom:
#   id: RDP-ACT-002
#   severity: error
#   objectives: [every]
#   standard: HEE Business Plan 2022/23, section 7 (Regional Delivery Plans deliver this plan and the 2022/23 METIP) and section 9 (Accountability and measuring progress)
#   remediation: Set due to a date inside the plan year (YYYY-MM-DD), or move work beyond the year into a milestone that is due inside it.
#   details: >-
#     The plan year is data.reference.plan_year (start, end).
deny contains f if {
	some x in actions
	due := object.get(x.action, "due", null)
	not in_plan_year(due)
	problem := due_problem(due)
	msg := sprintf("%s %s; set a due date between %s and %s, the plan year.", [label(x), problem, year_start, year_end])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "due"]), msg)
}

# in_plan_year is true for a date inside the plan year: most actions, which
# the rule then leaves without working out what is wrong.
in_plan_year(due) if {
	is_date(due)
	due >= year_start
	due <= year_end
}

due_problem(due) := "has no due date" if due == null

due_problem(due) := "has no due date" if {
	is_string(due)
	trim_space(due) == ""
}

due_problem(due) := sprintf("is due %s, before the plan year starts on %s", [due, year_start]) if {
	is_date(due)
	due < year_start
}

due_problem(due) := sprintf("is due %s, after the plan year ends on %s", [due, year_end]) if {
	is_date(due)
	due > year_end
}
