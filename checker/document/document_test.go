package document

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// plan is the same plan in JSON and YAML, laid out so that positions can
// be checked by eye.
const planJSON = `{
  "region": "London",
  "objectives": [
    {"id": "RR1", "budget": 1200.5},
    {"id": "FW1", "tags": ["a", "b"]}
  ],
  "a/b": {"m~n": true},
  "empty": {}
}
`

const planYAML = `region: London
objectives:
  - id: RR1
    budget: 1200.5
  - id: FW1
    tags: [a, b]
a/b:
  m~n: true
empty: {}
`

// lolBomb is the classic "billion laughs": 9^9 strings from 9 lines.
var lolBomb = func() string {
	lines := []string{`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`}
	prev := "a"
	for _, c := range "bcdefghi" {
		lines = append(lines, fmt.Sprintf("%c: &%c [%s]", c, c, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",")))
		prev = string(c)
	}
	return strings.Join(lines, "\n") + "\n"
}()

func mustParse(t *testing.T, name, data string) *Document {
	t.Helper()
	d, err := Parse(name, []byte(data), Limits{})
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return d
}

func TestJSONAndYAMLGiveTheSameValue(t *testing.T) {
	tests := []struct{ name, json, yaml string }{
		{"plan", planJSON, planYAML},
		{"scalars",
			`{"s": "text", "i": 42, "neg": -7, "f": 1.5e3, "t": true, "f2": false, "n": null, "date": "2022-06-30", "u": "é ✓"}`,
			"s: text\ni: 42\nneg: -7\nf: 1.5e3\nt: true\nf2: false\nn: ~\ndate: 2022-06-30\nu: é ✓\n"},
		{"yaml number forms",
			`{"hex": 31, "oct": 15, "under": 1000, "old_oct": 17, "big": 99999999999999999999, "plus": 0.5, "str": "123", "key1": {"1": "one"}}`,
			"hex: 0x1F\noct: 0o17\nunder: 1_000\nold_oct: 017\nbig: 99999999999999999999\nplus: +.5\nstr: '123'\nkey1: {1: one}\n"},
		{"nesting and empties",
			`{"a": [[1, 2], [], {}], "b": {"c": {"d": [null]}}}`,
			"a:\n  - [1, 2]\n  - []\n  - {}\nb:\n  c:\n    d:\n      - null\n"},
		{"small alias",
			`{"base": {"x": 1, "y": [2, 3]}, "copy": {"x": 1, "y": [2, 3]}}`,
			"base: &b\n  x: 1\n  y: [2, 3]\ncopy: *b\n"},
		{"byte-order mark, leading --- and trailing ...",
			"\ufeff{\"a\": 1}",
			"\ufeff---\na: 1\n...\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := mustParse(t, "plan.json", tt.json)
			y := mustParse(t, "plan.yaml", tt.yaml)
			if !reflect.DeepEqual(j.Value, y.Value) {
				t.Errorf("values differ\nJSON: %#v\nYAML: %#v", j.Value, y.Value)
			}
			var want any
			if err := json.Unmarshal([]byte(strings.TrimPrefix(tt.json, "\ufeff")), &want); err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(y.Value)
			if err != nil {
				t.Fatalf("YAML value does not marshal to JSON: %v", err)
			}
			var back any
			if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back, want) {
				t.Errorf("YAML value as JSON = %s, want the JSON", got)
			}
		})
	}
}

func TestYAMLScalars(t *testing.T) {
	tests := []struct {
		yaml string
		want any
	}{
		{"2022-06-30", "2022-06-30"},
		{"2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"},
		{"0x1F", json.Number("31")},
		{"-0x1F", json.Number("-31")},
		{"0o17", json.Number("15")},
		{"0b101", json.Number("5")},
		{"1_000", json.Number("1000")},
		{"1.5e3", json.Number("1.5e3")},
		{"1.", json.Number("1")},
		{"08", json.Number("8")},
		{"18446744073709551615", json.Number("18446744073709551615")},
		{"!!int '12'", json.Number("12")},
		{"!!int 123456789012345678901234", json.Number("123456789012345678901234")},
		{"!!float 1", json.Number("1")},
		{"!!str 12", "12"},
		{"!!str 1e400", "1e400"},
		{"'1e400'", "1e400"},
		{"yes", "yes"},
		{"True", true},
		{"NULL", nil},
		{"<<", "<<"},
		{"1e-400", json.Number("1e-400")},
	}
	for _, tt := range tests {
		d := mustParse(t, "p.yaml", "v: "+tt.yaml+"\n")
		if got := d.Value.(map[string]any)["v"]; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("v: %s = %#v, want %#v", tt.yaml, got, tt.want)
		}
	}
}

func TestPosition(t *testing.T) {
	type pos struct{ line, col int }
	tests := []struct {
		pointer    string
		json, yaml pos
	}{
		{"", pos{1, 1}, pos{1, 1}},
		{"/region", pos{2, 3}, pos{1, 1}},
		{"/objectives", pos{3, 3}, pos{2, 1}},
		{"/objectives/0", pos{4, 5}, pos{3, 5}},
		{"/objectives/0/id", pos{4, 6}, pos{3, 5}},
		{"/objectives/0/budget", pos{4, 19}, pos{4, 5}},
		{"/objectives/1/tags", pos{5, 19}, pos{6, 5}},
		{"/objectives/1/tags/1", pos{5, 33}, pos{6, 15}},
		{"/a~1b", pos{7, 3}, pos{7, 1}},
		{"/a~1b/m~0n", pos{7, 11}, pos{8, 3}},
		{"/empty", pos{8, 3}, pos{9, 1}},
		// Pointers that lead nowhere fall back to the nearest ancestor.
		{"/nope", pos{1, 1}, pos{1, 1}},
		{"/nope/deeper", pos{1, 1}, pos{1, 1}},
		{"/objectives/7", pos{3, 3}, pos{2, 1}},
		{"/objectives/01", pos{3, 3}, pos{2, 1}},
		{"/objectives/-", pos{3, 3}, pos{2, 1}},
		{"/objectives/0/zzz", pos{4, 5}, pos{3, 5}},
		{"/objectives/1/tags/2", pos{5, 19}, pos{6, 5}},
		{"/region/0", pos{2, 3}, pos{1, 1}},
		{"/empty/x", pos{8, 3}, pos{9, 1}},
		{"/a/b", pos{1, 1}, pos{1, 1}}, // "a", not "a/b"
		{"not-a-pointer", pos{1, 1}, pos{1, 1}},
	}
	docs := map[string]*Document{
		"json": mustParse(t, "plan.json", planJSON),
		"yaml": mustParse(t, "plan.yaml", planYAML),
	}
	for _, tt := range tests {
		for format, d := range docs {
			want := tt.json
			if format == "yaml" {
				want = tt.yaml
			}
			if line, col := d.Position(tt.pointer); (pos{line, col}) != want {
				t.Errorf("%s Position(%q) = %d:%d, want %d:%d", format, tt.pointer, line, col, want.line, want.col)
			}
		}
	}
}

func TestPositionDetails(t *testing.T) {
	tests := []struct {
		name, file, data, pointer string
		line, col                 int
	}{
		{"columns count characters", "p.json", `{"é": 1, "b": 2}`, "/b", 1, 10},
		{"CRLF line ends", "p.json", "{\r\n\"a\": 1,\r\n\"b\": 2\r\n}", "/b", 3, 1},
		{"lone CR line ends", "p.json", "{\r\"a\": 1,\r\"b\": 2\r}", "/b", 3, 1},
		{"byte-order mark is not a column", "p.json", "\ufeff{\"a\": 1}", "/a", 1, 2},
		{"YAML CRLF", "p.yaml", "é: 1\r\nb: 2\r\n", "/b", 2, 1},
		{"YAML alias member is its key", "p.yaml", "base: &b\n  x: 1\ncopy: *b\n", "/copy", 3, 1},
		{"YAML through an alias into its anchor", "p.yaml", "base: &b\n  x: 1\ncopy: *b\n", "/copy/x", 2, 3},
		{"YAML numeric key", "p.yaml", "a:\n  1: one\n", "/a/1", 2, 3},
		{"sniffed JSON", "-", "\n  {\"a\": [1, 2]}", "/a/1", 2, 13},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.file, tt.data)
			if line, col := d.Position(tt.pointer); line != tt.line || col != tt.col {
				t.Errorf("Position(%q) = %d:%d, want %d:%d", tt.pointer, line, col, tt.line, tt.col)
			}
		})
	}
}

func TestPositionIndexIsLazyAndConcurrent(t *testing.T) {
	d := mustParse(t, "plan.json", planJSON)
	if d.index != nil {
		t.Fatal("Parse built the position index")
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if line, col := d.Position("/objectives/1/tags/1"); line != 5 || col != 33 {
				t.Errorf("Position = %d:%d, want 5:33", line, col)
			}
		}()
	}
	wg.Wait()
	if d.index == nil {
		t.Fatal("Position did not build the index")
	}
	var zero Document
	if line, col := zero.Position("/a"); line != 0 || col != 0 {
		t.Errorf("zero Document Position = %d:%d, want 0:0", line, col)
	}
}

// errorCase is a bad input and what its error must say.
type errorCase struct {
	name      string
	file      string // file name, which picks the format
	data      string
	lim       Limits
	line, col int      // where the error must point (0: no line or column)
	words     []string // must all appear in the message
}

var errorCases = []errorCase{
	// 1. Size.
	{name: "over the default size", file: "p.yaml", data: strings.Repeat("#", 9_542_042),
		words: []string{"file is 9.1 MiB", "over the limit of 8 MiB", "--max-file-size"}},
	{name: "over a set size", file: "p.json", data: `{"a": "` + strings.Repeat("x", 1536) + `"}`, lim: Limits{MaxBytes: 1024},
		words: []string{"file is 1.5 KiB", "over the limit of 1 KiB"}},
	{name: "just over a set size", file: "p.json", data: `{"a": 1}`, lim: Limits{MaxBytes: 7},
		words: []string{"file is 8 bytes", "over the limit of 7 bytes"}},
	{name: "a byte over a round size", file: "p.json", data: `{"a": "` + strings.Repeat("x", 2<<20-8) + `"}`, lim: Limits{MaxBytes: 2 << 20},
		words: []string{"file is 2097153 bytes", "over the limit of 2097152 bytes"}},

	// 2. Encoding.
	{name: "invalid UTF-8", file: "p.yaml", data: "a: 1\nbé: caf\xe9\n", line: 2, col: 8,
		words: []string{"not UTF-8 text", "0xE9", "save the file as UTF-8"}},
	{name: "invalid UTF-8 in JSON", file: "p.json", data: "{\"a\":\n \"\xff\"}", line: 2, col: 3,
		words: []string{"not UTF-8 text"}},
	{name: "UTF-16 BOM", file: "p.yaml", data: "\xff\xfea\x00:\x00", line: 1, col: 1,
		words: []string{"UTF-16", "save it as UTF-8"}},
	{name: "UTF-16 big-endian BOM", file: "-", data: "\xfe\xff\x00{", line: 1, col: 1,
		words: []string{"UTF-16"}},
	{name: "NUL byte", file: "p.json", data: "{\"a\": 1,\x00}", line: 1, col: 9,
		words: []string{"NUL", "UTF-8"}},
	{name: "control character", file: "p.yaml", data: "a: b\x07\n", line: 1, col: 5,
		words: []string{"control character U+0007"}},

	// 3. Syntax.
	{name: "JSON missing colon", file: "p.json", data: "{\n  \"a\" 1\n}", line: 2, col: 7,
		words: []string{"JSON syntax error", "after object key"}},
	{name: "JSON bad literal", file: "p.json", data: "{\n  \"a\": tru\n}", line: 2, col: 11,
		words: []string{"JSON syntax error", "literal true"}},
	{name: "JSON trailing comma", file: "p.json", data: "{\"a\": [1, 2,],\n\"b\": 1}", line: 1, col: 13,
		words: []string{"JSON syntax error"}},
	{name: "JSON truncated", file: "p.json", data: "{\n  \"a\": [1, 2\n\n", line: 2, col: 13,
		words: []string{"ends before the JSON is complete"}},
	{name: "JSON truncated string", file: "p.json", data: "{\"a\": \"abc", line: 1, col: 11,
		words: []string{"ends before the JSON is complete"}},
	{name: "JSON bad key", file: "p.json", data: "{\"a\": 1,\n 2: 3}", line: 2, col: 2,
		words: []string{"JSON syntax error"}},
	{name: "YAML bad indentation", file: "p.yaml", data: "a: 1\n  b: 2\n", line: 2,
		words: []string{"YAML syntax error", "mapping values are not allowed"}},
	{name: "YAML on line 1", file: "p.yaml", data: "a: b: c\n", line: 1,
		words: []string{"YAML syntax error"}},
	{name: "YAML parser error line", file: "p.yaml", data: "a: 1\nb: 2\n- c\n", line: 3,
		words: []string{"YAML syntax error", "did not find expected key"}},
	{name: "YAML unclosed flow", file: "p.yaml", data: "a: 1\nb: [1, 2\nc: 3\n", line: 2,
		words: []string{"YAML syntax error"}},
	{name: "YAML unknown anchor", file: "p.yaml", data: "a: &x 1\nb: [*x, *nope]\n", line: 2, col: 9,
		words: []string{"*nope", "not defined"}},
	{name: "YAML tab indentation", file: "p.yaml", data: "a:\n\t- b\n", line: 2,
		words: []string{"YAML syntax error"}},

	// 4. Duplicate keys.
	{name: "JSON duplicate key", file: "p.json", data: "{\n  \"region\": \"x\",\n  \"n\": 1,\n  \"region\": \"y\"\n}", line: 4, col: 3,
		words: []string{`duplicate key "region" at line 4, column 3 (first at line 2, column 3); remove one`}},
	{name: "JSON duplicate after escapes", file: "p.json", data: `{"a": 1, "\u0061": 2}`, line: 1, col: 10,
		words: []string{`duplicate key "a"`}},
	{name: "YAML duplicate key", file: "p.yaml", data: "region: x\nn: 1\nm:\n  k: 1\n  k: 2\nregion: y\n", line: 5, col: 3,
		words: []string{`duplicate key "k" at line 5, column 3 (first at line 4, column 3); remove one`}},
	{name: "YAML duplicate top-level key", file: "p.yaml", data: "x: 1\n\n\nregion: a\nb: 2\n\n\n\nregion: y\n", line: 9, col: 1,
		words: []string{`duplicate key "region" at line 9, column 1 (first at line 4, column 1); remove one`}},
	{name: "YAML duplicate numeric key", file: "p.yaml", data: "1: a\n'1': b\n", line: 2, col: 1,
		words: []string{`duplicate key "1"`}},

	// 5. Aliases and merge keys.
	{name: "alias bomb", file: "p.yaml", data: lolBomb, line: 7, col: 8,
		words: []string{"more than 1000000 values", "aliases"}},
	{name: "alias bomb, small limit", file: "p.yaml", data: lolBomb, lim: Limits{MaxNodes: 100}, line: 2, col: 32,
		words: []string{"more than 100 values"}},
	{name: "alias cycle", file: "p.yaml", data: "a: &x\n  b: [1, *x]\n", line: 2, col: 10,
		words: []string{"alias *x", "its own anchor"}},
	{name: "merge key", file: "p.yaml", data: "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", line: 3, col: 3,
		words: []string{"merge keys (<<) are not supported", "write the merged keys out"}},
	{name: "too many JSON values", file: "p.json", data: `{"a": [1, 2, 3, 4]}`, lim: Limits{MaxNodes: 4}, line: 1, col: 14,
		words: []string{"more than 4 values"}},
	{name: "JSON nested too deep", file: "p.json", data: `{"a": ` + strings.Repeat("[", 1200) + strings.Repeat("]", 1200) + "}", line: 1, col: 1007,
		words: []string{"nested more than 1000 levels"}},
	{name: "YAML nested too deep", file: "p.yaml", data: "a: " + strings.Repeat("[", 1200) + strings.Repeat("]", 1200) + "\n", line: 1, col: 1004,
		words: []string{"nested more than 1000 levels"}},

	// 6. Several documents, trailing data.
	{name: "second YAML document", file: "p.yaml", data: "---\na: 1\nb: 2\n---\nc: 3\n", line: 4, col: 1,
		words: []string{"second YAML document", "exactly one document"}},
	{name: "trailing --- is a second document", file: "p.yaml", data: "a: 1\n---\n", line: 2, col: 1,
		words: []string{"second YAML document"}},
	{name: "JSON trailing data", file: "p.json", data: "{\"a\": 1}\n\n  {\"b\": 2}\n", line: 3, col: 3,
		words: []string{"after the end of the JSON", "exactly one JSON value"}},
	{name: "JSON trailing garbage", file: "p.json", data: "{\"a\": 1} x", line: 1, col: 10,
		words: []string{"after the end of the JSON"}},

	// 7. Not finite.
	{name: "JSON NaN", file: "p.json", data: "{\n  \"a\": NaN\n}", line: 2, col: 8,
		words: []string{"JSON syntax error", "NaN and Infinity", "finite"}},
	{name: "JSON Infinity", file: "p.json", data: "{\"a\": [1,\n Infinity]}", line: 2, col: 2,
		words: []string{"NaN and Infinity"}},
	{name: "JSON -Infinity", file: "p.json", data: "{\"a\":\n\n -Infinity}", line: 3, col: 2,
		words: []string{"NaN and Infinity"}},
	{name: "YAML .nan", file: "p.yaml", data: "a: 1\nb: .nan\n", line: 2, col: 4,
		words: []string{".nan is not a finite number"}},
	{name: "YAML .inf", file: "p.yaml", data: "b: [1, .inf]\n", line: 1, col: 8,
		words: []string{"not a finite number"}},
	{name: "YAML -.Inf", file: "p.yaml", data: "b:\n  c: -.Inf\n", line: 2, col: 6,
		words: []string{"-.Inf is not a finite number"}},
	{name: "YAML tagged nan", file: "p.yaml", data: "b: !!float nan\n", line: 1, col: 4,
		words: []string{"not a finite number"}},

	// 8. Out of range.
	{name: "JSON 1e400", file: "p.json", data: "{\n  \"a\": 1e400\n}", line: 2, col: 8,
		words: []string{"number 1e400 is out of range"}},
	{name: "JSON -1e999", file: "p.json", data: "{\"a\": [0, -1e999]}", line: 1, col: 11,
		words: []string{"number -1e999 is out of range"}},
	{name: "JSON huge integer", file: "p.json", data: `{"a": 1` + strings.Repeat("0", 400) + "}", line: 1, col: 7,
		words: []string{"out of range"}},
	{name: "YAML 1e400", file: "p.yaml", data: "x: 1\na: 1e400\n", line: 2, col: 4,
		words: []string{"number 1e400 is out of range"}},
	{name: "YAML -1e999", file: "p.yaml", data: "a:\n  - -1e999\n", line: 2, col: 5,
		words: []string{"number -1e999 is out of range"}},
	{name: "YAML huge integer", file: "p.yaml", data: "a: !!int 1" + strings.Repeat("0", 400) + "\n", line: 1, col: 4,
		words: []string{"out of range"}},

	// 9. Empty.
	{name: "empty file", file: "p.yaml", data: "", words: []string{"file is empty"}},
	{name: "empty JSON", file: "p.json", data: " \n\t\r\n", words: []string{"file is empty"}},
	{name: "only comments", file: "p.yaml", data: "# a plan\n\n# to come\n", words: []string{"file is empty"}},
	{name: "only a document marker", file: "p.yml", data: "---\n# nothing\n", words: []string{"file is empty"}},
	{name: "empty stdin", file: "-", data: "\n", words: []string{"file is empty"}},

	// 10. Top level not a mapping.
	{name: "JSON list", file: "p.json", data: "\n [1, 2]", line: 2, col: 2,
		words: []string{"a plan must be a mapping of keys to values", "a list"}},
	{name: "JSON string", file: "p.json", data: `"plan"`, line: 1, col: 1,
		words: []string{"must be a mapping", "a single string"}},
	{name: "JSON null", file: "p.json", data: `null`, line: 1, col: 1,
		words: []string{"must be a mapping", "null"}},
	{name: "YAML list", file: "p.yaml", data: "# plan\n- a\n- b\n", line: 2, col: 1,
		words: []string{"must be a mapping", "a list"}},
	{name: "YAML number", file: "p.yaml", data: "42\n", line: 1, col: 1,
		words: []string{"must be a mapping", "a single number"}},
	{name: "YAML explicit null", file: "p.yaml", data: "~\n", line: 1, col: 1,
		words: []string{"must be a mapping", "null"}},
	{name: "sniffed JSON list", file: "-", data: "[{}]", line: 1, col: 1,
		words: []string{"must be a mapping"}},

	// Other YAML the plain value cannot hold.
	{name: "binary", file: "p.yaml", data: "a: !!binary aGk=\n", line: 1, col: 4,
		words: []string{"!!binary", "not allowed"}},
	{name: "mapping as key", file: "p.yaml", data: "a: 1\n? {b: 1}\n: 2\n", line: 2, col: 3,
		words: []string{"key must be a plain string"}},
	{name: "unknown tag", file: "p.yaml", data: "a: !Ref b\n", line: 1, col: 4,
		words: []string{"tag !Ref is not supported"}},
	{name: "set", file: "p.yaml", data: "a: !!set {x, y}\n", line: 1, col: 4,
		words: []string{"tag !!set is not supported"}},
	{name: "bad bool", file: "p.yaml", data: "a: !!bool yes\n", line: 1, col: 4,
		words: []string{`cannot read "yes" as true or false`}},
	{name: "bad int", file: "p.yaml", data: "a: !!int ten\n", line: 1, col: 4,
		words: []string{`cannot read "ten" as an integer`}},
}

func TestErrors(t *testing.T) {
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.file, []byte(tt.data), tt.lim)
			checkError(t, d, err, tt)
		})
	}
}

func checkError(t *testing.T, d *Document, err error, tt errorCase) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want an *Error", err, err)
	}
	if d != nil {
		t.Error("got a Document as well as an error")
	}
	if e.File != tt.file {
		t.Errorf("File = %q, want %q", e.File, tt.file)
	}
	if e.Line != tt.line || e.Column != tt.col {
		t.Errorf("at %d:%d, want %d:%d (%v)", e.Line, e.Column, tt.line, tt.col, err)
	}
	for _, w := range tt.words {
		if !strings.Contains(e.Msg, w) {
			t.Errorf("message %q lacks %q", e.Msg, w)
		}
	}
}

func TestAliasBombIsRefusedQuickly(t *testing.T) {
	start := time.Now()
	_, err := Parse("lol.yaml", []byte(lolBomb), Limits{})
	if err == nil {
		t.Fatal("alias bomb accepted")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("refusing the alias bomb took %v", took)
	}
}

func TestSmallAliasesWork(t *testing.T) {
	d := mustParse(t, "p.yaml", "defaults: &d {rate: 0.5, tags: [x]}\na: *d\nb: *d\nc: [*d, *d]\n")
	m := d.Value.(map[string]any)
	want := map[string]any{"rate": json.Number("0.5"), "tags": []any{"x"}}
	for _, got := range []any{m["a"], m["b"], m["c"].([]any)[0], m["c"].([]any)[1]} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("alias = %#v, want %#v", got, want)
		}
	}
	// Each expansion is a copy of its own.
	m["a"].(map[string]any)["rate"] = "changed"
	if m["b"].(map[string]any)["rate"] != json.Number("0.5") {
		t.Error("aliases share one map")
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "p.yaml", Line: 3, Column: 7, Msg: "bad"}, "p.yaml:3:7: bad"},
		{Error{File: "p.yaml", Line: 3, Msg: "bad"}, "p.yaml:3: bad"},
		{Error{File: "p.yaml", Msg: "bad"}, "p.yaml: bad"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	path := write("plan.yaml", planYAML)
	d, err := Read(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != path || d.Value.(map[string]any)["region"] != "London" {
		t.Errorf("Read = %q %#v", d.Name, d.Value)
	}

	big := write("big.json", `{"a": "`+strings.Repeat("x", 3<<20)+`"}`)
	_, err = Read(big, Limits{MaxBytes: 2 << 20})
	checkError(t, nil, err, errorCase{file: big, words: []string{"file is 3 MiB, over the limit of 2 MiB"}})

	_, err = ReadFrom("-", strings.NewReader(strings.Repeat("a", 3<<20)), Limits{MaxBytes: 2 << 20})
	checkError(t, nil, err, errorCase{file: "-", words: []string{"over the limit of 2 MiB"}})

	d, err = ReadFrom("-", strings.NewReader(planJSON), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if line, col := d.Position("/a~1b/m~0n"); line != 7 || col != 11 {
		t.Errorf("stdin Position = %d:%d, want 7:11", line, col)
	}

	missing := filepath.Join(dir, "missing.yaml")
	_, err = Read(missing, Limits{})
	checkError(t, nil, err, errorCase{file: missing, words: []string{"cannot read the file", "no such file"}})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{planJSON, planYAML, lolBomb, "a: &x [*x]\n", "a: 1\n---\nb: 2\n"} {
		f.Add("p.json", []byte(s))
		f.Add("p.yaml", []byte(s))
	}
	for _, tt := range errorCases {
		if len(tt.data) < 4096 {
			f.Add(tt.file, []byte(tt.data))
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		name = []string{"p.json", "p.yaml", "-"}[len(name)%3]
		d, err := Parse(name, data, Limits{MaxNodes: 10_000})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != name || e.Msg == "" || e.Line < 0 || e.Column < 0 {
				t.Fatalf("error %#v is not a located *Error", err)
			}
			return
		}
		if _, ok := d.Value.(map[string]any); !ok {
			t.Fatalf("Value is %T, want map[string]any", d.Value)
		}
		if err := checkPlain(d.Value); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(d.Value); err != nil {
			t.Fatalf("Value does not marshal to JSON: %v", err)
		}
		for _, p := range []string{"", "/a", "/0", "/a/0/b", "x"} {
			if line, col := d.Position(p); line < 1 || col < 1 {
				t.Fatalf("Position(%q) = %d:%d", p, line, col)
			}
		}
	})
}

// checkPlain reports a value that is not built only from the allowed types.
func checkPlain(v any) error {
	switch v := v.(type) {
	case map[string]any:
		for _, e := range v {
			if err := checkPlain(e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range v {
			if err := checkPlain(e); err != nil {
				return err
			}
		}
	case json.Number, string, bool, nil:
	default:
		return fmt.Errorf("value of type %T", v)
	}
	return nil
}

// TestLookup follows JSON pointers through maps and lists, with escaped
// keys, and says when a pointer leads nowhere.
func TestLookup(t *testing.T) {
	doc := map[string]any{"budget": map[string]any{"lines": []any{map[string]any{"code": "PGMD"}}}, "a/b": 1.0}
	for _, tc := range []struct {
		pointer string
		want    any
		ok      bool
	}{
		{"/budget/lines/0/code", "PGMD", true},
		{"/a~1b", 1.0, true},
		{"/budget/lines/1", nil, false},
		{"/budget/lines/x", nil, false},
		{"/budget/lines/0/code/deeper", nil, false},
		{"/missing", nil, false},
	} {
		got, ok := Lookup(doc, tc.pointer)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tc.pointer, got, ok, tc.want, tc.ok)
		}
	}
	if got, ok := Lookup(doc, ""); !ok || got == nil {
		t.Errorf("the empty pointer is the document itself, got %v, %v", got, ok)
	}
}
