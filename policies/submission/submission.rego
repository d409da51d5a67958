# METADATA
# title: Submission
# description: |
#   The submission block is consistent: an approved plan records who signed
#   it off and when, and it was signed off before it was submitted.
package rdp.submission

import data.rdp.lib

submission := s if {
	s := object.get(input, "submission", null)
	is_object(s)
} else := {}

sign_off := s if {
	s := object.get(submission, "sign_off", null)
	is_object(s)
} else := {}

# is_date is true for a string written YYYY-MM-DD; other shapes are the
# schema's to report.
is_date(s) if {
	is_string(s)
	regex.match(`^\d{4}-\d{2}-\d{2}$`, s)
}

# The parts of the sign-off an approved plan lacks.
missing_parts := [part | some part in ["name", "date"]; lib.blank(sign_off, part)]

# sign_off_path points at the one missing part, or at the sign-off itself.
sign_off_path := sprintf("/submission/sign_off/%s", [missing_parts[0]]) if {
	count(missing_parts) == 1
	count(sign_off) > 0
} else := "/submission/sign_off"

# METADATA
# title: An approved plan has a sign-off name and date
# description: |
#   A plan marked approved has been signed off in the region; the sign-off
#   records who did it and on what day, so that reviewers can trace the
#   approval.
# custom:
#   id: RDP-SUB-001
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 9 (Accountability and measuring progress) and section 7 (Regional Delivery Plans); rdpcheck rulebook, structure and completeness (approved needs a sign-off name and date)
#   remediation: Add submission.sign_off with the name (or role) of whoever signed the plan off and the date (YYYY-MM-DD), or set status back to submitted until it is signed off.
deny contains f if {
	submission.status == "approved"
	count(missing_parts) > 0
	msg := sprintf("The plan is approved but its sign-off has no %s; record who signed it off and on what date, or set status to submitted.", [concat(" and no ", missing_parts)])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, sign_off_path, msg)
}

# METADATA
# title: The plan is signed off before it is submitted
# description: |
#   The region signs its plan off and then sends it in, so the sign-off date
#   is on or before the submission date. A later sign-off date means one of
#   the dates is wrong or an unsigned version was submitted.
# custom:
#   id: RDP-SUB-002
#   severity: error
#   objectives: [plan]
#   standard: HEE Business Plan 2022/23, section 9 (Accountability and measuring progress); rdpcheck rulebook, structure and completeness (submission metadata consistent)
#   remediation: Correct submission.sign_off.date or submission.submitted_on; if the plan was signed off after it was sent, resubmit the signed-off version with a new date and version number.
deny contains f if {
	signed := object.get(sign_off, "date", null)
	submitted := object.get(submission, "submitted_on", null)
	is_date(signed)
	is_date(submitted)
	signed > submitted
	msg := sprintf("The plan was signed off on %s, after it was submitted on %s; a plan is signed off before it is submitted, so correct one of the dates.", [signed, submitted])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, "/submission/sign_off/date", msg)
}
