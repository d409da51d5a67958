package rdp.submission_test

import data.rdp.submission
import data.rdp.testplan

submitted := {
	"version": 1,
	"status": "submitted",
	"submitted_on": "2022-06-30",
	"contact": {"name": "Planning Manager", "email": "rdp@example.org"},
	"sign_off": {"name": "Regional Director", "date": "2022-06-28"},
}

approved := json.patch(submitted, [{"op": "replace", "path": "/status", "value": "approved"}])

plan_with(s) := json.patch(testplan.plan, [{"op": "add", "path": "/submission", "value": s}])

test_valid_plan_passes if {
	count(submission.deny) == 0 with input as testplan.plan
	count(submission.deny) == 0 with input as plan_with(submitted)
	count(submission.deny) == 0 with input as plan_with(approved)
}

# RDP-SUB-001: an approved plan has a sign-off name and date.

test_approved_without_sign_off if {
	plan := plan_with(json.remove(approved, ["sign_off"]))
	findings := submission.deny with input as plan
	testplan.rules(findings) == {"RDP-SUB-001"}
	some f in findings
	f.objective == "plan"
	f.path == "/submission/sign_off"
	f.msg == "The plan is approved but its sign-off has no name and no date; record who signed it off and on what date, or set status to submitted."
}

test_approved_with_blank_sign_off_name if {
	plan := plan_with(json.patch(approved, [{"op": "replace", "path": "/sign_off/name", "value": " "}]))
	findings := submission.deny with input as plan
	testplan.rules(findings) == {"RDP-SUB-001"}
	some f in findings
	f.path == "/submission/sign_off/name"
	f.msg == "The plan is approved but its sign-off has no name; record who signed it off and on what date, or set status to submitted."
}

test_approved_without_sign_off_date if {
	plan := plan_with(json.remove(approved, ["sign_off/date"]))
	findings := submission.deny with input as plan
	testplan.rules(findings) == {"RDP-SUB-001"}
	some f in findings
	f.path == "/submission/sign_off/date"
}

test_draft_needs_no_sign_off if {
	draft := json.patch(submitted, [{"op": "replace", "path": "/status", "value": "draft"}, {"op": "remove", "path": "/sign_off"}])
	count(submission.deny) == 0 with input as plan_with(draft)
	count(submission.deny) == 0 with input as plan_with(json.remove(submitted, ["sign_off"]))
}

# RDP-SUB-002: signed off on or before the submission date.

test_signed_off_after_submission if {
	plan := plan_with(json.patch(submitted, [{"op": "replace", "path": "/sign_off/date", "value": "2022-07-01"}]))
	findings := submission.deny with input as plan
	testplan.rules(findings) == {"RDP-SUB-002"}
	some f in findings
	f.objective == "plan"
	f.path == "/submission/sign_off/date"
	f.msg == "The plan was signed off on 2022-07-01, after it was submitted on 2022-06-30; a plan is signed off before it is submitted, so correct one of the dates."
}

test_signed_off_on_submission_day_passes if {
	plan := plan_with(json.patch(approved, [{"op": "replace", "path": "/sign_off/date", "value": "2022-06-30"}]))
	count(submission.deny) == 0 with input as plan
}

test_malformed_dates_left_to_schema if {
	plan := plan_with(json.patch(submitted, [{"op": "replace", "path": "/sign_off/date", "value": "1 July 2022"}]))
	count(submission.deny) == 0 with input as plan
	bad := json.patch(testplan.plan, [{"op": "add", "path": "/submission", "value": "approved"}])
	count(submission.deny) == 0 with input as bad
}
