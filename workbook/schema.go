package workbook

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/hee-rdp/rdpcheck/schemas"
)

// schemaNode is the part of a JSON Schema node the workbook uses: its
// description for the read-me sheet and its allowed values for
// drop-down lists and range checks.
type schemaNode struct {
	Ref         string                 `json:"$ref"`
	Title       string                 `json:"title"`
	Description string                 `json:"description"`
	Type        any                    `json:"type"`
	Enum        []any                  `json:"enum"`
	Const       any                    `json:"const"`
	Minimum     *float64               `json:"minimum"`
	Maximum     *float64               `json:"maximum"`
	Properties  map[string]*schemaNode `json:"properties"`
	Items       *schemaNode            `json:"items"`
	Defs        map[string]*schemaNode `json:"$defs"`
}

var (
	planSchemaOnce sync.Once
	planSchema     *schemaNode
	planSchemaErr  error
)

// loadSchema reads the embedded plan schema once.
func loadSchema() (*schemaNode, error) {
	planSchemaOnce.Do(func() {
		data, err := schemas.FS.ReadFile(schemas.Plan)
		if err != nil {
			planSchemaErr = fmt.Errorf("reading the plan schema: %w", err)
			return
		}
		planSchema = &schemaNode{}
		if err := json.Unmarshal(data, planSchema); err != nil {
			planSchemaErr = fmt.Errorf("reading the plan schema: %w", err)
		}
	})
	return planSchema, planSchemaErr
}

// resolve follows a local $ref ("#/$defs/name").
func (root *schemaNode) resolve(n *schemaNode) *schemaNode {
	for i := 0; n != nil && n.Ref != "" && i < 8; i++ {
		name, ok := strings.CutPrefix(n.Ref, "#/$defs/")
		if !ok {
			return n
		}
		n = root.Defs[name]
	}
	return n
}

// fieldInfo is what the schema says about one field.
type fieldInfo struct {
	description string
	allowed     []string // enumerated values, for a drop-down list
	min, max    *float64 // bounds of a whole number, for a range check
}

// describe finds a field in the schema by a path of property names, in
// which "*" steps into the items of an array, and returns its
// description and allowed values. The description is the nearest one
// met on the way (a property's own, or that of the definition it refers
// to).
func describe(path []string) fieldInfo {
	root, err := loadSchema()
	if err != nil || root == nil {
		return fieldInfo{}
	}
	n := root
	inherited := ""
	for _, seg := range path {
		if n.Description != "" {
			inherited = n.Description
		}
		if r := root.resolve(n); r != nil {
			n = r
		} else {
			return fieldInfo{}
		}
		if seg == "*" {
			n = n.Items
		} else {
			n = n.Properties[seg]
		}
		if n == nil {
			return fieldInfo{description: inherited}
		}
	}
	resolved := root.resolve(n)
	if resolved == nil {
		resolved = n
	}
	info := fieldInfo{description: n.Description}
	if info.description == "" {
		info.description = resolved.Description
	}
	if info.description == "" {
		info.description = inherited
	}
	for _, v := range resolved.Enum {
		info.allowed = append(info.allowed, fmt.Sprint(v))
	}
	if resolved.Const != nil {
		info.allowed = []string{fmt.Sprint(resolved.Const)}
	}
	if resolved.Type == "integer" {
		info.min, info.max = resolved.Minimum, resolved.Maximum
	}
	return info
}

// schemaPath is the schema path of a column of a sheet: the list's
// pointer with "*" for each array index, then the column's field.
func schemaPath(s *sheet, c column) []string {
	var out []string
	split := func(p string) {
		for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
			if seg != "" {
				out = append(out, seg)
			}
		}
	}
	if s.fields {
		split(c.field)
		return out
	}
	if s.parent != "" {
		split(s.parent)
		out = append(out, "*")
	}
	split(s.list)
	out = append(out, "*")
	split(c.field)
	return out
}
