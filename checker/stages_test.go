package checker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"gopkg.in/yaml.v3"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// stagePlan is the plan the stage benchmarks use: a valid regional plan,
// so that every rule runs to its end.
const stagePlan = "../fixtures/plans/valid/london.yaml"

// stageSetup makes a checker and reads the stage plan.
func stageSetup(b *testing.B) (*Checker, []byte) {
	b.Helper()
	c, err := New(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(stagePlan)
	if err != nil {
		b.Fatal(err)
	}
	return c, src
}

// BenchmarkStages reports the cost per plan of each stage of checking
// one: decoding the YAML, schema validation, conversion for OPA, the
// policy evaluation of each plan package on its own, and the whole check.
func BenchmarkStages(b *testing.B) {
	ctx := context.Background()
	c, src := stageSetup(b)
	doc, err := document.Parse(stagePlan, src, document.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	input, err := ast.InterfaceToValue(doc.Value)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			if _, err := document.Parse(stagePlan, src, document.Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("schema", func(b *testing.B) {
		for b.Loop() {
			schemaFindings(c.schema, doc.Value)
		}
	})
	b.Run("convert", func(b *testing.B) {
		for b.Loop() {
			if _, err := ast.InterfaceToValue(doc.Value); err != nil {
				b.Fatal(err)
			}
		}
	})
	scope := c.engine.scope(groupPlan, input)
	whole, err := c.engine.groups.query(ctx, groupPlan, scope)
	if err != nil {
		b.Fatal(err)
	}
	for _, set := range whole.sets {
		g := newGroups(c.engine.groups.modules, c.engine.groups.data, map[string][]ruleSet{groupPlan: {set}})
		q, err := g.query(ctx, groupPlan, scope)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("eval/%s.%s", set.pkg, set.kind()), func(b *testing.B) {
			for b.Loop() {
				if _, err := q.prepared.Eval(ctx, rego.EvalParsedInput(input)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("eval/all", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.engine.evaluate(ctx, groupPlan, input); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			d, err := document.Parse(stagePlan, src, document.Limits{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.CheckDocument(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPlanSize checks a plan made 1, 5 and 20 times as large (its
// METIP tables, objectives and budget lines repeated), to show the cost
// grows linearly with the size of a plan.
func BenchmarkPlanSize(b *testing.B) {
	ctx := context.Background()
	c, src := stageSetup(b)
	for _, k := range []int{1, 5, 20} {
		big, err := scalePlan(src, k)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("x%d", k), func(b *testing.B) {
			b.SetBytes(int64(len(big)))
			for b.Loop() {
				d, err := document.Parse("big.yaml", big, document.Limits{MaxBytes: 1 << 30, MaxNodes: 1 << 30})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.CheckDocument(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// scalePlan repeats every top-level sequence of a plan k times.
func scalePlan(src []byte, k int) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, err
	}
	m := root.Content[0]
	for i := 1; i < len(m.Content); i += 2 {
		if v := m.Content[i]; v.Kind == yaml.SequenceNode {
			items := v.Content
			for range k - 1 {
				v.Content = append(v.Content, items...)
			}
		}
		if v := m.Content[i]; v.Kind == yaml.MappingNode && m.Content[i-1].Value == "budget" {
			for j := 1; j < len(v.Content); j += 2 {
				if l := v.Content[j]; l.Kind == yaml.SequenceNode {
					items := l.Content
					for range k - 1 {
						l.Content = append(l.Content, items...)
					}
				}
			}
		}
	}
	out, err := yaml.Marshal(&root)
	return []byte(strings.TrimSpace(string(out)) + "\n"), err
}

// BenchmarkRollup rolls up the seven valid plans, and 10 and 20 copies of
// them, to show the roll-up grows linearly with the number of plans.
func BenchmarkRollup(b *testing.B) {
	ctx := context.Background()
	c, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var valid []string
	all, err := filepath.Glob("../fixtures/plans/valid/*.*")
	for _, p := range all {
		if ext := filepath.Ext(p); ext == ".yaml" || ext == ".json" {
			valid = append(valid, p)
		}
	}
	if err != nil || len(valid) != 7 {
		b.Fatalf("want the seven valid plans, got %d", len(valid))
	}
	for _, k := range []int{1, 10, 20} {
		dir := b.TempDir()
		for i := range k {
			for _, p := range valid {
				src, err := os.ReadFile(p)
				if err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d-%s", i, filepath.Base(p))), src, 0o600); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.Run(fmt.Sprintf("plans=%d", 7*k), func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Rollup(ctx, []string{dir}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
