package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// parseYAML parses a YAML plan, returning its value and its root node.
func parseYAML(name string, data []byte, lim Limits) (any, *yaml.Node, error) {
	data, back := shieldBreaks(acceptYAML12(data))
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decodeYAML(dec, &doc); err != nil {
		if err == io.EOF { // nothing but blanks and comments
			return nil, nil, emptyError(name)
		}
		return nil, nil, yamlError(name, data, err)
	}
	var next yaml.Node
	switch err := decodeYAML(dec, &next); {
	case err == nil:
		return nil, nil, &Error{File: name, Line: next.Line, Column: next.Column,
			Msg: "a second YAML document starts here; a plan file must hold exactly one document, so remove this '---' or split the file"}
	case err != io.EOF:
		return nil, nil, yamlError(name, data, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil, emptyError(name)
	}
	root := doc.Content[0]
	if back != nil {
		restoreBreaks(root, back)
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" && root.Style == 0 && root.Value == "" {
		return nil, nil, emptyError(name) // "---" and nothing else
	}
	w := &yamlWalker{name: name, maxNodes: lim.MaxNodes, active: map[*yaml.Node]bool{}}
	v, err := w.value(root, 0)
	if err != nil {
		return nil, nil, err
	}
	return v, root, requireMapping(name, v, root.Line, root.Column)
}

// decodeYAML decodes the next document of the stream. yaml.v3 reports
// errors by panicking internally and recovering; should one of its
// "internal error" panics escape on hostile input, it becomes an error
// here rather than a crash.
func decodeYAML(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the YAML parser failed (%v)", r)
		}
	}()
	return dec.Decode(n)
}

var (
	// yamlLine finds the line number in a yaml.v3 error message.
	yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)
	// unknownAnchor matches yaml.v3's error for an alias without an anchor.
	unknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
	// yamlNumber is how yaml.v3 recognises a decimal number (see its
	// resolve.go); a plain scalar that looks like this but did not
	// resolve to a number is one too large for float64.
	yamlNumber = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	// leadingZeros is a decimal integer written with leading zeros.
	leadingZeros = regexp.MustCompile(`^[-+]?0[0-9]+$`)
	// jsonNumber is the JSON number grammar (RFC 8259).
	jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
)

// yamlParserProblems are the messages of yaml.v3's parser (as opposed
// to its scanner) errors, for which it reports a 0-based line number.
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// yamlError turns a yaml.v3 parse error into an *Error. yaml.v3 gives
// the line in its message, 0-based for parser errors and 1-based for
// scanner errors, and leaves it out when the 0-based line is 0.
func yamlError(name string, data []byte, err error) error {
	msg := err.Error()
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		line, col := findAlias(data, m[1])
		return &Error{File: name, Line: line, Column: col, Msg: fmt.Sprintf(
			"alias *%s refers to an anchor &%s that is not defined before it; define the anchor first or write the value out", m[1], m[1])}
	}
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if yamlParserProblems[msg] {
			line++
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if slip, ok := explainYAML(data, line, msg); ok {
		return &Error{File: name, Line: slip.line, Msg: fmt.Sprintf("YAML syntax error: %s (the YAML reader says: %s)", slip.msg, msg)}
	}
	return &Error{File: name, Line: line, Msg: "YAML syntax error: " + msg + "; fix the YAML"}
}

// findAlias locates the first use of the alias *name in data, for an
// error that yaml.v3 reports without a line. It returns 0, 0 if there is
// none.
func findAlias(data []byte, name string) (line, col int) {
	alias := []byte("*" + name)
	for off := 0; ; {
		i := bytes.Index(data[off:], alias)
		if i < 0 {
			return 0, 0
		}
		end := off + i + len(alias)
		if end == len(data) || !isAnchorChar(data[end]) {
			return newCursor(data).at(off + i)
		}
		off = end
	}
}

func isAnchorChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-'
}

// yamlWalker converts yaml.v3 nodes into a plain value, expanding
// aliases while counting values, so that an alias bomb is refused as soon
// as it grows past the limit rather than after it has been built.
type yamlWalker struct {
	name     string
	nodes    int // values built so far
	maxNodes int
	active   map[*yaml.Node]bool // anchored nodes being expanded, to catch an alias inside its own anchor
	outer    *yaml.Node          // the outermost alias being expanded, where expansion errors are reported
}

// value converts one node.
func (w *yamlWalker) value(n *yaml.Node, depth int) (any, error) {
	if n.Kind == yaml.AliasNode {
		return w.alias(n, depth)
	}
	if depth > maxDepth {
		return nil, w.errorAt(w.blame(n), tooDeep)
	}
	if w.nodes++; w.nodes > w.maxNodes {
		return nil, w.errorAt(w.blame(n), tooManyValues(w.maxNodes))
	}
	switch tag := n.ShortTag(); {
	case n.Kind == yaml.ScalarNode:
		return w.scalar(n)
	case n.Kind == yaml.MappingNode && tag == "!!map":
		return w.mapping(n, depth)
	case n.Kind == yaml.SequenceNode && tag == "!!seq":
		return w.sequence(n, depth)
	default:
		return nil, w.errorAt(n, fmt.Sprintf("YAML tag %s is not supported; remove it", tag))
	}
}

// alias expands an alias to the value of its anchor.
func (w *yamlWalker) alias(n *yaml.Node, depth int) (any, error) {
	target := n.Alias
	if target == nil || w.active[target] {
		return nil, w.errorAt(n, fmt.Sprintf(
			"alias *%s is inside the value of its own anchor &%s, so it would repeat forever; remove it", n.Value, n.Value))
	}
	if w.outer == nil {
		w.outer = n
		defer func() { w.outer = nil }()
	}
	w.active[target] = true
	defer delete(w.active, target)
	return w.value(target, depth)
}

// blame returns the node to report a size or depth error at: the alias
// whose expansion caused it, if any, rather than a node inside its anchor.
func (w *yamlWalker) blame(n *yaml.Node) *yaml.Node {
	if w.outer != nil {
		return w.outer
	}
	return n
}

// mapping converts a mapping, refusing duplicate, merge and non-string keys.
func (w *yamlWalker) mapping(n *yaml.Node, depth int) (any, error) {
	m := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		key, ok := keyText(k)
		switch {
		case !ok:
			return nil, w.errorAt(k, "a mapping key must be a plain string, not a list or mapping; rewrite the key")
		case deref(k).ShortTag() == "!!merge":
			return nil, w.errorAt(k, "merge keys (<<) are not supported; write the merged keys out in full")
		}
		if _, dup := m[key]; dup {
			first, _ := yamlChild(n, key)
			return nil, w.errorAt(k, duplicateKey(key, k.Line, k.Column, first.Line, first.Column))
		}
		v, err := w.value(n.Content[i+1], depth+1)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	return m, nil
}

// sequence converts a sequence.
func (w *yamlWalker) sequence(n *yaml.Node, depth int) (any, error) {
	list := make([]any, 0, len(n.Content))
	for _, c := range n.Content {
		v, err := w.value(c, depth+1)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, nil
}

// scalar converts a scalar according to its tag, as yaml.v3 resolved it
// (or as the file stated it). Timestamps stay as written.
func (w *yamlWalker) scalar(n *yaml.Node) (any, error) {
	switch tag := n.ShortTag(); tag {
	case "!!str":
		if plain := strings.ReplaceAll(n.Value, "_", ""); n.Style == 0 && yamlNumber.MatchString(plain) {
			if msg := checkNumber(plain); msg != "" {
				return nil, w.errorAt(n, msg)
			}
		}
		return n.Value, nil
	case "!!timestamp", "!!merge": // a date as written; "<<" as a value is just text
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		switch n.Value {
		case "true", "True", "TRUE":
			return true, nil
		case "false", "False", "FALSE":
			return false, nil
		}
		return nil, w.errorAt(n, fmt.Sprintf("cannot read %q as true or false; write true or false", clip(n.Value)))
	case "!!int":
		return w.integer(n)
	case "!!float":
		return w.float(n)
	case "!!binary":
		return nil, w.errorAt(n, "binary data (!!binary) is not allowed in a plan; write the value as text")
	default:
		return nil, w.errorAt(n, fmt.Sprintf("YAML tag %s is not supported; remove it", tag))
	}
}

// integer converts an integer written in any form yaml.v3 accepts
// (1_000, 0x1F, 0o17, 0b101, 017) to decimal.
func (w *yamlWalker) integer(n *yaml.Node) (any, error) {
	plain := strings.ReplaceAll(n.Value, "_", "")
	if leadingZeros.MatchString(plain) {
		// 0120 is the decimal 120, as in YAML 1.2 and as the planner
		// meant it, not the YAML 1.1 octal 80.
		plain = strings.TrimLeft(plain, "+")
	}
	base := 0
	if leadingZeros.MatchString(plain) {
		base = 10
	}
	if i, err := strconv.ParseInt(plain, base, 64); err == nil {
		return json.Number(strconv.FormatInt(i, 10)), nil
	}
	if u, err := strconv.ParseUint(plain, base, 64); err == nil {
		return json.Number(strconv.FormatUint(u, 10)), nil
	}
	if yamlNumber.MatchString(plain) { // a decimal beyond 64 bits (only with an explicit !!int)
		return w.number(n, plain)
	}
	return nil, w.errorAt(n, fmt.Sprintf("cannot read %q as an integer; write a decimal number", clip(n.Value)))
}

// float converts a floating-point number, refusing .nan and .inf.
func (w *yamlWalker) float(n *yaml.Node) (any, error) {
	plain := strings.ReplaceAll(n.Value, "_", "")
	switch strings.ToLower(strings.TrimLeft(plain, "+-")) {
	case ".nan", ".inf", "nan", "inf", "infinity":
		return nil, w.errorAt(n, fmt.Sprintf("%s is not a finite number; write a finite number", clip(n.Value)))
	}
	return w.number(n, plain)
}

// number converts a number literal to a json.Number: as written when it
// is valid JSON, otherwise (such as +1, .5 or 1.) in Go's shortest form.
func (w *yamlWalker) number(n *yaml.Node, plain string) (any, error) {
	f, err := strconv.ParseFloat(plain, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, w.errorAt(n, fmt.Sprintf("cannot read %q as a number; write a decimal number", clip(n.Value)))
	}
	if msg := checkNumber(plain); msg != "" {
		return nil, w.errorAt(n, msg)
	}
	if jsonNumber.MatchString(plain) {
		return json.Number(plain), nil
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// errorAt returns an *Error located at node n.
func (w *yamlWalker) errorAt(n *yaml.Node, msg string) error {
	return &Error{File: w.name, Line: n.Line, Column: n.Column, Msg: msg}
}

// deref follows an alias to its anchored node.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// keyText returns a mapping key as a string: the text of a scalar, as
// written, so the key 1 is "1". It reports false for a non-scalar key.
func keyText(k *yaml.Node) (string, bool) {
	k = deref(k)
	return k.Value, k.Kind == yaml.ScalarNode
}

// yamlChild finds the child of n that a JSON pointer token names: it
// returns the node where a pointer to the child leads (the key, for a
// mapping member) and the child's value node, or nil, nil.
func yamlChild(n *yaml.Node, seg string) (at, child *yaml.Node) {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if key, ok := keyText(n.Content[i]); ok && key == seg {
				return n.Content[i], n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if i, ok := arrayIndex(seg, len(n.Content)); ok {
			return n.Content[i], n.Content[i]
		}
	}
	return nil, nil
}

// yamlPosition returns the position a pointer leads to from the root
// node, or that of its nearest existing ancestor.
func yamlPosition(root *yaml.Node, segs []string) (line, col int) {
	if root == nil {
		return 0, 0
	}
	line, col = root.Line, root.Column
	for n := root; len(segs) > 0; segs = segs[1:] {
		at, child := yamlChild(n, segs[0])
		if at == nil {
			break
		}
		line, col, n = at.Line, at.Column, child
	}
	return line, col
}
