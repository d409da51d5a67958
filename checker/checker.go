// Package checker checks HEE Regional Delivery Plans.
//
// A Checker is built once per process: it compiles the plan schema and
// the Rego policies (the embedded rulebook plus any extra policy
// directories) and can then check any number of plan files concurrently.
// Checking a file means: load it safely (package document), validate it
// against the plan schema, evaluate every deny, warn and info rule, and
// locate each finding at a line and column in the source.
//
// Run is the whole pipeline used by the command line: discover the files,
// check them on a pool of workers and return one Report in a
// deterministic order.
package checker

import (
	"context"
	"fmt"
	"io"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/schemas"
)

// Options configure a Checker.
type Options struct {
	// PolicyDirs are extra directories of .rego (and data) files, compiled
	// together with the embedded policies. *_test.rego files are skipped.
	PolicyDirs []string
	// DataFiles are JSON or YAML files merged over the reference data at
	// the root of data, e.g. {"reference": {"params": {...}}}.
	DataFiles []string
	// Limits bound each plan file; the zero value means the defaults.
	Limits document.Limits
	// Rules, when set, keeps only findings of rules whose id matches one
	// of these patterns (path.Match syntax, case-insensitive: RDP-BUD-*).
	// A pattern that matches no rule is an error.
	Rules []string
	// Waivers is a waivers file (see LoadWaivers); its matching findings
	// are reported as waived.
	Waivers string
	// Today is the date (YYYY-MM-DD) waivers expire against; "" means
	// the current date in UTC.
	Today string
	// Baseline is an earlier JSON report; each finding is then marked new
	// or unchanged and the baseline's resolved findings are listed.
	Baseline string
	// Workers is the number of files checked at once; 0 means GOMAXPROCS.
	Workers int
	// ToolVersion is the rdpcheck version, and ConfigFile the config file
	// the run read ("" for none); both are recorded in the report's
	// provenance.
	ToolVersion string
	ConfigFile  string
	// Timeout bounds the policy evaluation of one file; 0 means
	// DefaultTimeout. A file that takes longer is reported as not checked.
	Timeout time.Duration
	// Isolation, when set, evaluates each file checked with PolicyDirs in
	// a worker process bounded in time and memory (see Isolation).
	Isolation *Isolation
}

// DefaultTimeout is the policy evaluation time allowed per file when
// Options.Timeout is 0. A real plan takes milliseconds.
const DefaultTimeout = time.Minute

// Checker checks plans against the compiled schema and policies. It is
// safe for concurrent use.
type Checker struct {
	opt    Options
	schema *jsonschema.Schema
	engine *engine
}

// New compiles the plan schema and the policies. It fails, naming the
// file and line, when a policy does not compile, lacks metadata or uses a
// builtin that reaches the network, the clock or randomness.
//
// New sets the process's local time zone (time.Local) to UTC, so that a
// policy asking for "Local" time cannot observe the machine's zone.
func New(ctx context.Context, opt Options) (*Checker, error) {
	time.Local = time.UTC
	if opt.Today != "" {
		if _, err := time.Parse(time.DateOnly, opt.Today); err != nil {
			return nil, fmt.Errorf("today %q: write the date as YYYY-MM-DD", opt.Today)
		}
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	// The schema compiles on another core while the policies load.
	var (
		s         *jsonschema.Schema
		schemaErr error
		compiled  = make(chan struct{})
	)
	go func() {
		defer close(compiled)
		s, schemaErr = compileSchema(schemas.Plan)
	}()
	e, err := compileEngine(ctx, opt)
	<-compiled
	if schemaErr != nil {
		return nil, schemaErr
	}
	if err != nil {
		return nil, err
	}
	c := &Checker{opt: opt, schema: s, engine: e}
	for _, pattern := range opt.Rules {
		if _, err := path.Match(strings.ToUpper(pattern), ""); err != nil {
			return nil, fmt.Errorf("rule pattern %q: %w", pattern, err)
		}
	}
	return c, nil
}

// checkPatterns makes sure each Options.Rules pattern matches at least
// one rule that the run evaluates (the rules of the given groups), so that
// a filter never leaves a run checking nothing.
func (c *Checker) checkPatterns(groups ...string) error {
	for _, pattern := range c.opt.Rules {
		if !slices.ContainsFunc(c.Rules(), func(r Rule) bool {
			return r.Package != waiverPackage && slices.Contains(groups, groupOf(r.Package)) && matchRule(pattern, r.ID)
		}) {
			return fmt.Errorf("no rule of this command matches %q, so nothing would be checked; rdpcheck rules lists the rule ids", pattern)
		}
	}
	return nil
}

// matchRule reports whether a rule id matches a pattern, ignoring case.
func matchRule(pattern, id string) bool {
	ok, _ := path.Match(strings.ToUpper(pattern), strings.ToUpper(id))
	return ok
}

// keep filters findings by Options.Rules.
func (c *Checker) keep(findings []Finding) []Finding {
	if len(c.opt.Rules) == 0 {
		return findings
	}
	return slices.DeleteFunc(findings, func(f Finding) bool {
		return !slices.ContainsFunc(c.opt.Rules, func(p string) bool { return matchRule(p, f.Rule) })
	})
}

// Rules lists the schema check and every rule with METADATA in the
// compiled policies, sorted by id.
func (c *Checker) Rules() []Rule {
	rules := append(append([]Rule{schemaRule}, waiverRules...), c.engine.rules...)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}

// Objectives lists the objective ids findings are grouped by, in report
// order: plan-wide first, then the business plan's objectives in order
// (from the reference data).
func (c *Checker) Objectives() []string {
	out := make([]string, len(c.engine.order))
	for id, i := range c.engine.order {
		out[i] = id
	}
	return out
}

// Rule returns the rule with the given id (case-insensitive).
func (c *Checker) Rule(id string) (Rule, bool) {
	for _, r := range c.Rules() {
		if strings.EqualFold(r.ID, id) {
			return r, true
		}
	}
	return Rule{}, false
}

// CheckDocument checks a loaded plan and returns its findings, located
// and sorted by objective, path and rule.
func (c *Checker) CheckDocument(ctx context.Context, doc *document.Document) ([]Finding, error) {
	// Over-long lists are reported and cut first, so that the schema
	// and the policies only ever see lists of the format's size.
	findings := boundLists(doc.Value)
	findings = append(findings, schemaFindings(c.schema, doc.Value)...)
	input, err := ast.InterfaceToValue(doc.Value)
	if err != nil {
		return nil, fmt.Errorf("%s: converting the plan for the policies: %w", doc.Name, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	policyFindings, err := c.engine.evaluate(ctx, groupPlan, input)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("the policies took longer than %s on this plan; it may be far larger than a real plan", c.opt.Timeout)
		}
		return nil, err
	}
	findings = c.keep(append(findings, policyFindings...))
	c.engine.foldObjective(findings)
	// The cap keeps the first findings of a rule in the order of their
	// paths, so a plan keeps the same findings whether it was written in
	// YAML, JSON or a workbook; the kept ones are then located and put in
	// line order within their objective.
	c.engine.sortFindings(findings)
	findings = capFindings(findings, MaxFindingsPerRule)
	for i := range findings {
		findings[i].Line, findings[i].Column = doc.Position(findings[i].Path)
		if findings[i].Subject == "" {
			findings[i].Subject = subjectAt(doc.Value, findings[i].Path)
		}
	}
	c.engine.sortFindings(findings)
	return findings, nil
}

// CheckFile reads and checks one file; "-" reads stdin. Whatever goes
// wrong, even a panic, comes back as the file's Error, never lost.
func (c *Checker) CheckFile(ctx context.Context, path string, stdin io.Reader) FileResult {
	res, _ := c.checkFile(ctx, path, stdin)
	return res
}

// checkFile is CheckFile that also returns the loaded document (nil when
// the file could not be read or parsed), for the roll-up.
func (c *Checker) checkFile(ctx context.Context, path string, stdin io.Reader) (res FileResult, doc *document.Document) {
	res = FileResult{Path: path, Findings: []Finding{}}
	defer func() {
		if p := recover(); p != nil {
			res.Findings = []Finding{}
			res.Error = &FileError{Message: fmt.Sprintf("internal error while checking this file (please report it): %v", p)}
			doc = nil
		}
	}()
	if path == "-" && stdin == nil {
		res.Error = &FileError{Message: "no standard input to read"}
		return res, nil
	}
	doc, cells, err := c.loadPlan(path, stdin)
	if err != nil {
		res.Error = fileError(err)
		return res, nil
	}
	if m, ok := doc.Value.(map[string]any); ok {
		res.Region, _ = m["region"].(string)
	}
	check := c.CheckDocument
	if c.isolated() {
		check = c.checkIsolated
	}
	findings, err := check(ctx, doc)
	if err != nil {
		res.Error = fileError(err)
		return res, doc
	}
	locateCells(findings, cells)
	res.Findings = findings
	return res, doc
}

// fileError keeps the line and column of a load error apart from its
// message, so that reporters can place it.
func fileError(err error) *FileError {
	if fe, ok := workbookError(err); ok {
		return fe
	}
	if de, ok := err.(*document.Error); ok {
		return &FileError{Message: de.Msg, Line: de.Line, Column: de.Column}
	}
	return &FileError{Message: err.Error()}
}

// Run checks every plan named by paths — files, directories (walked for
// .yaml, .yml and .json) or "-" for stdin — on a pool of workers, and
// returns the report with the plans sorted by path (and the waivers file,
// when it has findings, after them). Files that cannot be read or parsed
// are reported with their error; the others are still checked. Waivers
// and a baseline, when Options name them, are applied last.
func (c *Checker) Run(ctx context.Context, paths []string, stdin io.Reader) (*Report, error) {
	if err := c.checkPatterns(groupPlan); err != nil {
		return nil, err
	}
	results, _, skipped := c.checkAll(ctx, paths, stdin, false)
	r, err := c.finish(results, groupPlan)
	if err != nil {
		return nil, err
	}
	r.Summary.SkippedNotPlans, r.Summary.SkippedNotRegular = skipped.NotPlans, skipped.NotRegular
	return r, nil
}

// checked is one file's result and, when it could be parsed, its document.
type checked struct {
	result FileResult
	doc    *document.Document
}

// checkAll checks the files on a pool of workers and returns them sorted
// by path, with what the directory walks skipped. Each parsed document
// is dropped as soon as its findings are located, unless keepDocs asks
// for them (the roll-up needs the plans).
func (c *Checker) checkAll(ctx context.Context, paths []string, stdin io.Reader, keepDocs bool) ([]FileResult, []*document.Document, Skipped) {
	// The plan rules compile while the first files are read and decoded
	// (in worker processes, each worker compiles its own).
	if !c.isolated() {
		go c.engine.groups.compiled(groupPlan)
	}
	files, skipped := DiscoverPlans(paths)
	out := make([]checked, len(files))
	workers := c.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if files[i].Err != nil {
					out[i].result = FileResult{Path: files[i].Path, Findings: []Finding{}, Error: &FileError{Message: files[i].Err.Error()}}
					continue
				}
				out[i].result, out[i].doc = c.checkFile(ctx, files[i].Path, stdin)
				if !keepDocs {
					out[i].doc = nil
				}
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	sort.SliceStable(out, func(i, j int) bool { return out[i].result.Path < out[j].result.Path })
	results := make([]FileResult, len(out))
	docs := make([]*document.Document, len(out))
	for i, x := range out {
		results[i], docs[i] = x.result, x.doc
	}
	return results, docs, skipped
}

// finish applies the waivers and the baseline the options name, and
// wraps the results in a counted Report. groups are the rule groups the
// run evaluated, which bound the waivers it judges (see WaiverScope).
func (c *Checker) finish(results []FileResult, groups ...string) (*Report, error) {
	if c.opt.Waivers != "" {
		waivers, err := LoadWaivers(c.opt.Waivers)
		if err != nil {
			return nil, err
		}
		if err := CheckWaivers(waivers, c.engine.regions, append(c.Objectives(), "reference")); err != nil {
			return nil, err
		}
		n := len(results)
		results = ApplyWaivers(results, waivers, c.today(), c.waiverScope(results, groups))
		if len(results) > n {
			c.engine.sortFindings(results[n].Findings)
		}
	}
	if c.opt.Baseline != "" {
		base, err := LoadReport(c.opt.Baseline)
		if err != nil {
			return nil, err
		}
		for i := range base.Files { // compare like with like under --rule
			base.Files[i].Findings = c.keep(base.Files[i].Findings)
		}
		CompareWithBaseline(results, base)
	}
	r := NewReport(results)
	p, err := c.provenance()
	if err != nil {
		return nil, err
	}
	r.Provenance = p
	return r, nil
}

// waiverScope is what a run covers: the regions of its plans, and the
// rules of the groups it evaluated. A rule pattern that matches no rule
// at all is in scope, so that a mistyped rule shows up as stale.
func (c *Checker) waiverScope(results []FileResult, groups []string) WaiverScope {
	scope := WaiverScope{Regions: map[string]bool{}}
	for _, r := range results {
		if r.Region != "" {
			scope.Regions[r.Region] = true
		}
	}
	rules := c.Rules()
	scope.Ran = func(pattern string) bool {
		known := false
		for _, r := range rules {
			if matchRule(pattern, r.ID) {
				if r.Package == waiverPackage || slices.Contains(groups, groupOf(r.Package)) {
					return true
				}
				known = true
			}
		}
		return !known
	}
	return scope
}

// today is the date waivers are judged against: Options.Today, or the
// current date in UTC.
func (c *Checker) today() string {
	if c.opt.Today != "" {
		return c.opt.Today
	}
	return time.Now().UTC().Format(time.DateOnly)
}

// NewReport wraps file results in a Report and counts them.
func NewReport(files []FileResult) *Report {
	r := &Report{Version: ReportVersion, Files: files}
	for _, f := range files {
		r.Summary.Files++
		if f.Error != nil {
			r.Summary.Unchecked++
		}
		r.Summary.Resolved += len(f.Resolved)
		for _, x := range f.Findings {
			if x.Change == ChangeNew {
				r.Summary.New++
			}
			if x.Waiver != nil {
				r.Summary.Waived++
				continue
			}
			switch x.Severity {
			case SeverityError:
				r.Summary.Errors++
			case SeverityWarning:
				r.Summary.Warnings++
			case SeverityInfo:
				r.Summary.Infos++
			}
		}
	}
	return r
}

// sortFindings orders findings by objective (plan-wide first, then the
// business plan's order), then by line in the file (findings without a
// line first), then path (array indexes numerically), rule and message, so
// that the same plan always gives the same report.
func (e *engine) sortFindings(fs []Finding) {
	rank := func(o string) int {
		if r, ok := e.order[o]; ok {
			return r
		}
		return len(e.order) + 1
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if ra, rb := rank(a.Objective), rank(b.Objective); ra != rb {
			return ra < rb
		}
		if a.Objective != b.Objective {
			return a.Objective < b.Objective
		}
		if a.Line != b.Line { // findings without a line (0) first
			return a.Line < b.Line
		}
		if c := comparePointers(a.Path, b.Path); c != 0 {
			return c < 0
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// comparePointers compares JSON pointers segment by segment, numbers as
// numbers, so /metip/2 comes before /metip/10.
func comparePointers(a, b string) int {
	as, bs := document.SplitPointer(a), document.SplitPointer(b)
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		na, ea := strconv.Atoi(as[i])
		nb, eb := strconv.Atoi(bs[i])
		if ea == nil && eb == nil {
			if na < nb {
				return -1
			}
			return 1
		}
		return strings.Compare(as[i], bs[i])
	}
	return len(as) - len(bs)
}
