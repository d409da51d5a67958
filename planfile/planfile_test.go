package planfile

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// TestWriteReadBack: a valid plan written as YAML and as JSON reads back
// as the same plan, with keys in the schema's order and dates quoted.
func TestWriteReadBack(t *testing.T) {
	plan, err := Read("../fixtures/plans/valid/london.yaml", document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format Format
		name   string
	}{{YAML, "plan.yaml"}, {JSON, "plan.json"}} {
		var b bytes.Buffer
		if err := Write(&b, plan, tc.format, Options{Header: []string{"a header"}}); err != nil {
			t.Fatal(err)
		}
		doc, err := document.Parse(tc.name, b.Bytes(), document.Limits{})
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.format, err, b.String())
		}
		if !reflect.DeepEqual(plain(t, plan), plain(t, doc.Value)) {
			t.Errorf("%s: the plan read back differs", tc.format)
		}
		text := b.String()
		if strings.Index(text, "schema_version") > strings.Index(text, "region") || strings.Index(text, "region") > strings.Index(text, "objectives") {
			t.Errorf("%s: keys are not in the schema's order:\n%.300s", tc.format, text)
		}
		if tc.format == YAML && (!strings.HasPrefix(text, "# a header\n") || !strings.Contains(text, `submitted_on: "2022-06-30"`) || !strings.Contains(text, "baf_opportunities: [2, 3]")) {
			t.Errorf("YAML lacks the header, a quoted date or a flow list:\n%.600s", text)
		}
	}
}

func plain(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{"a.json": JSON, "a.XLSX": XLSX, "a.yml": YAML, "": YAML, "-": YAML} {
		if got := FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %s, want %s", name, got, want)
		}
	}
}
