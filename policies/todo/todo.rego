# METADATA
# title: To-dos
# description: |
#   The blanks a planner still has to fill in. A starter plan written by
#   rdpcheck init leaves some values blank (null) on purpose: the
#   submission date and contact, the budget amounts and the NETS results.
#   The schema accepts a blank there, and these rules list each one as a
#   to-do, so an unfinished plan never passes.
package rdp.todo

import data.rdp.lib

# is_blank is true when key is present in obj and holds null.
is_blank(obj, key) if {
	is_object(obj)
	object.get(obj, key, "absent") == null
}

submission := object.get(input, "submission", {})

budget := object.get(input, "budget", {})

# submission_blanks are the blank parts of the submission block, with
# what to write in each.
submission_blanks contains {"path": "/submission/submitted_on", "msg": "The submission date is still blank; write the date the plan is sent to the national team, as YYYY-MM-DD (e.g. 2022-06-30)."} if {
	is_blank(submission, "submitted_on")
}

submission_blanks contains {"path": sprintf("/submission/contact/%s", [key]), "msg": sprintf("The contact's %s is still blank; write the %s of the person or role who answers questions about the plan.", [what, what])} if {
	some key, what in {"name": "name", "email": "email address"}
	is_blank(object.get(submission, "contact", {}), key)
}

# METADATA
# title: The submission block is filled in
# description: |
#   A starter plan leaves the submission date and the contact blank. A
#   plan is sent in with both, so that the national team knows when it
#   arrived and whom to ask about it.
# custom:
#   id: RDP-TODO-001
#   severity: error
#   standard: HEE Business Plan 2022/23, section 7 (Regional Delivery Plans)
#   remediation: Fill in submission.submitted_on (YYYY-MM-DD) and the contact's name and email.
deny contains f if {
	some b in submission_blanks
	f := lib.finding(rego.metadata.rule(), "plan", b.path, b.msg)
}

# line_label names a budget line for a message.
line_label(line) := sprintf("%s (%s)", [line.code, line.name]) if {
	is_string(line.code)
	is_string(line.name)
} else := sprintf("%v", [object.get(line, "code", "without a code")])

# budget_blanks are the blank amounts of the budget, with what to write.
budget_blanks contains {"path": "/budget/allocation", "msg": "The budget allocation is still blank; write the money made available to the region for the year, in £ million as a plain number (e.g. 981.8)."} if {
	is_blank(budget, "allocation")
}

budget_blanks contains {"path": "/budget/declared_total", "msg": "The budget's declared total is still blank; write the total planned spend in £ million, the sum of the lines' plan amounts."} if {
	is_blank(budget, "declared_total")
}

budget_blanks contains {"path": sprintf("/budget/lines/%d/%s", [i, key]), "msg": sprintf("Budget line %s has no %s yet; write it in £ million as a plain number (e.g. 466.957).", [line_label(line), what])} if {
	some i, line in object.get(budget, "lines", [])
	some key, what in {"prior_year": "2021/22 (prior year) amount", "plan": "2022/23 plan amount"}
	is_blank(line, key)
}

budget_blanks contains {"path": sprintf("/budget/ring_fenced/%d/amount", [i]), "msg": sprintf("The ring-fenced amount for %q is still blank; write the amount reserved for it in £ million.", [object.get(r, "purpose", "")])} if {
	some i, r in object.get(budget, "ring_fenced", [])
	is_blank(r, "amount")
}

# METADATA
# title: Every budget amount is filled in
# description: |
#   A starter plan lists the standard budget headings with their amounts
#   blank. Each heading needs its prior-year and plan amounts, and the
#   budget its allocation, declared total and ring-fenced amounts, before
#   the budget rules can check that they add up.
# custom:
#   id: RDP-TODO-002
#   severity: error
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements)
#   remediation: Fill in each blank amount in £ million, as a plain number with at most three decimal places.
deny contains f if {
	some b in budget_blanks
	f := lib.finding(rego.metadata.rule(), "plan", b.path, b.msg)
}

# METADATA
# title: The NETS results are filled in
# description: |
#   A starter plan leaves the region's National Education and Training
#   Survey results blank. The plan reports how many learners answered
#   and, with three or more, the survey's results.
# custom:
#   id: RDP-TODO-003
#   severity: error
#   standard: HEE Quality Framework; National Education and Training Survey (NETS)
#   remediation: Fill in quality.nets.respondents and the survey's percentages.
deny contains f if {
	is_blank(object.get(object.get(input, "quality", {}), "nets", {}), "respondents")
	msg := "The NETS results are still blank; write how many of the region's learners answered the survey and, with three or more, its results (overall satisfaction, supervision and placement, as percentages)."
	f := lib.finding(rego.metadata.rule(), "QP3", "/quality/nets/respondents", msg)
}
