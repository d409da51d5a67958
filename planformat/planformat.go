// Package planformat holds the description of the rdp/v1 plan format,
// read from schemas/plan.schema.json: what each section and field means,
// its type, allowed values and unit. The schema is its one source; the
// format guide (docs/plan-format.md), the planner-facing wording of
// schema findings and the workbook's read-me sheet are all built from it.
package planformat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/hee-rdp/rdpcheck/schemas"
)

// Node is one place in the plan schema, with any $ref followed. Title
// and Description come from the place itself when it has them (a
// property's own wording), or else from the definition it refers to.
type Node struct {
	own, def map[string]any
	// Def names the schema definition ($defs) the node refers to, such
	// as money, percent, count, score or date; empty for inline schemas.
	// A definition that also accepts a blank (moneyOrBlank, dateOrBlank)
	// is named for the kind of value it holds (money, date).
	Def string
}

var (
	loadOnce sync.Once
	root     map[string]any
	loadErr  error
)

func schema() (map[string]any, error) {
	loadOnce.Do(func() {
		b, err := schemas.FS.ReadFile(schemas.Plan)
		if err == nil {
			var v any
			v, err = decodeOrdered(json.NewDecoder(bytes.NewReader(b)))
			root, _ = v.(map[string]any)
		}
		if err != nil {
			loadErr = fmt.Errorf("reading %s: %w", schemas.Plan, err)
		}
	})
	return root, loadErr
}

// Root is the node of the whole plan.
func Root() (Node, error) {
	r, err := schema()
	if err != nil {
		return Node{}, err
	}
	return node(r), nil
}

// node wraps a raw schema object, following its $ref (local refs only).
func node(raw map[string]any) Node {
	n := Node{own: raw, def: raw}
	for i := 0; i < 8; i++ { // bounded: the schema's refs are one level deep
		ref, ok := n.def["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#/$defs/") {
			break
		}
		name := strings.TrimPrefix(ref, "#/$defs/")
		defs, _ := root["$defs"].(map[string]any)
		d, ok := defs[name].(map[string]any)
		if !ok {
			break
		}
		n.def, n.Def = d, strings.TrimSuffix(name, "OrBlank")
	}
	return n
}

// At finds the node for a JSON pointer into a plan (array indexes step
// into items); ok is false when the pointer leaves the schema.
func At(pointer string) (Node, bool) {
	n, err := Root()
	if err != nil {
		return Node{}, false
	}
	for _, seg := range splitPointer(pointer) {
		var ok bool
		if n, ok = n.Child(seg); !ok {
			return Node{}, false
		}
	}
	return n, true
}

// Child steps into a property (by name) or, for an array, into its items
// (any segment).
func (n Node) Child(seg string) (Node, bool) {
	if items, ok := n.def["items"].(map[string]any); ok {
		return node(items), true
	}
	props, _ := n.def["properties"].(map[string]any)
	p, ok := props[seg].(map[string]any)
	if !ok {
		return Node{}, false
	}
	return node(p), true
}

func (n Node) text(key string) string {
	if s, ok := n.own[key].(string); ok {
		return s
	}
	s, _ := n.def[key].(string)
	return s
}

// Title is the node's short name, e.g. "Planned starts".
func (n Node) Title() string { return n.text("title") }

// Description says what the node means, in the planner's terms.
func (n Node) Description() string { return n.text("description") }

// Label is the title as it reads inside a sentence: "planned starts",
// but "KPI id" and "NETS results" keep their capitals.
func (n Node) Label() string { return lowerFirst(n.Title()) }

// ItemLabel is how one entry of this array is named, given what
// identifies it: "budget line ADMIN", "METIP clinical table". The
// items' x-label, when present, is a template with {} for the id.
func (n Node) ItemLabel(id string) string {
	items, ok := n.Child("")
	if !ok {
		return id
	}
	if tmpl, ok := items.def["x-label"].(string); ok && id != "" {
		return strings.ReplaceAll(tmpl, "{}", id)
	}
	title := items.Label()
	if title == "" {
		title = "entry"
	}
	if id == "" {
		return title
	}
	return title + " " + id
}

// Types lists the JSON types the node accepts (number, integer, string,
// array, object, boolean).
func (n Node) Types() []string {
	switch t := n.def["type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	if _, ok := n.def["const"]; ok {
		return []string{"string"}
	}
	return nil
}

// Allowed lists the values an enumeration or constant accepts, as text.
func (n Node) Allowed() []string {
	if c, ok := n.def["const"]; ok {
		return []string{fmt.Sprint(c)}
	}
	list, _ := n.def["enum"].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// ValueWords names an enumerated value in words (x-value-words), e.g.
// the METIP table clinical_non_commissioned is "clinical".
func (n Node) ValueWords(v string) string {
	m, _ := n.def["x-value-words"].(map[string]any)
	if s, ok := m[v].(string); ok {
		return s
	}
	return v
}

// PatternWords describes in words the form a text value must take
// (x-pattern-words), so that no message shows a regular expression.
func (n Node) PatternWords() string {
	s, _ := n.def["x-pattern-words"].(string)
	return s
}

// Pattern is the compiled pattern a text value must match, or nil.
func (n Node) Pattern() *regexp.Regexp {
	s, _ := n.def["pattern"].(string)
	if s == "" {
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil
	}
	return re
}

// Unit is the unit of a number, in words: "£ million", "%", "people".
func (n Node) Unit() string {
	if s, ok := n.own["x-unit"].(string); ok {
		return s
	}
	s, _ := n.def["x-unit"].(string)
	return s
}

// Bounds gives the smallest and largest values allowed, when set.
func (n Node) Bounds() (min, max *float64) {
	get := func(k string) *float64 {
		for _, m := range []map[string]any{n.own, n.def} {
			if f, ok := m[k].(float64); ok {
				return &f
			}
		}
		return nil
	}
	return get("minimum"), get("maximum")
}

// MaxItems is the most entries a list may hold (the schema's maxItems);
// ok is false when the node sets no bound.
func (n Node) MaxItems() (max int, ok bool) {
	for _, m := range []map[string]any{n.own, n.def} {
		if f, found := m["maxItems"].(float64); found {
			return int(f), true
		}
	}
	return 0, false
}

// Required lists the properties an object must have.
func (n Node) Required() []string {
	list, _ := n.def["required"].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// Properties lists an object's property names in schema order.
func (n Node) Properties() []string {
	return propertyOrder(n.def)
}

// Identity is the field that names one entry of a list of objects: id,
// code, table or name, in that order of preference.
var Identity = []string{"id", "code", "table", "name"}

func lowerFirst(s string) string {
	if len(s) < 2 {
		return strings.ToLower(s)
	}
	if s[1] >= 'A' && s[1] <= 'Z' { // an acronym: KPI, NETS, METIP, BAF
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// splitPointer splits a JSON pointer into its unescaped segments.
func splitPointer(p string) []string {
	if p == "" {
		return nil
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return segs
}

// isIndex reports whether a pointer segment is an array index.
func isIndex(seg string) bool {
	_, err := strconv.Atoi(seg)
	return err == nil
}

// keysField holds, in each decoded schema object, its keys in file order.
const keysField = "\x00keys"

func propertyOrder(def map[string]any) []string {
	props, _ := def["properties"].(map[string]any)
	keys, _ := props[keysField].([]string)
	return keys
}

// decodeOrdered decodes JSON like json.Unmarshal into map[string]any,
// but remembers each object's keys in order under keysField.
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			var keys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				m[k] = v
				keys = append(keys, k)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			m[keysField] = keys
			return m, nil
		case '[':
			var list []any
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return list, nil
		}
	}
	return tok, nil
}

// Where names a place in a plan in the planner's terms, from a JSON
// pointer: /budget/lines/0/plan is "budget line ADMIN, plan" and
// /objectives/3/kpis/4/target is "objective FW1, KPI FW1-05, target".
// Entries of a list are named by their id, code, table or name, or else
// by their position counted from 1. The root is "the plan".
func Where(plan any, pointer string) string {
	n, err := Root()
	if err != nil || pointer == "" {
		return "the plan"
	}
	segs := splitPointer(pointer)
	var parts []string
	v := plan
	for i, seg := range segs {
		child, ok := n.Child(seg)
		if !ok {
			parts = append(parts, strings.ReplaceAll(seg, "_", " "))
			n, v = Node{}, nil
			continue
		}
		list, isList := v.([]any)
		switch {
		case isList && isIndex(seg):
			k, _ := strconv.Atoi(seg)
			var elem any
			if k >= 0 && k < len(list) {
				elem = list[k]
			}
			label := n.ItemLabel(identify(child, elem, k))
			// "budget, budget line ADMIN" reads as "budget line ADMIN"
			if len(parts) > 0 && strings.HasPrefix(strings.ToLower(label), strings.ToLower(parts[len(parts)-1])) {
				parts = parts[:len(parts)-1]
			}
			parts = append(parts, label)
			v = elem
		case i+1 < len(segs) && isIndex(segs[i+1]) && child.def["items"] != nil:
			// a list: its entries name themselves
			v = field(v, seg)
		default:
			if l := child.Label(); l != "" {
				parts = append(parts, l)
			} else {
				parts = append(parts, strings.ReplaceAll(seg, "_", " "))
			}
			v = field(v, seg)
		}
		n = child
	}
	return strings.Join(parts, ", ")
}

func field(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}

// identify names one list entry by its identity field (in words, when
// the schema has words for the value), or by its position from 1.
func identify(items Node, elem any, index int) string {
	if m, ok := elem.(map[string]any); ok {
		for _, k := range Identity {
			if s, ok := m[k].(string); ok && strings.TrimSpace(s) != "" {
				if f, ok := items.Child(k); ok {
					return f.ValueWords(s)
				}
				return s
			}
		}
	}
	return strconv.Itoa(index + 1)
}

// Closest returns the option nearest to s: the same apart from case or
// spacing, or else within a few typing slips (edit distance at most a
// third of the option's length, and at least one). It returns "" when
// nothing is close enough to suggest.
func Closest(s string, options []string) string {
	norm := func(x string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(x), func(r rune) bool {
			return r == ' ' || r == '_' || r == '-'
		}), "")
	}
	best, bestD := "", -1
	for _, o := range options {
		if norm(o) == norm(s) {
			return o
		}
		d := editDistance(strings.ToLower(s), strings.ToLower(o))
		limit := len([]rune(o)) / 3
		if limit < 1 {
			limit = 1
		}
		if d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = o, d
		}
	}
	return best
}

// editDistance counts the typing slips between a and b, in runes: a
// letter added, dropped, changed, or two neighbours swapped (the
// optimal string alignment distance).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
