// Package document loads plan files safely.
//
// A plan file is untrusted input: it may be huge, not text at all,
// malformed, or crafted to blow up a parser (YAML "billion laughs").
// Parse turns its bytes into a plain Go value built only from
// map[string]any, []any, json.Number, string, bool and nil, or refuses it
// with an *Error that names the file, the line and column when known, and
// what to do about it. The Document it returns can later map a JSON
// pointer back to a line and column in the source, so that findings about
// the value can be reported where the user will look for them.
//
// JSON is read with encoding/json and YAML with gopkg.in/yaml.v3; both
// reject duplicate keys, non-finite or out-of-range numbers, several
// documents in one file and anything that is not a mapping at the top.
package document

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// DefaultMaxBytes is the largest file accepted when Limits.MaxBytes is 0.
const DefaultMaxBytes int64 = 8 << 20

// DefaultMaxNodes is the most values a document may hold, after YAML
// alias expansion, when Limits.MaxNodes is 0.
const DefaultMaxNodes = 1_000_000

// maxDepth bounds how deeply values may nest, so that walking a value
// (and expanding YAML aliases) cannot exhaust the stack. Real plans nest
// a handful of levels.
const maxDepth = 1000

// Limits bounds what Parse accepts. The zero value means the defaults.
type Limits struct {
	// MaxBytes is the largest file accepted, in bytes; 0 (or less) means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxNodes caps the number of values in the document, counted after
	// YAML aliases are expanded; 0 (or less) means DefaultMaxNodes.
	MaxNodes int
}

// withDefaults fills in the defaults for unset limits.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultMaxNodes
	}
	return l
}

// format is the syntax a document is written in.
type format int

const (
	formatJSON format = iota
	formatYAML
)

// Document is a parsed plan file.
type Document struct {
	// Name is the file name as given to Parse, Read or ReadFrom.
	Name string
	// Value is the plan: a map[string]any whose values are only
	// map[string]any, []any, json.Number, string, bool and nil.
	Value any

	data   []byte     // the source, without a UTF-8 byte-order mark
	format format     // JSON or YAML
	root   *yaml.Node // the YAML root value; nil for JSON
	once   sync.Once  // guards index
	index  *jsonPos   // JSON positions, built by the first Position call
}

// Error is a load error. It always names the file, and the line and
// column (1-based, columns counted in characters) when they are known;
// they are 0 when the error concerns the whole file, such as its size.
type Error struct {
	// File is the file name as given.
	File string
	// Line and Column locate the problem, 1-based; 0 when unknown.
	Line, Column int
	// Msg says what is wrong and what to do about it.
	Msg string

	err error // the underlying I/O error, if any
}

// Error formats the error as "file:line:col: msg", leaving out the
// column, or the line and column, when they are 0.
func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Unwrap returns the I/O error behind a read failure, so that callers can
// test it with errors.Is (for example against fs.ErrNotExist).
func (e *Error) Unwrap() error { return e.err }

// Read loads the plan file at path. A file larger than lim.MaxBytes is
// refused without being read.
func Read(path string, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, ioError(path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > lim.MaxBytes {
		return nil, tooLarge(path, st.Size(), lim.MaxBytes)
	}
	return ReadFrom(path, f, lim)
}

// ReadFrom loads a plan from r, such as standard input, under the given
// name. It reads at most lim.MaxBytes+1 bytes and refuses the input if
// there are more.
func ReadFrom(name string, r io.Reader, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	n := lim.MaxBytes
	if n < math.MaxInt64 {
		n++
	}
	data, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return nil, ioError(name, err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, tooLarge(name, -1, lim.MaxBytes)
	}
	return Parse(name, data, lim)
}

// Parse parses a plan from data. The format follows the name: ".json" is
// JSON, ".yaml" and ".yml" are YAML, and anything else (such as standard
// input) is JSON if its first non-blank character is '{' or '[' and YAML
// otherwise. Every refusal is an *Error.
func Parse(name string, data []byte, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return nil, tooLarge(name, int64(len(data)), lim.MaxBytes)
	}
	data, err := checkText(name, data)
	if err != nil {
		return nil, err
	}
	if skipSpace(data, 0) == len(data) {
		return nil, emptyError(name)
	}
	d := &Document{Name: name, data: data, format: detectFormat(name, data)}
	if d.format == formatJSON {
		d.Value, err = parseJSON(name, data, lim)
	} else {
		d.Value, d.root, err = parseYAML(name, data, lim)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Position returns the 1-based line and column of the value at the JSON
// pointer (RFC 6901; "" is the whole document). For a member of an object
// it is the position of the member's key. If the pointer leads nowhere (a
// missing key, an index out of range, a malformed pointer), it is the
// position of the nearest ancestor that exists. In YAML, a pointer that
// passes through an alias continues into the anchored value, since that
// is where the text is. Position is safe for concurrent use; it returns
// 0, 0 for a Document that did not come from Parse.
func (d *Document) Position(pointer string) (line, col int) {
	segs := SplitPointer(pointer)
	if d.format == formatYAML {
		return yamlPosition(d.root, segs)
	}
	d.once.Do(func() { d.index = jsonIndex(d.data) })
	return d.index.find(segs)
}

// Lookup returns the value at a JSON pointer (RFC 6901) in a decoded
// document (maps, lists and scalars); ok is false when the pointer leads
// nowhere.
func Lookup(value any, pointer string) (v any, ok bool) {
	v = value
	for _, seg := range SplitPointer(pointer) {
		switch x := v.(type) {
		case map[string]any:
			if v, ok = x[seg]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// SplitPointer splits a JSON pointer (RFC 6901) into its unescaped
// reference tokens. A pointer that does not start with "/" has none, so it
// means the root.
func SplitPointer(pointer string) []string {
	if !strings.HasPrefix(pointer, "/") {
		return nil
	}
	segs := strings.Split(pointer[1:], "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return segs
}

// EscapePointerToken escapes one reference token for a JSON pointer.
func EscapePointerToken(token string) string {
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}

// arrayIndex reads a pointer token as an index into a list of n elements:
// decimal digits without leading zeros, in range.
func arrayIndex(seg string, n int) (int, bool) {
	i, err := strconv.Atoi(seg)
	if err != nil || i < 0 || i >= n || strconv.Itoa(i) != seg {
		return 0, false
	}
	return i, true
}

// detectFormat chooses JSON or YAML from the file name, or by sniffing
// the first non-blank character when the extension says neither.
func detectFormat(name string, data []byte) format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return formatJSON
	case ".yaml", ".yml":
		return formatYAML
	}
	if i := skipSpace(data, 0); i < len(data) && (data[i] == '{' || data[i] == '[') {
		return formatJSON
	}
	return formatYAML
}

// skipSpace returns the offset of the first byte at or after off that is
// not JSON whitespace (space, tab, CR, LF).
func skipSpace(data []byte, off int) int {
	for off < len(data) && isSpace(data[off]) {
		off++
	}
	return off
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// requireMapping refuses a top-level value that is not a mapping, at the
// position of that value.
func requireMapping(name string, v any, line, col int) error {
	if _, ok := v.(map[string]any); ok {
		return nil
	}
	var kind string
	switch v.(type) {
	case []any:
		kind = "a list"
	case string:
		kind = "a single string"
	case bool:
		kind = "a single true/false"
	case nil:
		kind = "only null"
	default:
		kind = "a single number"
	}
	return &Error{File: name, Line: line, Column: col,
		Msg: "a plan must be a mapping of keys to values, but this file holds " + kind}
}

// checkNumber refuses a number float64 cannot hold; lit is its decimal text.
func checkNumber(lit string) string {
	if f, _ := strconv.ParseFloat(lit, 64); math.IsInf(f, 0) {
		return fmt.Sprintf("number %s is out of range; a plan number must fit in a 64-bit float (at most about 1.8e308)", clip(lit))
	}
	return ""
}

// duplicateKey is the message for a key that occurs twice in one mapping.
func duplicateKey(key string, line, col, firstLine, firstCol int) string {
	return fmt.Sprintf("duplicate key %q at line %d, column %d (first at line %d, column %d); remove one",
		clip(key), line, col, firstLine, firstCol)
}

// tooManyValues is the message for a document over Limits.MaxNodes.
func tooManyValues(max int) string {
	return fmt.Sprintf("the document holds more than %d values, counting every expansion of a YAML alias; "+
		"a plan needs far fewer, so remove repeated aliases or split the file", max)
}

// tooDeep is the message for values nested more than maxDepth levels.
var tooDeep = fmt.Sprintf("values are nested more than %d levels deep; flatten the structure", maxDepth)

// clip shortens s for use in a message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// emptyError is the error for a file with no content.
func emptyError(name string) error {
	return &Error{File: name, Msg: "file is empty; a plan must be a mapping of keys to values"}
}

// tooLarge is the error for a file over the size limit; size is -1 when
// the input was cut off and its full size is unknown.
func tooLarge(name string, size, limit int64) error {
	if size < 0 {
		return &Error{File: name, Msg: fmt.Sprintf(
			"input is over the limit of %s; split it or raise --max-file-size", formatSize(limit))}
	}
	s, l := formatSize(size), formatSize(limit)
	if s == l { // rounding hides the difference
		s, l = fmt.Sprintf("%d bytes", size), fmt.Sprintf("%d bytes", limit)
	}
	return &Error{File: name, Msg: fmt.Sprintf(
		"file is %s, over the limit of %s; split it or raise --max-file-size", s, l)}
}

// FormatSize renders a byte count for people: "512 bytes", "3.5 KiB", "8 MiB".
func FormatSize(n int64) string { return formatSize(n) }

// formatSize renders a byte count for people: "512 bytes", "3.5 KiB", "8 MiB".
func formatSize(n int64) string {
	const kib, mib = 1 << 10, 1 << 20
	unit, scale := "MiB", float64(mib)
	switch {
	case n < kib:
		return fmt.Sprintf("%d bytes", n)
	case n < mib:
		unit, scale = "KiB", kib
	}
	s := strconv.FormatFloat(float64(n)/scale, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + unit
}

// ioError is the error for a file that could not be opened or read.
func ioError(name string, err error) error {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	return &Error{File: name, Msg: "cannot read the file: " + msg, err: err}
}

// utf8BOM is the UTF-8 byte-order mark, which may start a file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkText refuses data that is not UTF-8 text, or that holds control
// characters (which neither JSON nor YAML allows outside a few escapes).
// It returns data without a leading UTF-8 byte-order mark.
func checkText(name string, data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return nil, &Error{File: name, Line: 1, Column: 1,
			Msg: "file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		var msg string
		switch {
		case r == utf8.RuneError && size == 1:
			msg = fmt.Sprintf("not UTF-8 text (byte 0x%02X is not part of a UTF-8 character); save the file as UTF-8", data[off])
		case r == 0:
			msg = "NUL character is not allowed (the file may be UTF-16); save the file as UTF-8 text"
		case isControl(r):
			msg = fmt.Sprintf("control character %U is not allowed; remove it", r)
		}
		if msg != "" {
			line, col := newCursor(data).at(off)
			return nil, &Error{File: name, Line: line, Column: col, Msg: msg}
		}
		off += size
	}
	return data, nil
}

// isControl reports whether r is a control or non-character code point
// that YAML forbids in a stream (tab and line breaks are fine).
func isControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return false
	case r < 0x20 || r == 0x7F || r >= 0x80 && r <= 0x9F:
		return true
	}
	return r == 0xFFFE || r == 0xFFFF
}

// cursor turns byte offsets into 1-based line and column numbers, with
// columns counted in characters and "\n", "\r\n" and a lone "\r" each
// ending a line, as YAML counts them. It is fastest when the offsets it is
// asked about do not decrease.
type cursor struct {
	data      []byte
	off       int
	line, col int
}

func newCursor(data []byte) *cursor { return &cursor{data: data, line: 1, col: 1} }

// at returns the line and column of the byte at off.
func (c *cursor) at(off int) (line, col int) {
	if off < c.off {
		*c = cursor{data: c.data, line: 1, col: 1}
	}
	off = min(off, len(c.data))
	for c.off < off {
		r, size := utf8.DecodeRune(c.data[c.off:])
		c.off += size
		if r == '\n' || r == '\r' && (c.off == len(c.data) || c.data[c.off] != '\n') {
			c.line, c.col = c.line+1, 1
		} else {
			c.col++
		}
	}
	return c.line, c.col
}

// Source returns the text the document was parsed from (without a UTF-8
// byte-order mark), so that it can be parsed again elsewhere, such as in
// a worker process. The caller must not modify it.
func (d *Document) Source() []byte { return d.data }
