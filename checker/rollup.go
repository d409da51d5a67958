package checker

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// NationalRollup is the name under which the roll-up reports findings
// about the regional plans taken together rather than any one plan.
const NationalRollup = "national roll-up"

// Rollup checks a set of regional plans together. Each plan is checked
// as Run checks it; then the roll-up rules (package rdp.rollup) are
// evaluated once over all the plans that could be read, with input
// {"plans": [{"index", "path", "region", "plan"}]}. A roll-up finding that
// carries "plan": i is reported against that plan's file, at its path;
// the others are reported under NationalRollup. Where the published
// national tables themselves do not add up, the reference data checks
// (rdpcheck data check) say so once, in Report.PublishedNotes, apart from
// the plans' results and their counts. Report.National is the national
// picture, whether or not any rule fails.
func (c *Checker) Rollup(ctx context.Context, paths []string, stdin io.Reader) (*Report, error) {
	if err := c.checkPatterns(groupPlan, groupRollup); err != nil {
		return nil, err
	}
	// The roll-up and reference rules compile while the plans are checked.
	for _, g := range []string{groupRollup, groupReference} {
		go c.engine.groups.query(ctx, g, allRegions)
	}
	results, docs, skipped := c.checkAll(ctx, paths, stdin, true)
	input, planFile, err := rollupInput(results, docs)
	if err != nil {
		return nil, err
	}
	// The roll-up rules, the national picture and the checks of the
	// published tables are independent: each runs on its own core.
	var (
		findings                      []Finding
		picture                       *National
		ref                           []FileResult
		rollupErr, pictureErr, refErr error
		wg                            sync.WaitGroup
	)
	wg.Go(func() { findings, rollupErr = c.engine.evaluate(ctx, groupRollup, input) })
	wg.Go(func() { picture, pictureErr = c.engine.national(ctx, input) })
	wg.Go(func() { ref, refErr = c.referenceResults(ctx) })
	wg.Wait()
	if rollupErr != nil {
		return nil, fmt.Errorf("roll-up: %w", rollupErr)
	}
	if pictureErr != nil {
		return nil, pictureErr
	}
	if refErr != nil {
		return nil, refErr
	}
	national := FileResult{Path: NationalRollup, Kind: KindNational, Findings: []Finding{}}
	for _, f := range c.keep(findings) {
		if f.plan < 1 || f.plan > len(planFile) {
			national.Findings = append(national.Findings, f)
			continue
		}
		i := planFile[f.plan-1]
		f.Line, f.Column = docs[i].Position(f.Path)
		if f.Subject == "" {
			f.Subject = subjectAt(docs[i].Value, f.Path)
		}
		results[i].Findings = append(results[i].Findings, f)
	}
	for i := range results {
		c.engine.sortFindings(results[i].Findings)
	}
	c.engine.sortFindings(national.Findings)
	results = append([]FileResult{national}, results...)

	report, err := c.finish(results, groupPlan, groupRollup)
	if err != nil {
		return nil, err
	}
	report.National = picture
	report.Summary.SkippedNotPlans, report.Summary.SkippedNotRegular = skipped.NotPlans, skipped.NotRegular
	for _, f := range ref {
		if len(f.Findings) > 0 {
			report.PublishedNotes = append(report.PublishedNotes, f)
		}
	}
	return report, nil
}

// rollupInput is the input of the roll-up rules and the national picture,
// {"plans": [{"index", "path", "region", "plan"}]}, for the plans that
// could be read, and, by input index, each plan's place in results.
func rollupInput(results []FileResult, docs []*document.Document) (ast.Value, []int, error) {
	var plans []any
	var planFile []int // input.plans index -> results index
	for i, d := range docs {
		if d == nil {
			continue
		}
		plans = append(plans, map[string]any{"index": len(plans), "path": results[i].Path, "region": results[i].Region, "plan": d.Value})
		planFile = append(planFile, i)
	}
	input, err := ast.InterfaceToValue(map[string]any{"plans": plans})
	if err != nil {
		return nil, nil, fmt.Errorf("preparing the roll-up input: %w", err)
	}
	return input, planFile, nil
}
