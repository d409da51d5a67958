package checker

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

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
