package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bomb = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

// TestBadInput feeds each kind of bad file to the real binary together
// with a valid plan: the bad file is reported with its name, line and
// what is wrong, the run exits 2, and the valid plan is still checked.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name, file, content string
		want                []string // substrings of the report line for the bad file
	}{
		{"duplicate key yaml", "dup.yaml", "schema_version: rdp/v1\nregion: London\nfinancial_year: \"2022/23\"\nregion: Midlands\n",
			[]string{"dup.yaml:4:1", `duplicate key "region"`, "line 2"}},
		{"duplicate key json", "dup.json", "{\n  \"region\": \"London\",\n  \"objectives\": [],\n  \"region\": \"Midlands\"\n}\n",
			[]string{"dup.json:4:3", `duplicate key "region"`, "line 2"}},
		{"alias bomb", "bomb.yaml", bomb, []string{"bomb.yaml:", "alias"}},
		{"not utf-8", "latin1.yaml", "region: London\ncontact: Se\xf1ora\n", []string{"latin1.yaml:2:", "UTF-8"}},
		{"several documents", "two.yaml", "region: London\n---\nregion: Midlands\n", []string{"two.yaml:2:", "document"}},
		{"NaN in json", "nan.json", "{\n  \"budget\": {\"allocation\": NaN}\n}\n", []string{"nan.json:2:"}},
		{"infinity in yaml", "inf.yaml", "budget:\n  allocation: .inf\n", []string{"inf.yaml:2:", "finite"}},
		{"number too large", "big.json", "{\n  \"budget\": {\"allocation\": 1e400}\n}\n", []string{"big.json:2:", "1e400"}},
		{"syntax error yaml", "syntax.yaml", "region: London\nobjectives: [\n", []string{"syntax.yaml:"}},
		{"empty file", "empty.yaml", "# nothing here\n", []string{"empty.yaml", "empty"}},
		{"not a mapping", "list.yaml", "- a\n- b\n", []string{"list.yaml:1:", "mapping"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bad := filepath.Join(dir, tc.file)
			if err := os.WriteFile(bad, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, "", "check", bad, "fixtures/plans/valid/london.yaml")
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			var line string
			for _, l := range strings.Split(r.stdout, "\n") {
				if strings.HasPrefix(l, bad) {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("no report line for %s:\n%s", bad, r.stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("report line lacks %q:\n%s", w, line)
				}
			}
			if !strings.Contains(r.stdout, "fixtures/plans/valid/london.yaml (London): no findings") {
				t.Errorf("the valid plan beside the bad file was not checked:\n%s", r.stdout)
			}
			if strings.Contains(r.stderr, "panic") {
				t.Errorf("panic:\n%s", r.stderr)
			}
		})
	}
}

// TestFileTooLarge checks the size limit, its flag and its message.
func TestFileTooLarge(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	content := "notes: \"" + strings.Repeat("x", 9<<20) + "\"\n"
	if err := os.WriteFile(big, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "check", big)
	if r.code != 2 || !strings.Contains(r.stdout, "big.yaml") || !strings.Contains(r.stdout, "8 MiB") {
		t.Errorf("default limit: exit %d, want 2 and a message naming the 8 MiB limit:\n%s", r.code, r.stdout)
	}
	small := run(t, "", "check", "--max-file-size", "16KiB", "fixtures/plans/valid/london.yaml")
	if small.code != 2 || !strings.Contains(small.stdout, "london.yaml") {
		t.Errorf("--max-file-size 16KiB: exit %d, want 2:\n%s", small.code, small.stdout)
	}
}

func TestMissingFile(t *testing.T) {
	r := run(t, "", "check", "no/such/plan.yaml", "fixtures/plans/valid/midlands.yaml")
	if r.code != 2 || !strings.Contains(r.stdout, "no/such/plan.yaml") || !strings.Contains(r.stdout, "midlands.yaml (Midlands): no findings") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
}
