package checker

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hee-rdp/rdpcheck/checker/document"
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

// schemaFindings validates a plan and turns each leaf validation error
// into a finding, worded for the person editing the plan.
func schemaFindings(s *jsonschema.Schema, value any) []Finding {
	err := s.Validate(value)
	var ve *jsonschema.ValidationError
	if err == nil || !errors.As(err, &ve) {
		if err != nil {
			return []Finding{{Rule: SchemaRule, Severity: SeverityError, Objective: PlanWide, Message: err.Error(), Standard: schemaStandard}}
		}
		return nil
	}
	var out []Finding
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		add := func(path, msg string) {
			out = append(out, Finding{
				Rule: SchemaRule, Severity: SeverityError, Objective: objectiveAt(value, path),
				Path: path, Message: msg, Title: schemaTitle, Standard: schemaStandard,
			})
		}
		where := readablePath(value, e.InstanceLocation)
		switch {
		case strings.HasPrefix(e.Message, "additionalProperties "):
			for _, m := range quoted.FindAllStringSubmatch(e.Message, -1) {
				add(e.InstanceLocation+"/"+document.EscapePointerToken(m[1]),
					fmt.Sprintf("unknown key %q in %s; check the spelling against the plan format or remove it", m[1], where))
			}
		case strings.HasPrefix(e.Message, "missing properties: "):
			for _, m := range quoted.FindAllStringSubmatch(e.Message, -1) {
				add(e.InstanceLocation+"/"+document.EscapePointerToken(m[1]), fmt.Sprintf("%s is missing the required key %q", where, m[1]))
			}
		case strings.Contains(e.Message, "not multipleOf 0.001"):
			add(e.InstanceLocation, fmt.Sprintf("%s: %s has more than three decimal places; money is in £ million to the nearest £1,000 (0.001)", where, valueText(value, e.InstanceLocation)))
		case strings.HasPrefix(e.Message, "value must be "):
			add(e.InstanceLocation, fmt.Sprintf("%s is %s, but the %s", where, valueText(value, e.InstanceLocation), e.Message))
		case strings.HasSuffix(e.Message, "is not valid 'date'"):
			add(e.InstanceLocation, fmt.Sprintf("%s: %s is not a real date; write it as YYYY-MM-DD", where, strings.TrimSuffix(e.Message, " is not valid 'date'")))
		default:
			add(e.InstanceLocation, fmt.Sprintf("%s: %s", where, e.Message))
		}
	}
	walk(ve)
	return out
}

// valueText shows the value at a pointer as it would appear in JSON.
func valueText(value any, pointer string) string {
	v := value
	for _, seg := range document.SplitPointer(pointer) {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return "missing"
			}
			v = x[i]
		default:
			return "missing"
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
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
