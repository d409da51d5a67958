# METADATA
# title: Values derived from the reference data alone
# description: |
#   Tables the plan rules look figures up in, worked out from
#   data.reference only: no rule here reads the input. Stock OPA (opa eval,
#   conftest) evaluates them with the plan rules as usual; rdpcheck
#   evaluates this package once per process, after any --data overrides are
#   merged, and keeps the result as data at the same path, so checking a
#   plan only touches the plan. Holds no deny, warn or info rules.
package rdp.derived

import data.rdp.lib

params := data.reference.params

regions := data.reference.regions

# keyed_regions are the regions the tables keyed by region below are worked
# out for: every region. A plan's rules read only its own region's entries,
# so rdpcheck replaces this rule with the plan's region alone and works out
# each region's tables when its first plan arrives.
keyed_regions := regions

# Lookups by a partial rule's key are not cached by OPA within one
# evaluation, so every table here is a complete rule or is read once into a
# variable before a loop. Every value is JSON (objects, never sets), so
# that it can be kept as data.

# metip_rows[table id][programme name] is the published METIP row, so that
# each plan line is looked up, never searched for.
metip_rows := {table_id: {p.name: p | some p in tab.programmes} | some table_id, tab in data.reference.metip.tables}

# metip_normalised[table id][letters and digits of a name, lower case] is
# the published name, to suggest the right spelling of a near miss.
metip_normalised := {table_id: {lib.letters_digits(p.name): p.name | some p in tab.programmes} | some table_id, tab in data.reference.metip.tables}

# metip_alias_normalised[table id][letters and digits of an alias, lower
# case] is the METIP name a known other spelling stands for
# (data.reference.programme_aliases), for the tables the METIP has.
metip_alias_normalised := {table_id: names |
	some table_id, aliases in data.reference.programme_aliases
	is_object(aliases)
	metip_rows[table_id]
	names := {lib.letters_digits(alias): meant | some alias, meant in aliases; metip_rows[table_id][meant]}
}

# metip_published[region][table id][programme name] is the region's
# published starts on a METIP row; a blank cell means the METIP plans no
# activity there, so it counts as 0.
metip_published[r] := {table_id: cells |
	some table_id, rows in metip_rows
	cells := {name: n | some name, row in rows; n := object.get(row.cells, r, 0); is_number(n)}
} if some r in keyed_regions

# metip_expected[region] lists the rows with published starts above 0 for
# the region: the programmes its plan must have.
metip_expected[r] := [{"table": table_id, "name": name, "starts": n} |
	some table_id, names in published
	some name, n in names
	n > 0
] if {
	some r in keyed_regions
	published := metip_published[r]
}

# metip_national[table id][name] is the national regional activity of a
# METIP row: the sum of its seven regional cells (the National and other
# non-regional columns are left out), kept only for rows of at least
# data.reference.params.metip_outlier_min_national_starts starts.
metip_national := {table_id: names |
	some table_id, rows in metip_rows
	names := {name: n |
		some name, row in rows
		n := sum([c | some r in regions; c := object.get(row.cells, r, 0); is_number(c)])
		n > 0
		n >= params.metip_outlier_min_national_starts
	}
	count(names) > 0
}

# metip_outlier_stats[region] is the yardstick of the outlier rule for the
# region, from its published shares of national regional activity over
# every row of metip_national where the METIP prints a figure for the
# region (reference data only, so no planned figure can move it):
# usual_share, their median; spread, their median absolute deviation
# (MAD); and the bounds low and high, usual share ∓ margin, beyond which a
# share's robust z exceeds data.reference.params.metip_outlier_z
# (margin = threshold × MAD / 0.6745).
metip_outlier_stats[r] := {"usual_share": usual, "spread": spread, "low": usual - margin, "high": usual + margin} if {
	some r in keyed_regions
	shares := [share |
		some table_id, names in metip_national
		some name, total in names
		c := object.get(metip_rows[table_id][name].cells, r, null)
		is_number(c)
		share := c / total
	]
	usual := lib.median_of_sorted(lib.sort_fractions(shares))
	spread := lib.median_of_sorted(lib.sort_fractions([abs(s - usual) | some s in shares]))
	margin := (params.metip_outlier_z * spread) / 0.6745
}

# metip_published_outlier[region][table id][name] is true for the rows whose
# published figure for the region is itself an outlier: the METIP's own
# lopsided lines. The share is compared with the bounds directly: a
# function call per row (about 1,500 of them, each argument a long exact
# fraction) made OPA spend three times as long here.
metip_published_outlier[r] := {table_id: names |
	some table_id, totals in metip_national
	names := object.union(
		{name: true | some name, total in totals; published[table_id][name] / total > high},
		{name: true | some name, total in totals; published[table_id][name] / total < low},
	)
	count(names) > 0
} if {
	some r, stats in metip_outlier_stats
	published := metip_published[r]
	low := stats.low
	high := stats.high
}

# metip_outlier_limits[region][table id][name] brackets the outlier bounds
# of a row in whole starts: above is the high bound times the row's national
# starts, rounded down, less one, and below the low bound's, rounded up, plus
# one (a start to spare either way for the rounding of long decimals). A
# planned figure above the high bound is above "above", and one below the
# low bound is below "below", so the rule works out the exact share only for
# figures outside them.
metip_outlier_limits[r] := {table_id: limits |
	some table_id, totals in metip_national
	limits := {name: {"above": floor(high * total) - 1, "below": ceil(low * total) + 1} | some name, total in totals}
} if {
	some r, stats in metip_outlier_stats
	low := stats.low
	high := stats.high
}
