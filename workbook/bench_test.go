package workbook

import (
	"bytes"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// BenchmarkWrite writes a full regional plan as a workbook.
func BenchmarkWrite(b *testing.B) {
	plan := loadB(b)
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, plan); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead reads a full regional plan back from its workbook.
func BenchmarkRead(b *testing.B) {
	plan := loadB(b)
	var buf bytes.Buffer
	if err := Write(&buf, plan); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, _, err := ReadBytes("plan.xlsx", buf.Bytes(), Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func loadB(b *testing.B) map[string]any {
	b.Helper()
	doc, err := document.Read("../fixtures/plans/valid/london.yaml", document.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	return doc.Value.(map[string]any)
}
