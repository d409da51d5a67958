package checker

import (
	"context"
	"fmt"
	"os"
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
	src, _ := os.ReadFile(plan)
	doc, _ := document.Parse(plan, src, document.Limits{})
	input, _ := ast.InterfaceToValue(doc.Value)
	q, err := c.engine.groups.query(ctx, groupPlan)
	if err != nil {
		t.Fatal(err)
	}
	p := profiler.New()
	for i := 0; i < 50; i++ {
		if _, err := q.prepared.Eval(ctx, rego.EvalParsedInput(input), rego.EvalQueryTracer(p)); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range p.ReportTopNResults(30, []string{"total_time_ns"}) {
		fmt.Printf("%8.2fms %6d %6d %s:%d\n", float64(s.ExprTimeNs)/50e6, s.NumEval/50, s.NumRedo/50, s.Location.File, s.Location.Row)
	}
}
