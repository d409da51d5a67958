// Package planfile reads and writes plan documents as files: YAML, JSON
// or an Excel workbook, chosen by the file name. YAML and JSON are
// written with their keys in the order the plan schema lists them, so
// that a converted plan reads like a hand-written one.
package planfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/schemas"
	"github.com/hee-rdp/rdpcheck/workbook"
)

// Format is a plan file's format.
type Format string

// The formats a plan can be written in.
const (
	YAML Format = "yaml"
	JSON Format = "json"
	XLSX Format = "xlsx"
)

// FormatOf chooses the format from a file name: .json, .xlsx, and YAML
// for anything else (including standard output, "-" or "").
func FormatOf(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return JSON
	case ".xlsx":
		return XLSX
	}
	return YAML
}

// Read loads a plan file of any format: a workbook through package
// workbook, YAML or JSON through package document.
func Read(path string, lim document.Limits) (map[string]any, error) {
	head := make([]byte, 8)
	if f, err := os.Open(path); err == nil {
		n, _ := io.ReadFull(f, head)
		head = head[:n]
		f.Close()
	}
	if workbook.IsWorkbook(path, head) {
		plan, _, err := workbook.Read(path, workbook.Limits{MaxBytes: lim.MaxBytes})
		return plan, err
	}
	doc, err := document.Read(path, lim)
	if err != nil {
		return nil, err
	}
	plan, ok := doc.Value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: the plan is not a set of fields", path)
	}
	return plan, nil
}

// Options add to what Write writes.
type Options struct {
	// Header is written at the top of a YAML file, as comment lines.
	Header []string
	// Comments are YAML line comments, by the JSON pointer of the value
	// they follow.
	Comments map[string]string
}

// Write writes a plan in the given format.
func Write(w io.Writer, plan map[string]any, f Format, opt Options) error {
	switch f {
	case XLSX:
		return workbook.Write(w, plan)
	case JSON:
		var b bytes.Buffer
		writeJSON(&b, plan, nil, "")
		b.WriteByte('\n')
		_, err := w.Write(b.Bytes())
		return err
	}
	var b bytes.Buffer
	for _, line := range opt.Header {
		b.WriteString("# " + line + "\n")
	}
	if len(opt.Header) > 0 {
		b.WriteByte('\n')
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(yamlNode(plan, nil, "", opt.Comments)); err != nil {
		return fmt.Errorf("writing YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("writing YAML: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// yamlNode builds the YAML node of a value at a schema path.
func yamlNode(v any, path []string, ptr string, comments map[string]string) *yaml.Node {
	var n *yaml.Node
	switch x := v.(type) {
	case map[string]any:
		n = &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range orderedKeys(x, path) {
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
			n.Content = append(n.Content, key, yamlNode(x[k], append(path[:len(path):len(path)], k), ptr+"/"+document.EscapePointerToken(k), comments))
		}
	case []any:
		n = &yaml.Node{Kind: yaml.SequenceNode}
		flow := len(x) > 0
		for i, item := range x {
			if isContainer(item) {
				flow = false
			}
			n.Content = append(n.Content, yamlNode(item, append(path[:len(path):len(path)], "*"), ptr+"/"+strconv.Itoa(i), comments))
		}
		if flow {
			n.Style = yaml.FlowStyle
		}
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(string(x), ".eE") {
			tag = "!!float"
		}
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(x)}
	case string:
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}
		if looksLikeDate(x) {
			n.Style = yaml.DoubleQuotedStyle
		}
	case bool:
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	default:
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	if c, ok := comments[ptr]; ok {
		n.LineComment = c
	}
	return n
}

// looksLikeDate reports whether a string would read as a date or a year
// span in YAML unless quoted (2022-06-30, 2022/23).
func looksLikeDate(s string) bool {
	return len(s) > 0 && s[0] >= '0' && s[0] <= '9' && strings.ContainsAny(s, "-/")
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// writeJSON writes a value as indented JSON, keys in schema order.
func writeJSON(b *bytes.Buffer, v any, path []string, indent string) {
	inner := indent + "  "
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range orderedKeys(x, path) {
			if i > 0 {
				b.WriteString(",\n")
			}
			key, _ := json.Marshal(k)
			b.WriteString(inner)
			b.Write(key)
			b.WriteString(": ")
			writeJSON(b, x[k], append(path[:len(path):len(path)], k), inner)
		}
		b.WriteString("\n" + indent + "}")
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, item := range x {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(inner)
			writeJSON(b, item, append(path[:len(path):len(path)], "*"), inner)
		}
		b.WriteString("\n" + indent + "]")
	default:
		out, err := json.Marshal(x)
		if err != nil {
			out = []byte("null")
		}
		b.Write(out)
	}
}

// orderedKeys lists a mapping's keys: those the schema names first, in
// the schema's order, then any others alphabetically.
func orderedKeys(m map[string]any, path []string) []string {
	order := schemaOrder()[strings.Join(path, "/")]
	var out []string
	seen := map[string]bool{}
	for _, k := range order {
		if _, ok := m[k]; ok {
			out = append(out, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

var (
	orderOnce sync.Once
	order     map[string][]string
)

// schemaOrder maps each object's schema path ("objectives/*/kpis/*") to
// its property names in the order the schema lists them.
func schemaOrder() map[string][]string {
	orderOnce.Do(func() {
		order = map[string][]string{}
		data, err := schemas.FS.ReadFile(schemas.Plan)
		if err != nil {
			return
		}
		var root yaml.Node
		if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
			return
		}
		doc := root.Content[0]
		defs := field(doc, "$defs")
		var walk func(n *yaml.Node, path string, depth int)
		walk = func(n *yaml.Node, path string, depth int) {
			if n == nil || depth > 20 {
				return
			}
			if ref := field(n, "$ref"); ref != nil {
				if name, ok := strings.CutPrefix(ref.Value, "#/$defs/"); ok {
					walk(field(defs, name), path, depth+1)
				}
			}
			if props := field(n, "properties"); props != nil {
				for i := 0; i+1 < len(props.Content); i += 2 {
					k := props.Content[i].Value
					order[path] = append(order[path], k)
					walk(props.Content[i+1], join(path, k), depth+1)
				}
			}
			if items := field(n, "items"); items != nil {
				walk(items, join(path, "*"), depth+1)
			}
		}
		walk(doc, "", 0)
	})
	return order
}

func join(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + "/" + seg
}

// field returns the value of a key in a YAML mapping node.
func field(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
