package policies_test

import (
	"context"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/hee-rdp/rdpcheck/policies"
)

// TestRego runs every *_test.rego beside the policies through OPA's own
// test runner, as `opa test policies/` would.
func TestRego(t *testing.T) {
	results, err := tester.Run(context.Background(), ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		name := r.Package + "." + r.Name
		switch {
		case r.Error != nil:
			t.Errorf("%s (%s): error: %v", name, r.Location, r.Error)
		case r.Fail:
			t.Errorf("%s (%s): FAIL", name, r.Location)
		}
	}
	t.Logf("%d Rego tests", len(results))
}

// regoFiles reads every embedded .rego file, by path.
func regoFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		files[path] = string(src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestFormatted fails when a policy is not laid out as `opa fmt` would.
func TestFormatted(t *testing.T) {
	for path, src := range regoFiles(t) {
		want, err := format.SourceWithOpts(path, []byte(src), format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != src {
			t.Errorf("policies/%s is not formatted; run `make fmt` (opa fmt)", path)
		}
	}
}

var ruleID = regexp.MustCompile(`(?m)^#\s+id:\s*(RDP-[A-Z]+-\d{3})\s*$`)

// TestEveryRuleHasARegoTest fails when a rule id declared in a policy is
// never mentioned by a *_test.rego file.
func TestEveryRuleHasARegoTest(t *testing.T) {
	var ids []string
	var tests strings.Builder
	for path, src := range regoFiles(t) {
		if strings.HasSuffix(path, "_test.rego") {
			tests.WriteString(src)
			continue
		}
		for _, m := range ruleID.FindAllStringSubmatch(src, -1) {
			ids = append(ids, m[1])
		}
	}
	if len(ids) < 40 {
		t.Fatalf("found %d rule ids, want at least 40", len(ids))
	}
	for _, id := range ids {
		if !strings.Contains(tests.String(), `"`+id+`"`) {
			t.Errorf("rule %s has no Rego unit test that names it", id)
		}
	}
}
