package rdp.lib_test

import data.rdp.lib

test_int_text if {
	lib.int_text(0) == "0"
	lib.int_text(999) == "999"
	lib.int_text(1000) == "1,000"
	lib.int_text(12787) == "12,787"
	lib.int_text(123456) == "123,456"
	lib.int_text(-1234567) == "-1,234,567"
}

test_gbp_text if {
	lib.gbp_text(lib.thousandths(4687.8)) == "£4,687.8m"
	lib.gbp_text(lib.thousandths(0.05)) == "£0.05m"
	lib.gbp_text(lib.thousandths(-1234567.891)) == "-£1,234,567.891m"
	lib.gbp_text(0) == "£0.0m"
}

test_thousandths_sum_exactly if {
	sum([lib.thousandths(x) | some x in [0.1, 0.2]]) == lib.thousandths(0.3)
}

test_blank if {
	lib.blank({}, "owner")
	lib.blank({"owner": " "}, "owner")
	lib.blank({"owner": 3}, "owner")
	not lib.blank({"owner": "Dean"}, "owner")
}

test_decimal_text if {
	lib.decimal_text(17.2653, 2) == "17.27"
	lib.decimal_text(12, 1) == "12.0"
	lib.decimal_text(-0.05, 1) == "-0.1"
	lib.decimal_text(1234.5, 3) == "1,234.5"
	lib.pct_text(2.9568) == "2.96%"
	lib.signed_pct_text(17.2653) == "+17.27%"
	lib.signed_pct_text(-100) == "-100.0%"
}
