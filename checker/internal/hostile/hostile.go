// Package hostile builds the hostile plans that the bounded-work tests,
// benchmarks and fuzz seeds feed to rdpcheck: real plans made huge in the
// ways that once made reports or memory grow without bound.
package hostile

import (
	"bytes"
	"fmt"
)

// DuplicateKPIs returns plan with n copies of `- {id: X}` inserted at the
// top of the first objective's KPI list (the first line holding only
// "kpis:"). It returns nil if plan has no such line.
func DuplicateKPIs(plan []byte, n int) []byte {
	return insertAfter(plan, []byte("kpis:"), func(indent string, b *bytes.Buffer) {
		for range n {
			fmt.Fprintf(b, "%s  - {id: X}\n", indent)
		}
	})
}

// BogusObjectives returns plan with n objective entries whose ids are not
// business-plan objectives (ZZ00001, ZZ00002, ...) inserted at the top of
// its objectives list (the line "objectives:"). It returns nil if plan
// has no such line.
func BogusObjectives(plan []byte, n int) []byte {
	return insertAfter(plan, []byte("objectives:"), func(indent string, b *bytes.Buffer) {
		for i := range n {
			fmt.Fprintf(b, "%s  - {id: ZZ%05d}\n", indent, i+1)
		}
	})
}

// insertAfter writes the lines add makes, indented like the first line of
// plan whose trimmed text is key, just after that line.
func insertAfter(plan, key []byte, add func(indent string, b *bytes.Buffer)) []byte {
	lines := bytes.SplitAfter(plan, []byte("\n"))
	var b bytes.Buffer
	done := false
	for _, line := range lines {
		b.Write(line)
		if !done && bytes.Equal(bytes.TrimSpace(line), key) {
			indent := line[:len(line)-len(bytes.TrimLeft(line, " "))]
			add(string(indent), &b)
			done = true
		}
	}
	if !done {
		return nil
	}
	return b.Bytes()
}
