// Package workbook converts plans to and from Excel workbooks (.xlsx).
//
// A workbook holds the same plan document as a YAML or JSON plan, laid
// out for planners: a read-me sheet, then one sheet per part of the plan
// with one row per item under named column headers. The layout (which
// sheet and column holds which field) is declared once in this file and
// used both to write a workbook and to read it back, so the two cannot
// drift apart. Reading remembers where each value came from, so that a
// finding about a JSON pointer can be located at a sheet and cell.
package workbook

// kind is how a column's cells are written and read.
type kind int

const (
	kindText      kind = iota // a string
	kindInteger               // a whole number
	kindNumber                // any number
	kindMoney                 // an amount in £ million
	kindPercent               // a percentage from 0 to 100
	kindDate                  // a date, written YYYY-MM-DD
	kindValue                 // a number or, for qualitative KPIs, text
	kindList                  // a list of strings, comma-separated in one cell
	kindReference             // a published figure shown for reference, never read
)

// column is one column of a table sheet, or one row of a fields sheet.
type column struct {
	// header is the column's header (or, in a fields sheet, the row's label).
	header string
	// field is the value's path inside the row's item, "/"-separated
	// (e.g. "baseline/value"); "" for a list of scalars, whose items are
	// the rows themselves. In a fields sheet it is an absolute JSON pointer.
	field string
	kind  kind
	// published names the reference figure a kindReference column shows.
	published string
	// width is the column width in characters (0: the default).
	width float64
	// blank: an empty cell reads as null (a blank the planner has yet to
	// fill in, which a rule lists as a to-do) rather than as no value;
	// used for values the plan schema requires.
	blank bool
}

// sheet is one sheet of the workbook. A fields sheet lists single
// values, one per row (Field, Value); a table sheet lists the items of
// an array, one per row.
type sheet struct {
	name  string
	about string
	// fields is set for a fields sheet: its rows.
	fields bool
	// list is the array whose items are the rows: an absolute JSON
	// pointer, or, when parent is set, a path inside each parent item.
	list string
	// parent is the array (absolute pointer) whose items own the rows;
	// parentKey is the field of a parent item that names it, shown in the
	// first column under parentHeader.
	parent, parentKey, parentHeader string
	cols                            []column
	// required: the plan schema requires the list, so a sheet without
	// rows reads as an empty list rather than as no list.
	required bool
}

// Names of the sheets.
const (
	sheetReadMe          = "Read me"
	sheetSubmission      = "Submission"
	sheetObjectives      = "Objectives"
	sheetActions         = "Actions"
	sheetKPIs            = "KPIs"
	sheetBAF             = "BAF opportunities"
	sheetDomains         = "Quality domains"
	sheetRisks           = "Risks"
	sheetPlanRisks       = "Plan-wide risks"
	sheetMETIPTotals     = "METIP totals"
	sheetMETIP           = "METIP"
	sheetBudget          = "Budget"
	sheetBudgetTotals    = "Budget totals"
	sheetRingFenced      = "Ring-fenced"
	sheetNETS            = "NETS"
	sheetProviders       = "Providers"
	sheetProviderActions = "Provider actions"
)

// riskColumns are the columns of a risk, to an objective or to the plan.
var riskColumns = []column{
	{header: "Description", field: "description", kind: kindText, width: 60},
	{header: "Likelihood", field: "likelihood", kind: kindInteger, width: 11},
	{header: "Impact", field: "impact", kind: kindInteger, width: 9},
	{header: "Mitigation", field: "mitigation", kind: kindText, width: 50},
	{header: "Owner", field: "owner", kind: kindText, width: 30},
}

// layout is the workbook, in sheet order. A sheet whose rows belong to a
// parent comes after the parent's sheet.
var layout = []sheet{
	{name: sheetSubmission, fields: true, about: "The plan's region, year and where it is in its approval cycle: one value per row.", cols: []column{
		{header: "Layout version", field: "/schema_version", kind: kindText},
		{header: "Region", field: "/region", kind: kindText},
		{header: "Financial year", field: "/financial_year", kind: kindText},
		{header: "Notes", field: "/notes", kind: kindText},
		{header: "Plan version", field: "/submission/version", kind: kindInteger},
		{header: "Status", field: "/submission/status", kind: kindText},
		{header: "Submitted on", field: "/submission/submitted_on", kind: kindDate, blank: true},
		{header: "Contact name", field: "/submission/contact/name", kind: kindText, blank: true},
		{header: "Contact email", field: "/submission/contact/email", kind: kindText, blank: true},
		{header: "Signed off by", field: "/submission/sign_off/name", kind: kindText},
		{header: "Signed off on", field: "/submission/sign_off/date", kind: kindDate},
	}},
	{name: sheetObjectives, list: "/objectives", required: true, about: "One row per business-plan objective the plan answers.", cols: []column{
		{header: "Objective", field: "id", kind: kindText, width: 11},
		{header: "Title", field: "title", kind: kindText, width: 70},
	}},
	{name: sheetActions, parent: "/objectives", parentKey: "id", parentHeader: "Objective", list: "actions", about: "One row per action: what the region will do for an objective, who owns it and when it is due.", cols: []column{
		{header: "Description", field: "description", kind: kindText, width: 70},
		{header: "Owner", field: "owner", kind: kindText, width: 30},
		{header: "Due", field: "due", kind: kindDate, width: 12},
		{header: "Improves", field: "improves", kind: kindList, width: 30},
	}},
	{name: sheetKPIs, parent: "/objectives", parentKey: "id", parentHeader: "Objective", list: "kpis", about: "One row per key performance indicator, with its baseline and its target for the plan year.", cols: []column{
		{header: "KPI", field: "id", kind: kindText, width: 10},
		{header: "Descriptor", field: "descriptor", kind: kindText, width: 60},
		{header: "Measure", field: "measure", kind: kindText, width: 13},
		{header: "Baseline", field: "baseline/value", kind: kindValue, width: 12},
		{header: "Baseline period", field: "baseline/period", kind: kindText, width: 10},
		{header: "Target", field: "target/value", kind: kindValue, width: 12},
		{header: "Target period", field: "target/period", kind: kindText, width: 10},
		{header: "Lead", field: "lead", kind: kindText, width: 25},
	}},
	{name: sheetBAF, parent: "/objectives", parentKey: "id", parentHeader: "Objective", list: "baf_opportunities", about: "One row per Board Assurance Framework opportunity an objective supports.", cols: []column{
		{header: "BAF opportunity", kind: kindInteger, width: 16},
	}},
	{name: sheetDomains, parent: "/objectives", parentKey: "id", parentHeader: "Objective", list: "quality_domains", about: "One row per HEE Quality Framework domain an objective contributes to.", cols: []column{
		{header: "Quality domain", kind: kindInteger, width: 16},
	}},
	{name: sheetRisks, parent: "/objectives", parentKey: "id", parentHeader: "Objective", list: "risks", about: "One row per risk to an objective, scored 1 to 5 for likelihood and impact.", cols: riskColumns},
	{name: sheetPlanRisks, list: "/risks", about: "One row per risk to the plan as a whole, naming the objectives it threatens.", cols: append(riskColumns[:len(riskColumns):len(riskColumns)],
		column{header: "Objectives", field: "objectives", kind: kindList, width: 20})},
	{name: sheetMETIPTotals, list: "/metip", required: true, about: "One row per METIP table, with the total of planned starts the plan declares for it.", cols: []column{
		{header: "Table", field: "table", kind: kindText, width: 30},
		{header: "Declared total", field: "declared_total", kind: kindInteger, width: 15},
		{header: "Published total", kind: kindReference, published: "total", width: 15},
	}},
	{name: sheetMETIP, parent: "/metip", parentKey: "table", parentHeader: "Table", list: "programmes", about: "One row per programme of a METIP table: the region's planned starts, beside the figure the national METIP publishes for the region.", cols: []column{
		{header: "Programme", field: "name", kind: kindText, width: 45},
		{header: "Planned starts", field: "planned_starts", kind: kindInteger, width: 15},
		{header: "Published", kind: kindReference, published: "programme", width: 11},
		{header: "Prior-year starts", field: "prior_year_starts", kind: kindInteger, width: 16},
		{header: "Variance explanation", field: "variance_explanation", kind: kindText, width: 60},
	}},
	{name: sheetBudget, list: "/budget/lines", required: true, about: "One row per budget line, in £ million.", cols: []column{
		{header: "Code", field: "code", kind: kindText, width: 9},
		{header: "Name", field: "name", kind: kindText, width: 50},
		{header: "Prior year", field: "prior_year", kind: kindMoney, blank: true, width: 14},
		{header: "Plan", field: "plan", kind: kindMoney, blank: true, width: 14},
		{header: "Change", field: "change", kind: kindMoney, width: 14},
		{header: "Change %", field: "change_pct", kind: kindPercent, width: 10},
		{header: "Variance explanation", field: "variance_explanation", kind: kindText, width: 60},
	}},
	{name: sheetBudgetTotals, fields: true, about: "The budget's allocation, declared total and basis: one value per row.", cols: []column{
		{header: "Unit", field: "/budget/unit", kind: kindText},
		{header: "Allocation", field: "/budget/allocation", kind: kindMoney, blank: true},
		{header: "Declared total", field: "/budget/declared_total", kind: kindMoney, blank: true},
		{header: "Basis", field: "/budget/basis", kind: kindText},
	}},
	{name: sheetRingFenced, list: "/budget/ring_fenced", required: true, about: "One row per ring-fenced amount within the budget, in £ million.", cols: []column{
		{header: "Purpose", field: "purpose", kind: kindText, width: 40},
		{header: "Amount", field: "amount", kind: kindMoney, blank: true, width: 14},
	}},
	{name: sheetNETS, fields: true, about: "The region's National Education and Training Survey results: one value per row.", cols: []column{
		{header: "Respondents", field: "/quality/nets/respondents", kind: kindInteger, blank: true},
		{header: "Overall satisfaction", field: "/quality/nets/overall_satisfaction_pct", kind: kindPercent},
		{header: "Supervision positive", field: "/quality/nets/supervision_positive_pct", kind: kindPercent},
		{header: "Placement positive", field: "/quality/nets/placement_positive_pct", kind: kindPercent},
	}},
	{name: sheetProviders, list: "/quality/providers", required: true, about: "One row per placement provider, with its intervention level and, when under intervention, its action plan.", cols: []column{
		{header: "Provider", field: "name", kind: kindText, width: 50},
		{header: "Learners", field: "learners", kind: kindInteger, width: 10},
		{header: "Intervention level", field: "intervention_level", kind: kindText, width: 18},
		{header: "Action plan owner", field: "action_plan/owner", kind: kindText, width: 25},
		{header: "Action plan due", field: "action_plan/due", kind: kindDate, width: 15},
	}},
	{name: sheetProviderActions, parent: "/quality/providers", parentKey: "name", parentHeader: "Provider", list: "action_plan/actions", about: "One row per action in a provider's action plan.", cols: []column{
		{header: "Action", kind: kindText, width: 90},
	}},
}
