package document

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// A YAML syntax error from the parser names a symptom ("mapping values
// are not allowed in this context") at the line where the parser gave up,
// which is often above the line that is wrong. explainYAML looks at the
// source for the three slips planners make most, and says in plain words
// what is wrong, on which line, and what to write instead.

// yamlSlip is a likely cause of a YAML syntax error: the line it is on
// and what to do about it.
type yamlSlip struct {
	line int
	msg  string
}

// blockScalarStart matches a value that starts a block of text (| or >,
// with optional chomping and indentation indicators).
var blockScalarStart = regexp.MustCompile(`(^|:\s+|^-\s+)[|>][-+0-9]*\s*(#.*)?$`)

// explainYAML returns the likely cause of a YAML syntax error the parser
// reported at line (1-based) with the message problem, or false when it
// cannot tell.
func explainYAML(data []byte, line int, problem string) (yamlSlip, bool) {
	lines := strings.Split(string(data), "\n")
	if s, ok := tabIndent(lines, line); ok {
		return s, true
	}
	if problem == "mapping values are not allowed in this context" && line >= 1 && line <= len(lines) {
		if s, ok := colonInText(lines[line-1], line); ok {
			return s, true
		}
		if s, ok := overIndented(lines, line); ok {
			return s, true
		}
	}
	if s, ok := underIndented(lines, line); ok {
		return s, true
	}
	return yamlSlip{}, false
}

// tabIndent finds a tab in the indentation of a line up to one past the
// reported one: YAML indents with spaces only.
func tabIndent(lines []string, line int) (yamlSlip, bool) {
	for i := 0; i < len(lines) && i <= line; i++ {
		l := lines[i]
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if strings.Contains(indent, "\t") && strings.TrimSpace(l) != "" {
			return yamlSlip{i + 1, "this line is indented with a tab, but YAML indents with spaces only; replace the tab with spaces so the line starts under the other keys of its entry"}, true
		}
	}
	return yamlSlip{}, false
}

// splitKey splits a block mapping line into its indentation (counting a
// leading "- " as indentation), its key and its value text. It reports
// false for a line that is not "key: value".
func splitKey(l string) (indent int, key, value string, ok bool) {
	rest := strings.TrimLeft(l, " ")
	indent = len(l) - len(rest)
	for strings.HasPrefix(rest, "- ") {
		trimmed := strings.TrimLeft(rest[2:], " ")
		indent += len(rest) - len(trimmed)
		rest = trimmed
	}
	if rest == "" || strings.ContainsAny(rest[:1], `"'[{#`) {
		return indent, "", "", false
	}
	i := strings.Index(rest, ": ")
	if i <= 0 {
		return indent, "", "", false
	}
	return indent, rest[:i], strings.TrimSpace(rest[i+2:]), true
}

// colonInText recognises "key: some text: more text", where YAML reads the
// second colon as the start of another key.
func colonInText(l string, line int) (yamlSlip, bool) {
	_, key, value, ok := splitKey(l)
	if !ok || value == "" || strings.ContainsAny(value[:1], `"'[{|>&*!`) {
		return yamlSlip{}, false
	}
	if !strings.Contains(value, ": ") && !strings.HasSuffix(value, ":") {
		return yamlSlip{}, false
	}
	return yamlSlip{line, fmt.Sprintf(
		"the text of %q contains a colon followed by a space, which YAML reads as the start of another key; put the whole text in double quotes: %s: %q",
		key, key, clip(value))}, true
}

// overIndented recognises a "key: value" line indented further than the
// key above it, which YAML reads as part of the value above.
func overIndented(lines []string, line int) (yamlSlip, bool) {
	indent, key, _, ok := splitKey(lines[line-1])
	if !ok {
		return yamlSlip{}, false
	}
	for i := line - 2; i >= 0; i-- {
		if isBlankOrComment(lines[i]) {
			continue
		}
		above, aboveKey, value, ok := splitKey(lines[i])
		if !ok || above >= indent || value == "" {
			return yamlSlip{}, false
		}
		return yamlSlip{line, fmt.Sprintf(
			"%q is indented by %d spaces, further than %q on line %d (%d spaces), so YAML reads it as part of the text above; indent it by %d spaces like the other keys of its entry",
			key, indent, aboveKey, i+1, above, above)}, true
	}
	return yamlSlip{}, false
}

// indentLevel is an indentation at which the lines scanned so far hold
// keys, list entries ("- "), or both.
type indentLevel struct {
	indent    int
	key, item bool
	line      int // the last line with a key at this indentation
}

// underIndented scans the file for the first line, at or after the one
// the parser blamed, whose indentation lines it up with no entry above it:
// between two levels, or with a key where only list entries ("- ") are.
func underIndented(lines []string, reported int) (yamlSlip, bool) {
	stack := []indentLevel{{indent: 0, key: true, line: 1}}
	block := -1 // indentation of the key a block of text (| or >) belongs to
	for i, l := range lines {
		if isBlankOrComment(l) {
			continue
		}
		rest := strings.TrimLeft(l, " ")
		indent := len(l) - len(rest)
		if block >= 0 {
			if indent > block {
				continue
			}
			block = -1
		}
		item := rest == "-" || strings.HasPrefix(rest, "- ")
		popped := indentLevel{indent: -1}
		for len(stack) > 1 && stack[len(stack)-1].indent > indent {
			popped = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		}
		top := &stack[len(stack)-1]
		switch {
		case top.indent == indent && (item || top.key):
			top.item, top.key = top.item || item, top.key || !item
			if !item {
				top.line = i + 1 // the nearest line a planner can line up with
			}
		case top.indent == indent || popped.indent > indent:
			if i+1 < reported {
				return yamlSlip{}, false
			}
			want, at := popped.indent, popped.line
			if top.indent == indent && popped.indent < 0 {
				want, at = indent+2, top.line
			}
			return yamlSlip{i + 1, fmt.Sprintf(
				"this line is indented by %d spaces, which lines it up with no entry above it; YAML tells which entry a line belongs to by its indentation, so indent it by %d spaces like line %d, or by the same spaces as the entry it belongs to",
				indent, want, at)}, true
		default:
			stack = append(stack, indentLevel{indent: indent, key: !item, item: item, line: i + 1})
		}
		if item { // the key after "- " opens a level of its own
			inner := strings.TrimLeft(rest[1:], " ")
			stack = append(stack, indentLevel{indent: indent + len(rest) - len(inner), key: true, line: i + 1})
		}
		if blockScalarStart.MatchString(rest) {
			block = indent
		}
	}
	return yamlSlip{}, false
}

// isBlankOrComment reports whether a line holds nothing but spaces or a
// comment.
func isBlankOrComment(l string) bool {
	t := strings.TrimSpace(l)
	return t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "%") || t == "---"
}

// directiveYAML12 matches a %YAML 1.2 directive line.
var directiveYAML12 = regexp.MustCompile(`^%YAML[ \t]+1\.2([ \t]|$)`)

// acceptYAML12 rewrites a %YAML 1.2 directive at the top of the file as
// %YAML 1.1, which is what the parser accepts: the plan is read by the
// YAML 1.2 rules where they differ and matter (see integer), and the line
// keeps its length so every position stays the same.
func acceptYAML12(data []byte) []byte {
	off := 0
	for off < len(data) {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		l := data[off : off+end]
		if directiveYAML12.Match(l) {
			out := bytes.Clone(data)
			i := bytes.Index(l, []byte("1.2"))
			copy(out[off+i:], "1.1")
			return out
		}
		if !isBlankOrComment(string(l)) || bytes.HasPrefix(bytes.TrimSpace(l), []byte("---")) {
			return data
		}
		off += end + 1
	}
	return data
}
