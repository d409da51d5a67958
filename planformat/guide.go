package planformat

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Section is one part of the plan: the header fields, the submission,
// the objectives, the METIP tables, the budget, quality or risks.
type Section struct {
	// Key is the section's key at the top of the plan ("" for the header
	// fields, which sit at the top level themselves).
	Key string
	// Title and Description say what the section is, in words.
	Title, Description string
	// Fields lists every field of the section, nested ones included, in
	// the order of the format.
	Fields []Field
	// Example is a short example of the section in YAML, or "".
	Example string
}

// Field is one field of the plan.
type Field struct {
	// Path is where the field sits within its section, with [] for each
	// entry of a list: lines[].code.
	Path string
	// Title is the field's short name; Meaning what it holds.
	Title, Meaning string
	// Type is the kind of value in words: text, number, whole number,
	// date, list, group of fields.
	Type string
	// Allowed lists the only values the field accepts, if it is limited.
	Allowed []string
	// Form describes in words the form a text value must take.
	Form string
	// Unit is the unit of a number (£ million, %, people), or "".
	Unit string
	// Min and Max bound a number, when the format bounds it.
	Min, Max *float64
	// Required is true when the field must be present wherever its
	// parent is.
	Required bool
	// MaxItems is the most entries a list may hold, or 0 for no bound.
	MaxItems int
}

// Guide describes every section and field of the plan format. When
// example (a plan document, as decoded from YAML or JSON) is given, each
// section carries a short example taken from it: the first entry of
// each list and, where a list has more, a comment saying so.
func Guide(example any) ([]Section, error) {
	rootNode, err := Root()
	if err != nil {
		return nil, err
	}
	header := Section{Title: "Plan header", Description: "The fields at the top of the plan that say whose plan it is and for which year."}
	var sections []Section
	required := set(rootNode.Required())
	headerExample := map[string]any{}
	var headerKeys []string
	for _, key := range rootNode.Properties() {
		child, _ := rootNode.Child(key)
		if !isContainer(child) {
			header.Fields = append(header.Fields, describe(key, child, required[key]))
			if v, ok := field(example, key).(any); ok && v != nil {
				headerExample[key] = v
				headerKeys = append(headerKeys, key)
			}
			continue
		}
		s := Section{Key: key, Title: child.Title(), Description: child.Description()}
		s.Fields = append(s.Fields, describe(key, child, required[key]))
		s.Fields = append(s.Fields, fieldsOf(key, child)...)
		if v := field(example, key); v != nil {
			s.Example = render(rootNode, map[string]any{key: v}, []string{key})
		}
		sections = append(sections, s)
	}
	if len(headerKeys) > 0 {
		header.Example = render(rootNode, headerExample, headerKeys)
	}
	return append([]Section{header}, sections...), nil
}

func isContainer(n Node) bool {
	t := n.Types()
	return len(t) == 1 && (t[0] == "object" || t[0] == "array")
}

func set(list []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range list {
		m[s] = true
	}
	return m
}

// fieldsOf lists the fields under an object or a list's entries.
func fieldsOf(path string, n Node) []Field {
	if items, ok := n.def["items"].(map[string]any); ok {
		it := node(items)
		if isContainer(it) {
			return fieldsOf(path+"[]", it)
		}
		return nil
	}
	var out []Field
	req := set(n.Required())
	for _, key := range n.Properties() {
		child, _ := n.Child(key)
		p := path + "." + key
		out = append(out, describe(p, child, req[key]))
		if isContainer(child) {
			out = append(out, fieldsOf(p, child)...)
		}
	}
	return out
}

func describe(path string, n Node, required bool) Field {
	f := Field{Path: path, Title: n.Title(), Meaning: n.Description(), Type: typeWords(n),
		Allowed: n.Allowed(), Form: n.PatternWords(), Unit: n.Unit(), Required: required}
	f.Min, f.Max = n.Bounds()
	f.MaxItems, _ = n.MaxItems()
	if items, ok := n.def["items"].(map[string]any); ok && !isContainer(node(items)) {
		it := node(items)
		f.Allowed = it.Allowed()
		f.Min, f.Max = it.Bounds()
		f.Type = "list of " + typeWords(it)
	}
	return f
}

// typeNames names the JSON types in a planner's words.
var typeNames = map[string]string{
	"string": "text", "number": "number", "integer": "whole number",
	"array": "list", "object": "group of fields", "boolean": "yes or no",
}

// typeWords names a node's kind of value for a planner.
func typeWords(n Node) string {
	if n.Def == "date" {
		return "date"
	}
	var words []string
	for _, t := range n.Types() {
		if w, ok := typeNames[t]; ok {
			words = append(words, w)
		}
	}
	return strings.Join(words, " or ")
}

// render writes a value as YAML in the format's key order, keeping only
// the first entry of each list.
func render(n Node, v map[string]any, keys []string) string {
	var b bytes.Buffer
	writeObject(&b, n, v, keys, 0)
	return b.String()
}

func writeObject(b *bytes.Buffer, n Node, m map[string]any, keys []string, indent int) {
	pad := strings.Repeat(" ", indent)
	first := true
	for _, k := range keys {
		v, ok := m[k]
		if !ok {
			continue
		}
		child, _ := n.Child(k)
		lead := pad
		if first && indent > 0 && b.Len() > 0 && bytes.HasSuffix(b.Bytes(), []byte("- ")) {
			lead = ""
		}
		first = false
		writeValue(b, lead+k+":", child, v, indent)
	}
}

func writeValue(b *bytes.Buffer, prefix string, n Node, v any, indent int) {
	pad := strings.Repeat(" ", indent)
	switch x := v.(type) {
	case map[string]any:
		b.WriteString(prefix + "\n")
		writeObject(b, n, x, orderedKeys(n, x), indent+2)
	case []any:
		if len(x) == 0 {
			b.WriteString(prefix + " []\n")
			return
		}
		items, _ := n.Child("")
		if _, isObj := x[0].(map[string]any); !isObj {
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = scalar(e)
			}
			b.WriteString(prefix + " [" + strings.Join(parts, ", ") + "]\n")
			return
		}
		b.WriteString(prefix + "\n")
		b.WriteString(pad + "  - ")
		writeObject(b, items, x[0].(map[string]any), orderedKeys(items, x[0].(map[string]any)), indent+4)
		if len(x) > 1 {
			fmt.Fprintf(b, "%s  # … %d more\n", pad, len(x)-1)
		}
	default:
		b.WriteString(prefix + " " + scalar(v) + "\n")
	}
}

// orderedKeys lists a value's keys in the format's order.
func orderedKeys(n Node, m map[string]any) []string {
	var keys []string
	for _, k := range n.Properties() {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// scalar writes one value as YAML would, shortening long text.
func scalar(v any) string {
	if s, ok := v.(string); ok {
		if r := []rune(s); len(r) > 72 {
			s = string(r[:70]) + " …"
		}
		out, err := yaml.Marshal(s)
		if err != nil {
			return strconv.Quote(s)
		}
		return strings.TrimSuffix(string(out), "\n")
	}
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
