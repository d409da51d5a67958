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
#   The budget's lines add up to its declared total, within a rounding
#   tolerance (data.reference.params.budget_total_tolerance_gbp_million,
#   £0.05m by default).
# custom:
#   id: RDP-BUD-001
#   severity: error
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements)
#   remediation: Correct the line amounts or the declared_total so that they agree to within the tolerance.
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
#   standard: HEE Business Plan 2022/23, section 8 (Financial requirements) and METIP scope (plans affordable within the allocation)
#   remediation: Reduce planned spending to the allocation, or agree a higher allocation and record it in budget.allocation.
deny contains f if {
	declared > allocation
	msg := sprintf("Budget total %s is over the allocation of %s by %s; bring planned spending within the allocation.", [
		lib.gbp_text(declared), lib.gbp_text(allocation), lib.gbp_text(declared - allocation),
	])
	f := lib.finding(rego.metadata.rule(), lib.plan_wide, "/budget/declared_total", msg)
}
