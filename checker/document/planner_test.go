package document

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestYAMLOnlyBreaksKeepLines checks that NEL, LINE SEPARATOR and
// PARAGRAPH SEPARATOR (pasted from Word or PDF) neither move later lines
// nor break plain text, and that the text keeps them.
func TestYAMLOnlyBreaksKeepLines(t *testing.T) {
	for _, r := range []string{"\u0085", "\u2028", "\u2029"} {
		for _, style := range []struct{ name, value, want string }{
			{"double-quoted", `"Recover` + r + `training"`, "Recover" + r + "training"},
			{"single-quoted", `'Recover` + r + `training'`, "Recover" + r + "training"},
			{"plain", "Recover" + r + "training", "Recover" + r + "training"},
		} {
			t.Run(style.name+" "+strings.TrimPrefix(json.Number(r).String(), ""), func(t *testing.T) {
				d := mustParse(t, "p.yaml", "a:\n  title: "+style.value+"\n  owner: x\nb: "+r+"\nc: 3\n")
				m := d.Value.(map[string]any)
				if got := m["a"].(map[string]any)["title"]; got != style.want {
					t.Errorf("title = %q, want %q", got, style.want)
				}
				if got := m["b"]; got != r {
					t.Errorf("b = %q, want %q", got, r)
				}
				for pointer, want := range map[string]int{"/a/owner": 3, "/b": 4, "/c": 5} {
					if line, _ := d.Position(pointer); line != want {
						t.Errorf("%s is on line %d, want %d", pointer, line, want)
					}
				}
			})
		}
	}
}

// TestShieldBreaksAvoidsCharactersInTheFile checks that the stand-in for a
// line separator is never a character the file already holds.
func TestShieldBreaksAvoidsCharactersInTheFile(t *testing.T) {
	d := mustParse(t, "p.yaml", "a: \"x\ue000y\u2028z\ue001\"\nb: 1\n")
	if got := d.Value.(map[string]any)["a"]; got != "x\ue000y\u2028z\ue001" {
		t.Errorf("a = %q", got)
	}
}

// TestLeadingZeroIntegersAreDecimal checks that 01234 is 1234, as the
// planner typed it (YAML 1.2), and never the YAML 1.1 octal 668.
func TestLeadingZeroIntegersAreDecimal(t *testing.T) {
	d := mustParse(t, "p.yaml", "declared_total: 01234\nplanned_starts: 0120\nneg: -007\nplus: +010\nzero: 00\nunder: 0_120\noct: 0o17\nfloat: 0120.5\n")
	want := map[string]any{"declared_total": json.Number("1234"), "planned_starts": json.Number("120"), "neg": json.Number("-7"),
		"plus": json.Number("10"), "zero": json.Number("0"), "under": json.Number("120"), "oct": json.Number("15"), "float": json.Number("120.5")}
	got := d.Value.(map[string]any)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

// TestYAML12Directive checks that a file that declares YAML 1.2 is read,
// with its positions unchanged.
func TestYAML12Directive(t *testing.T) {
	for _, src := range []string{"%YAML 1.2\n---\na: 1\nb: 2\n", "# plan\n%YAML   1.2\n---\na: 1\nb: 2\n"} {
		d := mustParse(t, "p.yaml", src)
		if line, _ := d.Position("/b"); line != strings.Count(src, "\n") {
			t.Errorf("%q: /b on line %d", src, line)
		}
	}
	if _, err := Parse("p.yaml", []byte("%YAML 2.0\n---\na: 1\n"), Limits{}); err == nil {
		t.Error("%YAML 2.0 was accepted")
	}
	if got := string(acceptYAML12([]byte("a: |\n  %YAML 1.2\n"))); got != "a: |\n  %YAML 1.2\n" {
		t.Errorf("a directive-like line in the plan's text was changed: %q", got)
	}
}

// TestYAMLSlipsExplained checks the plain-language explanation and the
// line of the YAML syntax errors planners make most.
func TestYAMLSlipsExplained(t *testing.T) {
	const plan = "region: London\n" + // 1
		"objectives:\n" + // 2
		"  - id: RR1\n" + // 3
		"    actions:\n" + // 4
		"      - description: Offer reviews\n" + // 5
		"        owner: Dean\n" + // 6
		"        due: \"2023-01-31\"\n" + // 7
		"    kpis: []\n" // 8
	lines := strings.Split(plan, "\n")
	with := func(line int, text string) string {
		l := append([]string(nil), lines...)
		l[line-1] = text
		return strings.Join(l, "\n")
	}
	for _, tt := range []struct {
		name  string
		data  string
		line  int
		words []string
	}{
		{"colon in a sentence", with(5, "      - description: Offer reviews: surgery first"), 5,
			[]string{`the text of "description" contains a colon`, "put the whole text in double quotes", `description: "Offer reviews: surgery first"`}},
		{"key indented less than its entry", with(7, "       due: \"2023-01-31\""), 7,
			[]string{"indented by 7 spaces", "indent it by 8 spaces like line 6"}},
		{"key where a list entry belongs", with(7, "      due: \"2023-01-31\""), 7,
			[]string{"indented by 6 spaces", "indent it by 8 spaces"}},
		{"key indented between two levels", with(8, "   kpis: []"), 8,
			[]string{"indented by 3 spaces", "indent it by 4 spaces"}},
		{"key indented further than the one above", with(7, "          due: \"2023-01-31\""), 7,
			[]string{`"due" is indented by 10 spaces, further than "owner" on line 6`, "indent it by 8 spaces"}},
		{"tab for indentation", with(7, "\t\tdue: \"2023-01-31\""), 7,
			[]string{"indented with a tab", "YAML indents with spaces only", "replace the tab with spaces"}},
		{"deeper slip far below the blamed line", strings.Replace(plan, "        due", strings.Repeat("        owner2: x\n", 12)+"       due", 1), 19,
			[]string{"indented by 7 spaces"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tt.data), Limits{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if e.Line != tt.line {
				t.Errorf("line %d, want %d: %s", e.Line, tt.line, e.Msg)
			}
			if !strings.HasPrefix(e.Msg, "YAML syntax error: ") {
				t.Errorf("message %q does not start with YAML syntax error", e.Msg)
			}
			for _, w := range tt.words {
				if !strings.Contains(e.Msg, w) {
					t.Errorf("message %q lacks %q", e.Msg, w)
				}
			}
		})
	}
}
