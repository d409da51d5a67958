// Command plan-format writes the plan format guide, docs/plan-format.md,
// from schemas/plan.schema.json, with examples from a valid plan:
//
//	go run ./cmd/plan-format > docs/plan-format.md
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/planformat"
)

func main() {
	example := flag.String("example", "fixtures/plans/valid/london.yaml", "the plan the examples are taken from")
	flag.Parse()
	if err := run(*example); err != nil {
		fmt.Fprintln(os.Stderr, "plan-format:", err)
		os.Exit(2)
	}
}

func run(example string) error {
	doc, err := document.Read(example, document.Limits{})
	if err != nil {
		return err
	}
	sections, err := planformat.Guide(doc.Value)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(planformat.Markdown(sections))
	return err
}
