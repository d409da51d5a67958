package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// jsonParser walks a JSON text token by token, building its value. When
// building the position index it also records where every value is.
type jsonParser struct {
	name     string
	data     []byte
	dec      *json.Decoder
	nodes    int // values seen so far
	maxNodes int
	cur      *cursor // non-nil only when building the position index
}

// jsonPos is the position index of one JSON value: where a pointer to it
// leads (the key, for an object member) and the positions of its members
// or elements.
type jsonPos struct {
	line, col int
	members   map[string]*jsonPos // set for an object
	elems     []*jsonPos          // set for an array
}

// parseJSON parses a JSON plan.
func parseJSON(name string, data []byte, lim Limits) (any, error) {
	p := newJSONParser(name, data, lim.MaxNodes)
	v, err := p.value(0, nil)
	if err != nil {
		return nil, err
	}
	if off := skipSpace(data, int(p.dec.InputOffset())); off < len(data) {
		return nil, p.errorAt(off, "unexpected text after the end of the JSON value; a plan file must hold exactly one JSON value")
	}
	root := skipSpace(data, 0)
	line, col := newCursor(data).at(root)
	return v, requireMapping(name, v, line, col)
}

// jsonIndex re-reads a JSON text that parsed without error, recording
// the position of every value.
func jsonIndex(data []byte) *jsonPos {
	p := newJSONParser("", data, len(data)+1) // never the limit: every value takes a byte
	p.cur = newCursor(data)
	root := p.mark(skipSpace(data, 0))
	if _, err := p.value(0, root); err != nil {
		return nil // cannot happen: Parse accepted the same bytes
	}
	return root
}

// find returns the position a pointer leads to, or that of its nearest
// existing ancestor.
func (p *jsonPos) find(segs []string) (line, col int) {
	if p == nil {
		return 0, 0
	}
	for _, s := range segs {
		var next *jsonPos
		if p.members != nil {
			next = p.members[s]
		} else if i, ok := arrayIndex(s, len(p.elems)); ok {
			next = p.elems[i]
		}
		if next == nil {
			break
		}
		p = next
	}
	return p.line, p.col
}

func newJSONParser(name string, data []byte, maxNodes int) *jsonParser {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &jsonParser{name: name, data: data, dec: dec, maxNodes: maxNodes}
}

// value reads one value. at, when not nil, receives the positions of
// the value's members or elements.
func (p *jsonParser) value(depth int, at *jsonPos) (any, error) {
	start := p.start()
	if depth > maxDepth {
		return nil, p.errorAt(start, tooDeep)
	}
	if p.nodes++; p.nodes > p.maxNodes {
		return nil, p.errorAt(start, tooManyValues(p.maxNodes))
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntaxError()
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return p.object(depth, at)
		}
		return p.array(depth, at) // Token only returns '[' here: it refuses a misplaced '}' or ']'
	case json.Number:
		if msg := checkNumber(t.String()); msg != "" {
			return nil, p.errorAt(start, msg)
		}
	}
	return tok, nil // a string, json.Number, bool or nil
}

// object reads the members of an object whose '{' has been read.
func (p *jsonParser) object(depth int, at *jsonPos) (any, error) {
	m := map[string]any{}
	keyAt := map[string]int{} // offset of each key, to report duplicates
	if at != nil {
		at.members = map[string]*jsonPos{}
	}
	for p.dec.More() {
		off := p.start()
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.syntaxError()
		}
		key, ok := tok.(string)
		if !ok {
			return nil, p.errorAt(off, "JSON syntax error: an object key must be a string")
		}
		if first, dup := keyAt[key]; dup {
			c := newCursor(p.data)
			firstLine, firstCol := c.at(first)
			line, col := c.at(off)
			return nil, p.errorAt(off, duplicateKey(key, line, col, firstLine, firstCol))
		}
		keyAt[key] = off
		var child *jsonPos
		if at != nil {
			child = p.mark(off)
			at.members[key] = child
		}
		v, err := p.value(depth+1, child)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	return m, p.close()
}

// array reads the elements of an array whose '[' has been read.
func (p *jsonParser) array(depth int, at *jsonPos) (any, error) {
	list := []any{}
	for p.dec.More() {
		var child *jsonPos
		if at != nil {
			child = p.mark(p.start())
			at.elems = append(at.elems, child)
		}
		v, err := p.value(depth+1, child)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, p.close()
}

// close reads the '}' or ']' that ends an object or array.
func (p *jsonParser) close() error {
	if _, err := p.dec.Token(); err != nil {
		return p.syntaxError()
	}
	return nil
}

// start returns the offset where the next key or value begins: the
// decoder's offset is just after the previous token, before any
// whitespace, ',' or ':'.
func (p *jsonParser) start() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) && (isSpace(p.data[off]) || p.data[off] == ',' || p.data[off] == ':') {
		off++
	}
	return off
}

// mark returns a new position index entry for the byte at off.
func (p *jsonParser) mark(off int) *jsonPos {
	line, col := p.cur.at(off)
	return &jsonPos{line: line, col: col}
}

// errorAt returns an *Error located at the byte offset off.
func (p *jsonParser) errorAt(off int, msg string) error {
	line, col := newCursor(p.data).at(off)
	return &Error{File: p.name, Line: line, Column: col, Msg: msg}
}

// syntaxError describes the syntax error that stopped the token walk.
// The decoder's own error offsets are relative to the value it was
// reading, so the error is located again by json.Unmarshal, whose
// offsets count from the start of the text; it finds the same first
// error, since both follow the JSON grammar.
func (p *jsonParser) syntaxError() error {
	var raw json.RawMessage
	var se *json.SyntaxError
	if !errors.As(json.Unmarshal(p.data, &raw), &se) || se.Error() == "unexpected end of JSON input" {
		end := len(bytes.TrimRight(p.data, " \t\r\n"))
		return p.errorAt(end, "JSON syntax error: the file ends before the JSON is complete; look for a missing '}', ']' or '\"'")
	}
	off := max(int(se.Offset)-1, 0) // the offending byte
	rest := p.data[off:]
	if bytes.HasPrefix(rest, []byte("NaN")) || bytes.HasPrefix(rest, []byte("Infinity")) {
		if off > 0 && p.data[off-1] == '-' {
			off--
		}
		return p.errorAt(off, "JSON syntax error: NaN and Infinity are not numbers in JSON; write a finite number")
	}
	return p.errorAt(off, fmt.Sprintf("JSON syntax error: %s; fix the JSON", se.Error()))
}
