package report

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hee-rdp/rdpcheck/checker"
)

// schemaPath is the JSON Schema the json reporter's output must satisfy.
const schemaPath = "../../schemas/report.schema.json"

// loadSchema compiles schemas/report.schema.json as draft 2020-12.
func loadSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	const url = "report.schema.json"
	if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	return s
}

// decode parses JSON into the generic form the validator expects.
func decode(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, data)
	}
	return v
}

func TestJSONGolden(t *testing.T) {
	golden(t, "json.golden", render(t, "json", Options{}, testReport()))
}

func TestJSONMatchesSchema(t *testing.T) {
	schema := loadSchema(t)
	reports := map[string]*checker.Report{
		"shared":  testReport(),
		"empty":   {},
		"unknown": {Files: []checker.FileResult{{Path: "-", Findings: []checker.Finding{{Rule: "my-policy/deny", Severity: checker.SeverityInfo, Message: "x"}}}}},
	}
	for name, r := range reports {
		out := render(t, "json", Options{}, r)
		if err := schema.Validate(decode(t, out)); err != nil {
			t.Errorf("%s report does not match %s: %#v\n%s", name, schemaPath, err, out)
		}
	}
}

func TestJSONGoldenMatchesSchema(t *testing.T) {
	data, err := os.ReadFile("testdata/json.golden")
	if err != nil {
		t.Skip(err)
	}
	if err := loadSchema(t).Validate(decode(t, data)); err != nil {
		t.Errorf("testdata/json.golden does not match %s: %#v", schemaPath, err)
	}
}

// TestSchemaIsStrict checks that the schema rejects output the reporter
// never writes, so that it cannot drift into accepting anything.
func TestSchemaIsStrict(t *testing.T) {
	schema := loadSchema(t)
	valid := string(render(t, "json", Options{}, testReport()))
	tests := map[string]struct{ old, new string }{
		"unknown top-level key": {`"version"`, `"extra": 1, "version"`},
		"wrong version":         {checker.ReportVersion, "rdpcheck/report/v0"},
		"null findings":         {`"findings": []`, `"findings": null`},
		"unknown severity":      {`"severity": "warning"`, `"severity": "fatal"`},
		"empty rule":            {`"rule": "RDP-KPI-004"`, `"rule": ""`},
		"empty message":         {`"message": "KPI target`, `"message": "", "x": "`},
		"relative pointer":      {`"path": "/budget/total"`, `"path": "budget/total"`},
		"negative line":         {`"line": 88`, `"line": -1`},
		"fractional column":     {`"column": 7`, `"column": 7.5`},
		"unknown finding key":   {`"rule": "RDP-KPI-004"`, `"rule": "RDP-KPI-004", "hint": "x"`},
		"unknown error key":     {`"line": 3,`, `"line": 3, "hint": "x",`},
		"missing summary count": {`"infos": 2`, `"infoz": 2`},
	}
	for name, tt := range tests {
		if !strings.Contains(valid, tt.old) {
			t.Fatalf("%s: output lacks %q", name, tt.old)
		}
		bad := strings.Replace(valid, tt.old, tt.new, 1)
		if err := schema.Validate(decode(t, []byte(bad))); err == nil {
			t.Errorf("%s: schema accepted\n%s", name, bad)
		}
	}
}

func TestJSONShape(t *testing.T) {
	in := testReport()
	out := render(t, "json", Options{}, in)
	if !bytes.HasSuffix(out, []byte("}\n")) || bytes.HasSuffix(out, []byte("\n\n")) {
		t.Errorf("output does not end in exactly one newline: %q", out[max(0, len(out)-10):])
	}
	if !bytes.HasPrefix(out, []byte("{\n  \"version\": ")) {
		t.Errorf("output is not indented by two spaces:\n%s", out)
	}
	if bytes.Contains(out, []byte("null")) {
		t.Errorf("output contains null:\n%s", out)
	}
	if !bytes.Contains(out, []byte("< 12 months old & not")) {
		t.Errorf("output escapes < or &:\n%s", out)
	}

	// The caller's report is not modified: nil Findings stay nil.
	if !reflect.DeepEqual(in, testReport()) {
		t.Errorf("Write modified the report")
	}

	// Reading the output back gives the report, with empty findings
	// instead of nil ones.
	var back checker.Report
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	want := testReport()
	for i := range want.Files {
		if want.Files[i].Findings == nil {
			want.Files[i].Findings = []checker.Finding{}
		}
	}
	if !reflect.DeepEqual(&back, want) {
		t.Errorf("round trip differs:\ngot  %+v\nwant %+v", back, *want)
	}
}

func TestJSONFillsVersion(t *testing.T) {
	out := render(t, "json", Options{}, &checker.Report{})
	if !bytes.Contains(out, []byte(`"version": "`+checker.ReportVersion+`"`)) {
		t.Errorf("empty version not filled in:\n%s", out)
	}
}
