package checker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

func TestZZProfile(t *testing.T) {
	ctx := context.Background()
	c, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan := os.Getenv("ZZPLAN")
	if plan == "" {
		plan = stagePlan
	}
	var inputs []ast.Value
	if plan == "corpus" {
		files, _ := filepath.Glob("../.bench/corpus/*.yaml")
		for _, f := range files[:50] {
			src, _ := os.ReadFile(f)
			doc, _ := document.Parse(f, src, document.Limits{})
			input, _ := ast.InterfaceToValue(doc.Value)
			inputs = append(inputs, input)
		}
	} else {
		src, _ := os.ReadFile(plan)
		doc, _ := document.Parse(plan, src, document.Limits{})
		input, _ := ast.InterfaceToValue(doc.Value)
		for range 50 {
			inputs = append(inputs, input)
		}
	}
	q, err := c.engine.groups.query(ctx, groupPlan)
	if err != nil {
		t.Fatal(err)
	}
	p := profiler.New()
	for _, input := range inputs {
		if _, err := q.prepared.Eval(ctx, rego.EvalParsedInput(input), rego.EvalQueryTracer(p)); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range p.ReportTopNResults(100000, []string{"total_time_ns"}) {
		fmt.Printf("%8.2fms %6d %6d %s:%d\n", float64(s.ExprTimeNs)/50e6, s.NumEval/50, s.NumRedo/50, s.Location.File, s.Location.Row)
	}
}
