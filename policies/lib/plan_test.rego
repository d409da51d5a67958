# METADATA
# title: A small valid plan for the policies' unit tests
# description: Tests take this plan, break one thing with json.patch and expect one finding.
package rdp.testplan

plan := {
	"schema_version": "rdp/v1",
	"region": "South West",
	"financial_year": "2022/23",
	"objectives": [objective(ref) | some ref in data.reference.objectives],
	"metip": [{
		"table": "undergraduate_medical_dental",
		"programmes": [
			{"name": "Undergraduate Medical Degree", "planned_starts": 644},
			{"name": "Undergraduate Dental Degree", "planned_starts": 129},
		],
		"declared_total": 773,
	}],
	"budget": {
		"unit": "GBP million",
		"allocation": 450.5,
		"lines": [
			{"code": "PGMD", "name": "Postgraduate medical and dental", "prior_year": 200.1, "plan": 210.2},
			{"code": "CLIN", "name": "Clinical", "prior_year": 100.1, "plan": 100.2},
			{"code": "MAT", "name": "Maternity training", "prior_year": 0.1, "plan": 0.2},
		],
		"declared_total": 310.6,
		"ring_fenced": [{"purpose": "Maternity training", "amount": 0.2}],
	},
	"quality": {
		"nets": {"respondents": 3100, "overall_satisfaction_pct": 82, "supervision_positive_pct": 90, "placement_positive_pct": 89},
		"providers": [
			{"name": "A Trust", "learners": 900, "intervention_level": "none"},
			{
				"name": "B Trust", "learners": 400, "intervention_level": "enhanced",
				"action_plan": {"owner": "Head of Quality", "due": "2022-12-31", "actions": ["Rota review"]},
			},
		],
	},
}

objective(ref) := {
	"id": ref.id,
	"actions": [{"description": "Do the work", "owner": "Regional Director", "due": "2023-03-31"}],
	"kpis": [kpi(k) | some k in data.reference.kpis.objectives[ref.id].kpis],
	"baf_opportunities": data.reference.kpis.objectives[ref.id].baf_opportunities,
	"quality_domains": [1, 2, 3, 4, 5, 6],
	"risks": [{"description": "Placement capacity", "likelihood": 4, "impact": 4, "mitigation": "New placements", "owner": "Head of Quality"}],
}

# kpi answers one of the business plan's KPIs for the objective.
kpi(k) := {
	"id": k.code,
	"descriptor": k.descriptor,
	"measure": "count",
	"baseline": {"value": 100, "period": "2021/22"},
	"target": {"value": 110, "period": "2022/23"},
	"lead": k.lead,
}

# rules lists the ids of the findings in a set of findings.
rules(findings) := {f.rule | some f in findings}
