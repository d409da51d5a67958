package document

import (
	"bytes"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlOnlyBreaks are the characters that YAML 1.1, and so the parser,
// treats as line breaks, but that editors and YAML 1.2 treat as ordinary
// characters: NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH
// SEPARATOR (U+2029). They arrive in text pasted from Word or PDF.
var yamlOnlyBreaks = []rune{'\u0085', '\u2028', '\u2029'}

// shieldBreaks replaces each of yamlOnlyBreaks in data by a private-use
// character that data does not hold, so that the parser counts lines as
// editors do (by line feeds) and accepts the characters in plain text as
// YAML 1.2 does. It returns the data to parse and the replacer that puts
// the characters back into the parsed text, or data and nil when there is
// nothing to replace.
func shieldBreaks(data []byte) ([]byte, *strings.Replacer) {
	var swap, back []string
	next := rune(0xE000)
	for _, r := range yamlOnlyBreaks {
		if !bytes.ContainsRune(data, r) {
			continue
		}
		for bytes.ContainsRune(data, next) {
			next++
		}
		swap = append(swap, string(r), string(next))
		back = append(back, string(next), string(r))
		next++
	}
	if swap == nil {
		return data, nil
	}
	return []byte(strings.NewReplacer(swap...).Replace(string(data))), strings.NewReplacer(back...)
}

// restoreBreaks puts the characters shieldBreaks replaced back into the
// text of every scalar under n (aliases are not followed: their anchors
// are visited where they are defined).
func restoreBreaks(n *yaml.Node, back *strings.Replacer) {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n = stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.ScalarNode {
			n.Value = back.Replace(n.Value)
		}
		stack = append(stack, n.Content...)
	}
}
