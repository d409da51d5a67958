package rdp.rollup_test

import data.rdp.rollup

test_national_picture_of_the_published_figures if {
	n := rollup.national with input as all_plans
	count(n.regions) == 7
	every r in n.regions {
		r.planned
	}
	count(n.metip) == 4
	n.metip[0].table == "undergraduate_medical_dental"
	every t in n.metip {
		every p in t.programmes {
			p.planned == {r: c | some r, c in p.published; r in object.keys(p.planned)}
		}
	}
	n.budget.allocation_gbp_thousands == 5449400
}

test_national_picture_measures_commitments if {
	n := rollup.national with input as all_plans
	some gp in n.commitments
	gp.id == "gp_trainees"
	gp.measured
	gp.planned == sum([x | some row in data.reference.metip.tables.postgraduate_medical_dental.programmes; row.name == "Medical - General Practice"; some x in row.cells])
	some nurses in n.commitments
	nurses.id == "more_nurses"
	not nurses.measured
}

test_national_picture_without_a_region if {
	n := rollup.national with input as without(london)
	some r in n.regions
	r.region == "London"
	not r.planned
	every t in n.metip {
		every p in t.programmes {
			not "London" in object.keys(p.planned)
		}
	}
}
