package checker

import (
	"context"
	"fmt"
	"io/fs"
	"math/big"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/go-multierror"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/policies"
)

// CheckReference runs the checks of the reference data itself (the rules
// in package rdp.datacheck: do the published tables add up?) and reports
// each finding against the reference data file it concerns, located at
// its line and column there. The data is never corrected: the published
// figures stay as published and the report says where they disagree.
func (c *Checker) CheckReference(ctx context.Context) (*Report, error) {
	if err := c.checkPatterns(groupReference); err != nil {
		return nil, err
	}
	results, err := c.referenceResults(ctx)
	if err != nil {
		return nil, err
	}
	return c.finish(results, groupReference)
}

// referenceResults evaluates the reference data checks, one result per
// reference data file.
func (c *Checker) referenceResults(ctx context.Context) ([]FileResult, error) {
	findings, err := c.engine.evaluate(ctx, groupReference, ast.NewObject())
	if err != nil {
		return nil, err
	}
	findings = c.keep(findings)
	files := map[string]*FileResult{}
	docs := map[string]*document.Document{}
	err = fs.WalkDir(policies.FS, "reference", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(p) != "data.json" {
			return err
		}
		src, err := fs.ReadFile(policies.FS, p)
		if err != nil {
			return err
		}
		doc, err := document.Parse(embeddedPrefix+p, src, document.Limits{})
		if err != nil {
			return err
		}
		docs[p] = doc
		files[p] = &FileResult{Path: embeddedPrefix + p, Kind: KindReference, Findings: []Finding{}}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the embedded reference data: %w", err)
	}
	for _, f := range findings {
		// A pointer /metip/... under data.reference belongs to
		// reference/metip/data.json when that file exists.
		file, pointer := "reference/data.json", f.Path
		if seg := document.SplitPointer(f.Path); len(seg) > 0 {
			if candidate := "reference/" + seg[0] + "/data.json"; files[candidate] != nil {
				file, pointer = candidate, strings.TrimPrefix(f.Path, "/"+document.EscapePointerToken(seg[0]))
			}
		}
		f.Line, f.Column = docs[file].Position(pointer)
		files[file].Findings = append(files[file].Findings, f)
	}
	var out []FileResult
	for _, name := range sortedKeys(files) {
		r := files[name]
		c.engine.sortFindings(r.Findings)
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// checkParamBounds refuses reference parameters whose values make sense
// alone (the schema checks each one's range) but not together with the
// rest of the reference data: a budget tolerance as large as an average
// region's share of the national programme allocation would let any
// budget pass. The allocation is the row the roll-up rules check against
// (data.rdp.rollup.allocation_row), read through the compiled policies so
// that its label lives in one place.
func (e *engine) checkParamBounds(ctx context.Context, data map[string]any) error {
	ref, _ := data["reference"].(map[string]any)
	params, _ := ref["params"].(map[string]any)
	regions, _ := ref["regions"].([]any)
	pq, ok, err := e.groups.prepareExtra(ctx, groupRollup, "x := data.rdp.rollup.allocation_row.budget_2022_23")
	if err != nil {
		return err
	}
	if !ok {
		return nil
	}
	rs, err := pq.Eval(ctx)
	if err != nil || len(rs) != 1 || len(regions) == 0 {
		return nil // no allocation to compare with: the roll-up rules report that
	}
	allocation, ok := exactNumber(rs[0].Bindings["x"])
	if !ok {
		return nil
	}
	share := new(big.Rat).Quo(allocation, new(big.Rat).SetInt64(int64(len(regions))))
	errs := newErrors()
	for _, key := range []string{"budget_total_tolerance_gbp_million", "budget_line_change_gbp_million"} {
		v, ok := exactNumber(params[key])
		if ok && v.Cmp(share) >= 0 {
			errs = multierror.Append(errs, fmt.Errorf("reference data: params.%s is £%sm, as much as an average region's share of the national programme allocation (£%sm over %d regions, £%sm each), so it would let any budget pass; give an amount in £ million well below a region's allocation (the built-in value is far smaller)",
				key, v.FloatString(3), allocation.FloatString(1), len(regions), share.FloatString(1)))
		}
	}
	return errs.ErrorOrNil()
}
