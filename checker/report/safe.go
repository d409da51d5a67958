package report

import (
	"fmt"
	"strings"
	"unicode"
)

// clean is the one sanitiser every human-readable format (text,
// markdown, html, junit, github) passes text from plans, file names and
// policies through, so that no reader can be fooled or commanded by it:
//
//   - tabs, line feeds and carriage returns become spaces, so text stays
//     on its line and cannot start a line of its own;
//   - every other control character (C0, DEL, C1 such as U+0085), the
//     line and paragraph separators U+2028 and U+2029, bidirectional
//     overrides and isolates (U+202A–U+202E, U+2066–U+2069), directional
//     marks and zero-width characters are shown as \uXXXX, so they can
//     neither move the cursor, colour the terminal, reorder what is
//     displayed nor hide text;
//   - GitHub Actions workflow commands are neutralised: "##[" (the
//     legacy form, obeyed anywhere in a line) becomes "##\[", and "::" at
//     the start (after any spaces, which the runner skips) becomes ":\:".
func clean(s string) string {
	if !needsCleaning(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case hidden(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	out := strings.ReplaceAll(b.String(), "##[", `##\[`)
	rest := strings.TrimLeftFunc(out, unicode.IsSpace)
	if strings.HasPrefix(rest, "::") {
		out = out[:len(out)-len(rest)] + `:\:` + rest[2:]
	}
	return out
}

// needsCleaning reports whether clean would change s.
func needsCleaning(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' || hidden(r) }) >= 0 ||
		strings.Contains(s, "##[") || strings.HasPrefix(strings.TrimLeftFunc(s, unicode.IsSpace), "::")
}

// hidden reports whether a character would act on the display instead of
// showing: control characters, line and paragraph separators, bidi
// controls, directional marks and zero-width characters.
func hidden(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= 0x200B && r <= 0x200F, // zero-width space, joiners, LRM, RLM
		r == 0x2028 || r == 0x2029, // line and paragraph separators
		r >= 0x202A && r <= 0x202E, // bidi embeddings and overrides
		r >= 0x2060 && r <= 0x2069, // word joiner, invisible operators, bidi isolates
		r == 0x061C || r == 0xFEFF: // Arabic letter mark, zero-width no-break space
		return true
	}
	return false
}
