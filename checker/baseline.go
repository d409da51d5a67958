package checker

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// LoadReport reads a JSON report written by rdpcheck (--format json),
// for use as a baseline.
func LoadReport(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("baseline %s: not an rdpcheck JSON report (write one with --format json): %w", path, err)
	}
	if r.Version != ReportVersion {
		return nil, fmt.Errorf("baseline %s: report version %q, want %q; write it again with --format json", path, r.Version, ReportVersion)
	}
	return &r, nil
}

var digits = regexp.MustCompile(`[0-9][0-9,.]*`)

// findingKey identifies a finding across submissions: its rule, objective,
// path and message with the figures and spacing normalised — not its line,
// so that moving text around does not make an old finding look new.
func findingKey(f Finding) string {
	msg := digits.ReplaceAllString(strings.ToLower(f.Message), "#")
	return strings.Join([]string{f.Rule, f.Objective, f.Path, strings.Join(strings.Fields(msg), " ")}, "\x00")
}

// CompareWithBaseline marks each finding new or unchanged against the
// baseline report, and lists under each plan the baseline findings that
// are resolved. A plan is matched with the baseline's file of the same
// path; failing that, with the baseline's one plan of the same region when
// each side has exactly one (a resubmission may be renamed). Plans the
// baseline does not hold have only new findings.
func CompareWithBaseline(results []FileResult, base *Report) {
	byPath := map[string]*FileResult{}
	byRegion := map[string][]*FileResult{}
	for i := range base.Files {
		f := &base.Files[i]
		byPath[f.Path] = f
		if f.Region != "" {
			byRegion[f.Region] = append(byRegion[f.Region], f)
		}
	}
	regions := map[string]int{}
	for _, r := range results {
		if r.Region != "" {
			regions[r.Region]++
		}
	}
	for i := range results {
		r := &results[i]
		if r.Error != nil || r.Kind != "" {
			continue
		}
		before := byPath[r.Path]
		if before == nil && regions[r.Region] == 1 && len(byRegion[r.Region]) == 1 {
			before = byRegion[r.Region][0]
		}
		var old []Finding
		if before != nil {
			old = before.Findings
		}
		remaining := map[string][]Finding{}
		for _, f := range old {
			remaining[findingKey(f)] = append(remaining[findingKey(f)], f)
		}
		for j := range r.Findings {
			f := &r.Findings[j]
			k := findingKey(*f)
			if len(remaining[k]) > 0 {
				f.Change = ChangeUnchanged
				remaining[k] = remaining[k][1:]
			} else {
				f.Change = ChangeNew
			}
		}
		for _, f := range old {
			k := findingKey(f)
			if len(remaining[k]) > 0 {
				remaining[k] = remaining[k][1:]
				f.Line, f.Column, f.Change, f.Waiver = 0, 0, "", nil
				r.Resolved = append(r.Resolved, f)
			}
		}
	}
}
