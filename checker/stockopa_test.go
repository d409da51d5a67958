package checker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// stockBundle is the policy bundle as conftest loads it with
// `--policy policies --data policies`: every .rego and data file under the
// directory, data placed by its directory, compiled together with nothing
// precomputed.
type stockBundle struct {
	compiler *ast.Compiler
	store    storage.Store
	packages []string // the plan packages, e.g. rdp.metip
}

func loadStockBundle(t *testing.T) *stockBundle {
	t.Helper()
	res, err := loader.NewFileLoader().WithRegoVersion(ast.RegoV1).All([]string{policyDirForTest()})
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	pkgs := map[string]bool{}
	for name, f := range res.Modules {
		modules[name] = f.Parsed
		pkg := strings.TrimPrefix(f.Parsed.Package.Path.String(), "data.")
		if !strings.HasSuffix(name, "_test.rego") && groupOf(pkg) == groupPlan {
			pkgs[pkg] = true
		}
	}
	compiler := ast.NewCompiler()
	if compiler.Compile(modules); compiler.Failed() {
		t.Fatal(compiler.Errors)
	}
	return &stockBundle{compiler: compiler, store: inmem.NewFromObject(res.Documents), packages: sortedKeys(pkgs)}
}

// findings evaluates every plan package's deny, warn and info set on the
// plan, as conftest does, and returns them as "severity rule path: msg".
func (b *stockBundle) findings(ctx context.Context, t *testing.T, plan any) []string {
	t.Helper()
	var out []string
	for _, pkg := range b.packages {
		for kind, sev := range kinds {
			rs, err := rego.New(rego.Compiler(b.compiler), rego.Store(b.store),
				rego.Query(fmt.Sprintf("data.%s.%s", pkg, kind)), rego.Input(plan)).Eval(ctx)
			if err != nil {
				t.Fatalf("%s.%s: %v", pkg, kind, err)
			}
			if len(rs) == 0 {
				continue
			}
			for _, item := range rs[0].Expressions[0].Value.([]any) {
				f := (&engine{}).finding(ruleSet{pkg: pkg, severity: sev}, item)
				out = append(out, stockKey(f))
			}
		}
	}
	slices.Sort(out)
	return out
}

// compare reports where rdpcheck's findings on a plan (schema findings
// aside) differ from stock OPA's, and returns how many stock OPA found.
func (b *stockBundle) compare(ctx context.Context, t *testing.T, name string, fs []Finding, plan any) int {
	t.Helper()
	var got []string
	for _, f := range fs {
		if f.Rule != SchemaRule {
			got = append(got, stockKey(f))
		}
	}
	slices.Sort(got)
	want := b.findings(ctx, t, plan)
	if !slices.Equal(got, want) {
		t.Errorf("%s: rdpcheck and stock OPA disagree\nrdpcheck:\n  %s\nstock OPA:\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	return len(want)
}

// asRead is a plan as stock OPA reads it: as JSON, as conftest does.
func asRead(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var plan map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&plan); err != nil {
		t.Fatal(err)
	}
	return plan
}

func stockKey(f Finding) string {
	return fmt.Sprintf("%s %s %s %s: %s", f.Severity, f.Rule, f.Objective, f.Path, f.Message)
}

// TestSameFindingsAsStockOPA checks that rdpcheck, which works out the
// reference-only values once and compiles only the packages a command
// runs, finds exactly what stock OPA finds evaluating the bundle itself,
// on every plan fixture (schema findings aside: they are not Rego).
func TestSameFindingsAsStockOPA(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluates every fixture with stock OPA")
	}
	ctx := context.Background()
	stock := loadStockBundle(t)
	c, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var plans []string
	for _, pattern := range []string{"../fixtures/plans/*/*.*", "../fixtures/rollup/*/*.*", "../fixtures/resubmission/*.*"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if ext := filepath.Ext(p); ext == ".yaml" || ext == ".json" {
				plans = append(plans, p)
			}
		}
	}
	if len(plans) < 50 {
		t.Fatalf("found %d fixtures, want every plan fixture", len(plans))
	}
	total := 0
	for _, p := range plans {
		doc, err := document.Read(p, document.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		fs, err := c.CheckDocument(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		want := stock.compare(ctx, t, p, fs, asRead(t, doc.Value))
		total += want
	}
	if total == 0 {
		t.Error("no findings at all on the fixtures: the comparison proves nothing")
	}
	t.Logf("%d plans, %d findings, all equal", len(plans), total)
}

func policyDirForTest() string {
	if d := os.Getenv("STOCK_POLICIES"); d != "" {
		return d
	}
	return "../policies"
}
