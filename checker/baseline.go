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

// planKey identifies a plan across submissions: its region when it has
// one (a resubmission may be renamed), else its path.
func planKey(f FileResult) string {
	if f.Region != "" {
		return "region:" + f.Region
	}
	return "path:" + f.Path
}

// CompareWithBaseline marks each finding new or unchanged against the
// baseline report, and lists under each plan the baseline findings that
// are resolved. Plans the baseline does not hold have only new findings.
func CompareWithBaseline(results []FileResult, base *Report) {
	before := map[string][]Finding{}
	for _, f := range base.Files {
		before[planKey(f)] = append(before[planKey(f)], f.Findings...)
	}
	for i := range results {
		if results[i].Error != nil {
			continue
		}
		remaining := map[string][]Finding{}
		for _, f := range before[planKey(results[i])] {
			remaining[findingKey(f)] = append(remaining[findingKey(f)], f)
		}
		for j := range results[i].Findings {
			f := &results[i].Findings[j]
			k := findingKey(*f)
			if len(remaining[k]) > 0 {
				f.Change = ChangeUnchanged
				remaining[k] = remaining[k][1:]
			} else {
				f.Change = ChangeNew
			}
		}
		for _, f := range before[planKey(results[i])] {
			k := findingKey(f)
			if len(remaining[k]) > 0 {
				remaining[k] = remaining[k][1:]
				f.Line, f.Column, f.Change, f.Waiver = 0, 0, "", nil
				results[i].Resolved = append(results[i].Resolved, f)
			}
		}
	}
}
