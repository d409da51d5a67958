# METADATA
# title: KPIs
# description: |
#   Each KPI in the plan can be monitored: it has a baseline, a target for the
#   plan year and a named lead.
package rdp.kpis

import data.rdp.lib

# Every KPI in the plan, with where it sits.
kpis contains {"objective": o.id, "kpi": k, "path": sprintf("/objectives/%d/kpis/%d", [i, j])} if {
	some i, o in input.objectives
	some j, k in o.kpis
}

# missing_figure is true when a baseline or target has no usable value or period.
missing_figure(k, key) if not is_object(object.get(k, key, null))

missing_figure(k, key) if lib.blank(k[key], "period")

missing_figure(k, key) if {
	value := object.get(k[key], "value", null)
	not is_number(value)
	not is_string(value)
}

missing_figure(k, key) if trim_space(k[key].value) == ""

# METADATA
# title: KPI has a baseline
# description: |
#   A KPI without a baseline (value and period) cannot show improvement.
# custom:
#   id: RDP-KPI-001
#   severity: error
#   standard: HEE Business Plan 2022/23, section 9 (Performance Framework and KPIs)
#   remediation: Add baseline with the latest known value and the period it covers, e.g. value 412, period 2021/22.
deny contains f if {
	some x in kpis
	missing_figure(x.kpi, "baseline")
	msg := sprintf("KPI %s (%s) has no complete baseline; give its value and the period it covers (e.g. 2021/22).", [x.kpi.id, x.kpi.descriptor])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "baseline"]), msg)
}

# METADATA
# title: KPI has a target
# description: |
#   A KPI without a target (value and period) gives no measure of success.
# custom:
#   id: RDP-KPI-002
#   severity: error
#   standard: HEE Business Plan 2022/23, section 9 (Performance Framework and KPIs)
#   remediation: Add target with the value the region commits to and the plan year as its period.
deny contains f if {
	some x in kpis
	missing_figure(x.kpi, "target")
	msg := sprintf("KPI %s (%s) has no complete target; give the value the region commits to and the period %s.", [x.kpi.id, x.kpi.descriptor, lib.plan_year])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "target"]), msg)
}

# METADATA
# title: KPI has a lead
# description: |
#   Every KPI in the business plan has an executive lead; the regional plan
#   names who answers for it.
# custom:
#   id: RDP-KPI-003
#   severity: error
#   standard: HEE Business Plan 2022/23, section 5 (KPI descriptors and HEE executive leads)
#   remediation: Set lead to the person or role accountable for the KPI.
deny contains f if {
	some x in kpis
	lib.blank(x.kpi, "lead")
	msg := sprintf("KPI %s (%s) has no lead; name the person or role accountable for it.", [x.kpi.id, x.kpi.descriptor])
	f := lib.finding(rego.metadata.rule(), x.objective, x.path, msg)
}

# METADATA
# title: KPI target is for the plan year
# description: |
#   Targets in a Regional Delivery Plan are for the year the plan covers; a
#   target for another period does not measure this plan.
# custom:
#   id: RDP-KPI-004
#   severity: error
#   standard: HEE Business Plan 2022/23, section 9 (Performance Framework and KPIs)
#   remediation: Set the target period to the plan year, or replace the target with one for the plan year.
deny contains f if {
	some x in kpis
	period := x.kpi.target.period
	is_string(period)
	trim_space(period) != ""
	period != lib.plan_year
	msg := sprintf("KPI %s (%s) has a target for %s, not for the plan year %s; set a target for %s.", [x.kpi.id, x.kpi.descriptor, period, lib.plan_year, lib.plan_year])
	f := lib.finding(rego.metadata.rule(), x.objective, concat("/", [x.path, "target", "period"]), msg)
}
