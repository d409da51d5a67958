package workbook

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// normal turns a plan into plain JSON values (numbers as float64), so
// that 60.0 and 60 compare equal as the same number.
func normal(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func load(t *testing.T, path string) map[string]any {
	t.Helper()
	doc, err := document.Read(path, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Value.(map[string]any)
}

func roundTrip(t *testing.T, plan map[string]any) (map[string]any, *Locator) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, plan); err != nil {
		t.Fatal(err)
	}
	back, loc, err := ReadBytes("plan.xlsx", buf.Bytes(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return back, loc
}

// TestRoundTripValidFixtures: every valid plan written as a workbook and
// read back is the same plan document.
func TestRoundTripValidFixtures(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/plans/valid/*.*")
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			plan := load(t, path)
			back, _ := roundTrip(t, plan)
			if !reflect.DeepEqual(normal(t, plan), normal(t, back)) {
				a, _ := json.MarshalIndent(normal(t, plan), "", " ")
				b, _ := json.MarshalIndent(normal(t, back), "", " ")
				t.Errorf("the plan read back differs:\n%s", firstDiff(string(a), string(b)))
			}
		})
	}
	if n != 7 {
		t.Fatalf("found %d valid fixtures, want 7", n)
	}
}

// firstDiff shows the first differing line of two texts, with context.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			lo := max(0, i-3)
			return "want:\n" + strings.Join(al[lo:min(len(al), i+3)], "\n") + "\ngot:\n" + strings.Join(bl[lo:min(len(bl), i+3)], "\n")
		}
	}
	return "lengths differ"
}
