# METADATA
# title: Shared helpers for rdpcheck policies
# description: |
#   Builds finding objects from a rule's own METADATA, formats figures for
#   messages and converts money to exact integer units. Holds no rules.
package rdp.lib

# finding builds the object every deny, warn and info rule returns. The rule
# id, title and standard come from the calling rule's METADATA
# (rego.metadata.rule()), so they are written once, beside the rule.
finding(meta, objective, path, msg) := {
	"rule": meta.custom.id,
	"title": meta.title,
	"standard": object.get(meta.custom, "standard", ""),
	"objective": objective,
	"path": path,
	"msg": msg,
}

# plan_year is the financial year this plan is for.
plan_year := data.reference.financial_year

# objective_title maps each business-plan objective id to its short title.
objective_title[o.id] := o.title if some o in data.reference.objectives

# thousandths converts an amount in £ million to an exact integer number of
# thousandths (£1,000 units). The plan schema allows at most three decimal
# places, so this is exact and later sums and comparisons involve no floats.
thousandths(x) := round(x * 1000) if is_number(x)

# group_digits puts thousands separators into a string of digits.
group_digits(s) := s if count(s) <= 3

group_digits(s) := concat(",", array.concat([substring(s, 0, lead)], rest)) if {
	n := count(s)
	n > 3
	lead := ((n - 1) % 3) + 1
	rest := [substring(s, lead + (3 * i), 3) | some i in numbers.range(0, ((n - lead) / 3) - 1)]
}

# int_text formats an integer with thousands separators: 12787 -> "12,787".
int_text(n) := concat("", [sign(n), group_digits(sprintf("%d", [abs(n)]))])

# gbp_text formats a money amount held in thousandths (see thousandths) as
# £ million with one to three decimals: 4687900 -> "£4,687.9m".
gbp_text(k) := sprintf("%s£%sm", [sign(k), units_text(abs(k), 3)])

# decimal_text formats x rounded half away from zero to `places` decimals
# (1 to 3), without trailing zeros but with at least one decimal, and with
# thousands separators: decimal_text(17.2653, 2) -> "17.27",
# decimal_text(12, 1) -> "12.0". OPA's sprintf %f refuses whole numbers,
# so messages format figures with this.
decimal_text(x, places) := concat("", [sign(t), units_text(abs(t), places)]) if t := round(x * scale[places])

# pct_text formats a percentage with up to two decimals: 2.9568 -> "2.96%".
pct_text(x) := concat("", [decimal_text(x, 2), "%"])

# signed_pct_text is pct_text with an explicit "+" on increases.
signed_pct_text(x) := concat("", ["+", pct_text(x)]) if round(x * 100) > 0

signed_pct_text(x) := pct_text(x) if round(x * 100) <= 0

scale := {1: 10, 2: 100, 3: 1000}

# units_text renders a whole number of 10^-places units, u >= 0.
units_text(u, places) := sprintf("%s.%s", [group_digits(sprintf("%d", [floor(u / scale[places])])), decimals(u % scale[places], places)])

# decimals renders the fractional digits without trailing zeros, keeping
# at least one digit.
decimals(f, _) := "0" if f == 0

decimals(f, places) := trim_right(sprintf({1: "%01d", 2: "%02d", 3: "%03d"}[places], [f]), "0") if f != 0

sign(n) := "-" if n < 0

sign(n) := "" if n >= 0

# list_text joins a set or array of numbers for a message: [2, 3, 4] -> "2, 3, 4".
list_text(xs) := concat(", ", [sprintf("%v", [x]) | some x in sort(xs)])

# blank is true when a text field is missing, not a string or only spaces.
blank(obj, key) if not filled_text(object.get(obj, key, null))

# filled_text is true for text that is not only spaces.
filled_text(s) if {
	is_string(s)
	trim_space(s) != ""
}

# plan_wide is the objective of findings about the plan as a whole.
plan_wide := "plan"

# letters_digits keeps the letters and digits of a name, in lower case, to
# match names that differ only in case, spacing or punctuation.
letters_digits(name) := regex.replace(lower(name), `[^a-z0-9]+`, "")

# median is the middle value of a non-empty array of numbers, or the mean
# of the two middle values; undefined for an empty array.
median(xs) := median_of_sorted(sort(xs))

# median_of_sorted is median for an array already sorted.
median_of_sorted(s) := s[(n - 1) / 2] if {
	n := count(s)
	n % 2 == 1
}

median_of_sorted(s) := (s[(n / 2) - 1] + s[n / 2]) / 2 if {
	n := count(s)
	n > 0
	n % 2 == 0
}

# sort_fractions sorts numbers between -1000 and 1000 as sort does, only
# quicker: OPA compares long decimals as exact fractions, so each number is
# paired with floor(x × 10^12), a whole number in the same order, and only
# numbers with equal keys are compared as fractions.
sort_fractions(xs) := [p[1] | some p in sort([[floor(x * 1000000000000), x] | some x in xs])]
