package checker

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/planformat"
	"github.com/hee-rdp/rdpcheck/schemas"
)

// SchemaRule is the rule id of findings that come from the plan schema.
const SchemaRule = "SCHEMA"

// schemaStandard is the standard field of schema findings.
const schemaStandard = "rdpcheck plan format rdp/v1 (schemas/plan.schema.json)"

// checkReferenceData validates data.reference, after any --data files
// are merged over it, against schemas/reference.schema.json: a mistyped
// override must stop the run, not quietly switch rules off.
func checkReferenceData(data map[string]any) error {
	s, err := compileSchema(schemas.Reference)
	if err != nil {
		return err
	}
	ref, ok := data["reference"]
	if !ok {
		return errors.New("the reference data (data.reference) is missing")
	}
	err = s.Validate(ref)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	errs := newErrors()
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		for _, c := range e.Causes {
			walk(c)
		}
		if len(e.Causes) == 0 {
			errs.Errors = append(errs.Errors, fmt.Errorf("%s: %s", readablePath(nil, "/reference"+e.InstanceLocation), e.Message))
		}
	}
	walk(ve)
	return fmt.Errorf("the reference data is not usable (check your --data files):\n%w", errs)
}

// schemaRule documents the schema check alongside the policy rules.
var schemaRule = Rule{
	ID:       SchemaRule,
	Title:    schemaTitle,
	Severity: SeverityError,
	Description: "The plan has the shape of the rdp/v1 format: only known keys, the required keys present, " +
		"values of the right type, enums and ranges respected, real dates in YYYY-MM-DD form, and money in " +
		"£ million with at most three decimal places. The policies can only judge a plan that has this shape.",
	Standard:    schemaStandard,
	Remediation: "Correct the key or value at the line given; the message names what the format expects. Each key is described in schemas/plan.schema.json.",
	Details:     "The format is schemas/plan.schema.json (JSON Schema draft 2020-12); docs/plan-format.md describes every field. Messages name the place in the plan in words and keep the JSON pointer in the finding's path.",
	Objectives:  []string{PlanWide, EveryObjective},
	Sections:    []string{EverySection},
	Package:     "schemas",
	Location:    "schemas/plan.schema.json",
}

const schemaTitle = "Plan follows the rdp/v1 format"

// compileSchema compiles an embedded JSON Schema (draft 2020-12), with
// formats such as date and email asserted rather than only annotated.
func compileSchema(name string) (*jsonschema.Schema, error) {
	f, err := schemas.FS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	defer f.Close()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	url := "embedded:///" + name
	if err := c.AddResource(url, f); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	return s, nil
}

var quoted = regexp.MustCompile(`'((?:[^']|'')*)'`)

// schemaFindings validates a plan and turns each fault into one finding,
// worded for the planner: where in the plan (budget line ADMIN, plan),
// what is wrong with the value, and how to write it. The finding's path
// keeps the JSON pointer for tools.
func schemaFindings(s *jsonschema.Schema, value any) []Finding {
	err := s.Validate(value)
	var ve *jsonschema.ValidationError
	if err == nil || !errors.As(err, &ve) {
		if err != nil {
			return []Finding{{Rule: SchemaRule, Severity: SeverityError, Objective: PlanWide, Message: err.Error(), Standard: schemaStandard}}
		}
		return nil
	}
	// One fault can fail several keywords (a date in the wrong form
	// fails both its pattern and its format): keep one error per place,
	// the one that says most.
	best := map[string]*jsonschema.ValidationError{}
	var order []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		key := e.InstanceLocation + "\x00" + keywordGroup(e)
		if old, ok := best[key]; !ok {
			order = append(order, key)
			best[key] = e
		} else if keywordRank(e) > keywordRank(old) {
			best[key] = e
		}
	}
	walk(ve)
	var out []Finding
	for _, key := range order {
		e := best[key]
		for _, f := range describeSchemaError(value, e) {
			out = append(out, Finding{
				Rule: SchemaRule, Severity: SeverityError, Objective: objectiveAt(value, f.path),
				Path: f.path, Message: f.msg, Title: schemaTitle, Standard: schemaStandard,
			})
		}
	}
	return out
}

// keyword is the schema keyword a validation error comes from.
func keyword(e *jsonschema.ValidationError) string {
	loc := e.KeywordLocation
	return loc[strings.LastIndex(loc, "/")+1:]
}

// keywordGroup separates errors that name fields of an object (missing
// or unknown keys, each its own fault) from errors about the value.
func keywordGroup(e *jsonschema.ValidationError) string {
	switch k := keyword(e); k {
	case "required", "additionalProperties":
		return k
	}
	return "value"
}

// keywordRank orders the errors about one value: the most telling wins.
func keywordRank(e *jsonschema.ValidationError) int {
	switch keyword(e) {
	case "type":
		return 5
	case "enum", "const":
		return 4
	case "pattern":
		return 3 // says the form; a bad date's format error only says "not valid"
	case "format":
		return 2
	}
	return 1
}

type pathMessage struct{ path, msg string }

// describeSchemaError words one validation error for the planner.
func describeSchemaError(plan any, e *jsonschema.ValidationError) []pathMessage {
	at := e.InstanceLocation
	where := planformat.Where(plan, at)
	node, _ := planformat.At(at)
	v, _ := document.Lookup(plan, at)
	one := func(msg string) []pathMessage { return []pathMessage{{at, msg}} }
	switch keyword(e) {
	case "additionalProperties":
		var out []pathMessage
		for _, m := range quoted.FindAllStringSubmatch(e.Message, -1) {
			msg := fmt.Sprintf("%s has a field %q that the plan format does not have", where, m[1])
			if c := planformat.Closest(m[1], node.Properties()); c != "" {
				msg += fmt.Sprintf("; did you mean %q? Rename it", c)
			} else {
				msg += fmt.Sprintf("; check its spelling (the fields here are %s) or remove it", orList(quoteAll(node.Properties())))
			}
			out = append(out, pathMessage{at + "/" + document.EscapePointerToken(m[1]), msg})
		}
		return out
	case "required":
		var out []pathMessage
		for _, m := range quoted.FindAllStringSubmatch(e.Message, -1) {
			msg := fmt.Sprintf("%s has no %q; add it", where, m[1])
			if f, ok := node.Child(m[1]); ok && f.Description() != "" {
				msg = fmt.Sprintf("%s has no %q (%s); add it", where, m[1], strings.TrimSuffix(lowerSentence(f.Description()), "."))
			}
			out = append(out, pathMessage{at + "/" + document.EscapePointerToken(m[1]), msg})
		}
		return out
	case "type":
		return one(typeMessage(where, node, v))
	case "enum", "const":
		allowed := node.Allowed()
		msg := fmt.Sprintf("%s is %s, which is not allowed: write %s", where, shown(v), orList(allowed))
		if len(allowed) == 1 {
			msg = fmt.Sprintf("%s is %s, but it must be %s", where, shown(v), allowed[0])
		}
		if s, ok := v.(string); ok {
			if c := planformat.Closest(s, allowed); c != "" && len(allowed) > 1 {
				msg += fmt.Sprintf("; did you mean %s?", c)
			}
		}
		return one(msg)
	case "pattern", "format":
		return one(formMessage(where, node, v, keyword(e)))
	case "multipleOf":
		return one(fmt.Sprintf("%s is %s, which has more than three decimal places; money is in £ million to the nearest £1,000, so round it to three decimal places (%s)", where, shown(v), roundedMoney(v)))
	case "minimum", "exclusiveMinimum":
		lo, _ := node.Bounds()
		return one(fmt.Sprintf("%s is %s, below the lowest allowed value of %s%s", where, shown(v), bound(lo), unitSuffix(node)))
	case "maximum", "exclusiveMaximum":
		_, hi := node.Bounds()
		return one(fmt.Sprintf("%s is %s, above the highest allowed value of %s%s", where, shown(v), bound(hi), unitSuffix(node)))
	case "minLength":
		return one(fmt.Sprintf("%s is blank; fill it in", where))
	case "minItems":
		return one(fmt.Sprintf("%s is an empty list; add at least one entry", where))
	case "uniqueItems":
		return one(fmt.Sprintf("%s lists the same value more than once; remove the repeat", where))
	}
	return one(fmt.Sprintf("%s: %s", where, e.Message))
}

// typeMessage says what kind of value was expected, and, when the value
// is a number written as text ("£238.1m", "1,180", "85%"), how to write it.
func typeMessage(where string, node planformat.Node, v any) string {
	want := kindWords(node)
	if v == nil {
		return fmt.Sprintf("%s is blank; fill in %s", where, want)
	}
	msg := fmt.Sprintf("%s is %s, but it must be %s", where, shown(v), want)
	if s, ok := v.(string); ok {
		if hint := numberHint(s, node); hint != "" {
			msg += "; " + hint
		}
	}
	return msg
}

// kindWords describes the kind of value a node holds, with its unit.
func kindWords(node planformat.Node) string {
	types := node.Types()
	has := func(t string) bool { return slices.Contains(types, t) }
	switch {
	case node.Def == "money":
		return "an amount in £ million written as a plain number"
	case node.Def == "percent":
		return "a percentage from 0 to 100 written as a plain number"
	case has("integer") && node.Unit() == "people":
		return "a whole number of people"
	case has("integer"):
		lo, hi := node.Bounds()
		if lo != nil && hi != nil {
			return fmt.Sprintf("a whole number from %s to %s", bound(lo), bound(hi))
		}
		return "a whole number"
	case has("number") && has("string"):
		return "a number or a sentence"
	case has("number"):
		return "a number"
	case has("string"):
		return "text"
	case has("array"):
		return "a list"
	case has("object"):
		return "a group of fields (" + orList(quoteAll(node.Properties())) + ")"
	}
	return strings.Join(types, " or ")
}

// numberHint reads a number written as text with a pound sign, an "m",
// thousands commas or a per cent sign, and says how to write it.
func numberHint(s string, node planformat.Node) string {
	t := strings.TrimSpace(s)
	pounds := strings.HasPrefix(t, "£")
	t = strings.TrimSpace(strings.TrimPrefix(t, "£"))
	millions := false
	for _, suffix := range []string{"million", "mn", "m", "M"} {
		if strings.HasSuffix(t, suffix) {
			t, millions = strings.TrimSpace(strings.TrimSuffix(t, suffix)), true
			break
		}
	}
	percent := strings.HasSuffix(t, "%")
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	commas := strings.Contains(t, ",")
	t = strings.ReplaceAll(t, ",", "")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return ""
	}
	plain := strconv.FormatFloat(f, 'f', -1, 64)
	switch {
	case (pounds || millions) && node.Def == "money":
		if pounds && !millions && f >= 100000 { // £238,100,000: pounds, not millions
			return fmt.Sprintf("amounts are in £ million, so write %s as a plain number: %s", s, strconv.FormatFloat(f/1e6, 'f', -1, 64))
		}
		return "write the amount in £ million as a plain number: " + plain
	case percent:
		return "write the percentage as a plain number, without the % sign: " + plain
	case commas:
		return "write the number without commas: " + plain
	case pounds || millions:
		return "write it as a plain number: " + plain
	}
	return "write it as a plain number, without quotes: " + plain
}

// formMessage explains a text value that is not in the required form,
// from the schema's words for the form (never the pattern itself).
func formMessage(where string, node planformat.Node, v any, kw string) string {
	s, _ := v.(string)
	if node.Def == "date" {
		if re := node.Pattern(); re != nil && re.MatchString(s) {
			return fmt.Sprintf("%s is %s, which is not a real date%s", where, shown(v), dateProblem(s))
		}
		msg := fmt.Sprintf("%s is %s, but it must be %s", where, shown(v), node.PatternWords())
		if iso := isoDate(s); iso != "" {
			msg += "; write it as " + iso
		}
		return msg
	}
	words := node.PatternWords()
	if words == "" {
		words = "in the form the plan format describes"
	}
	msg := fmt.Sprintf("%s is %s, but it must be written in %s", where, shown(v), words)
	if re := node.Pattern(); re != nil {
		for _, try := range []string{strings.ToUpper(strings.TrimSpace(s)), strings.ToUpper(strings.Join(strings.Fields(s), "-"))} {
			if re.MatchString(try) {
				msg += fmt.Sprintf("; did you mean %s?", try)
				break
			}
		}
	}
	return msg
}

// dateProblem says what is impossible in a date of the form YYYY-MM-DD.
func dateProblem(s string) string {
	y, _ := strconv.Atoi(s[0:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:10])
	if m < 1 || m > 12 {
		return fmt.Sprintf(": there is no month %d; the month comes second, after the year", m)
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > last {
		return fmt.Sprintf(": %s %d has %d days", time.Month(m), y, last)
	}
	return ""
}

// isoDate rewrites the dates planners commonly type (31/03/2023,
// 31.03.2023, 31 March 2023, 31 Mar 2023) as YYYY-MM-DD, or "".
func isoDate(s string) string {
	for _, layout := range []string{"02/01/2006", "2/1/2006", "02.01.2006", "2 January 2006", "2 Jan 2006", "January 2 2006", "2006/01/02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return ""
}

// shown quotes text and prints numbers as they are written.
func shown(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	if v == nil {
		return "blank"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func roundedMoney(v any) string {
	f, _ := v.(float64)
	return strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64)
}

func bound(f *float64) string {
	if f == nil {
		return "?"
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func unitSuffix(node planformat.Node) string {
	switch u := node.Unit(); u {
	case "%":
		return "%"
	case "":
		return ""
	default:
		return " " + u
	}
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strconv.Quote(s)
	}
	return out
}

// orList joins values as "a, b or c".
func orList(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}

// lowerSentence lowers the first letter of a sentence, unless it starts
// an acronym.
func lowerSentence(s string) string {
	if len(s) > 1 && s[1] >= 'a' && s[1] <= 'z' {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// readablePath renders a JSON pointer for people: /objectives/3/kpis/0
// becomes objectives[FW3].kpis[0] (objectives by id, other lists by
// index from 0); the root is "the plan".
func readablePath(value any, pointer string) string {
	if pointer == "" {
		return "the plan"
	}
	var b strings.Builder
	for i, seg := range document.SplitPointer(pointer) {
		if _, err := strconv.Atoi(seg); err == nil {
			if id := objectiveAt(value, pointer); i == 1 && id != PlanWide {
				seg = id
			}
			fmt.Fprintf(&b, "[%s]", seg)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

// objectiveAt names the objective a path lies under (/objectives/N/...),
// or "plan" for anything else.
func objectiveAt(value any, pointer string) string {
	seg := document.SplitPointer(pointer)
	if len(seg) < 2 || seg[0] != "objectives" {
		return PlanWide
	}
	i, err := strconv.Atoi(seg[1])
	root, _ := value.(map[string]any)
	list, _ := root["objectives"].([]any)
	if err != nil || i < 0 || i >= len(list) {
		return PlanWide
	}
	o, _ := list[i].(map[string]any)
	if id, ok := o["id"].(string); ok && id != "" {
		return id
	}
	return PlanWide
}
