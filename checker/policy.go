package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/go-multierror"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/policies"
)

// kinds maps the names of the rule sets rdpcheck evaluates to the severity
// of their findings, as conftest does.
var kinds = map[string]Severity{"deny": SeverityError, "warn": SeverityWarning, "info": SeverityInfo}

// embeddedPrefix names the embedded policy files in messages, so that they
// read as paths in the repository.
const embeddedPrefix = "policies/"

// ruleSet is one deny, warn or info set in one package, and the variable
// the compiled query binds it to.
type ruleSet struct {
	pkg      string // e.g. rdp.budget
	severity Severity
	binding  string
}

// Rule groups: which input a package's rules judge. Rules under
// rdp.datacheck check the reference data itself (rdpcheck data check),
// rules under rdp.rollup check a set of plans together (rdpcheck rollup),
// and every other package checks one plan.
const (
	groupPlan      = "plan"
	groupReference = "rdp.datacheck"
	groupRollup    = "rdp.rollup"
)

// groupOf names the group of a package's rules.
func groupOf(pkg string) string {
	for _, g := range []string{groupReference, groupRollup} {
		if pkg == g || strings.HasPrefix(pkg, g+".") {
			return g
		}
	}
	return groupPlan
}

// ruleQuery is one prepared query that evaluates a group of rule sets at once.
type ruleQuery struct {
	prepared rego.PreparedEvalQuery
	sets     []ruleSet
}

// kind is the name of the set: deny, warn or info.
func (s ruleSet) kind() string {
	for k, sev := range kinds {
		if sev == s.severity {
			return k
		}
	}
	return ""
}

// engine is the compiled policy bundle: prepared once, evaluated
// concurrently for every file.
type engine struct {
	groups        *groups // the prepared query of each group, compiled on first use
	rules         []Rule
	order         map[string]int    // objective id -> business-plan position
	regions       []string          // data.reference.regions, for checking waivers
	userPlanRules bool              // a policy directory adds plan rules, which may read any region's derived values
	titles        map[string]string // objective id -> title, for the reports
	// rulebook is the hash of every compiled module and the data.
	rulebook string
	// overrides lists the built-in data values the run changed.
	overrides []Override
}

// forbidden reports whether a builtin would let a policy see the outside
// world or give different answers on different runs: network, clock,
// randomness and the OPA runtime (http.send, net.lookup_ip_addr,
// time.now_ns, rand.intn, uuid.rfc4122, opa.runtime...). OPA marks all of
// these Nondeterministic; certificate verification reads the clock too.
func forbidden(b *ast.Builtin) bool {
	if b.Nondeterministic {
		return true
	}
	switch b.Name {
	// Certificate verification checks validity dates against the clock,
	// though OPA does not mark it non-deterministic.
	case "crypto.x509.parse_and_verify_certificates", "crypto.x509.parse_and_verify_certificates_with_options":
		return true
	}
	return false
}

// sandboxCapabilities is OPA's capability set for this version without the
// forbidden builtins, so the compiler itself refuses them.
func sandboxCapabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(caps.Builtins, forbidden)
	return caps
}

// forbiddenCalls lists every reference to a forbidden builtin in the
// modules, with its file and line, so the author sees exactly what to
// remove. (The compiler would refuse them too, as undefined functions.)
func forbiddenCalls(modules map[string]*ast.Module) error {
	errs := newErrors()
	deny := map[string]bool{}
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		if forbidden(b) {
			deny[b.Name] = true
		}
	}
	for _, name := range sortedKeys(modules) {
		ast.WalkTerms(modules[name], func(t *ast.Term) bool {
			if ref, ok := t.Value.(ast.Ref); ok && deny[ref.String()] {
				errs = multierror.Append(errs, fmt.Errorf("%s:%d: %s is not allowed in rdpcheck policies: they may not use the network, the clock, randomness or the runtime; remove the call",
					name, t.Location.Row, ref))
			}
			return false
		})
	}
	return errs.ErrorOrNil()
}

// newErrors starts a list of errors that prints one per line.
func newErrors() *multierror.Error {
	return &multierror.Error{ErrorFormat: func(es []error) string {
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = e.Error()
		}
		return strings.Join(lines, "\n")
	}}
}

// loadPolicies loads the embedded bundle and any extra policy
// directories: the parsed modules, each module's source (for the
// rulebook's hash) and the data, one layer per source in merge order, the
// embedded reference data first.
func loadPolicies(dirs []string) (map[string]*ast.Module, map[string][]byte, []dataLayer, error) {
	noTests := func(_ string, info fs.FileInfo, _ int) bool {
		return !info.IsDir() && strings.HasSuffix(info.Name(), "_test.rego")
	}
	// The loader reads the embedded data; the modules are parsed apart, in
	// parallel, as parsing them is a good part of a one-plan run.
	onlyData := func(_ string, info fs.FileInfo, _ int) bool {
		return !info.IsDir() && strings.HasSuffix(info.Name(), ".rego")
	}
	embedded, err := loader.NewFileLoader().WithFS(policies.FS).Filtered([]string{"."}, onlyData)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("embedded policies: %w", err)
	}
	modules, raw, err := parseEmbedded()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("embedded policies: %w", err)
	}
	layers := []dataLayer{{source: builtinSource, data: embedded.Documents}}
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("policy directory %s: %w", dir, err)
		}
		if !info.IsDir() {
			return nil, nil, nil, fmt.Errorf("policy directory %s: not a directory; give a directory of .rego files", dir)
		}
		extra, err := loader.NewFileLoader().WithProcessAnnotation(true).WithRegoVersion(ast.RegoV1).
			WithCapabilities(sandboxCapabilities()).Filtered([]string{dir}, noTests)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("policy directory %s: %w", dir, err)
		}
		if err := reservedPackages(extra.Modules); err != nil {
			return nil, nil, nil, err
		}
		if err := reservedData("policy directory "+dir, extra.Documents); err != nil {
			return nil, nil, nil, err
		}
		if !definesRules(extra.Modules) {
			return nil, nil, nil, fmt.Errorf("policy directory %s holds no deny, warn or info rules, so it would check nothing; point it at the directory of your .rego rules", dir)
		}
		for _, f := range extra.Modules {
			name := filepath.ToSlash(f.Name)
			if _, dup := modules[name]; dup {
				return nil, nil, nil, fmt.Errorf("policy directory %s: %s is loaded twice", dir, name)
			}
			modules[name], raw[name] = f.Parsed, f.Raw
		}
		if len(extra.Documents) > 0 {
			layers = append(layers, dataLayer{source: dir, data: extra.Documents})
		}
	}
	return modules, raw, layers, nil
}

// embeddedModules lists the embedded policy files (tests left out), by
// their path in the embedded file system.
var embeddedModules = sync.OnceValues(func() ([]string, error) {
	var names []string
	err := fs.WalkDir(policies.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(name, ".rego") && !strings.HasSuffix(name, "_test.rego") {
			names = append(names, name)
		}
		return err
	})
	return names, err
})

// builtIn reports whether a module name is one of the embedded bundle's.
// A policy directory cannot add a module under the same name (it is
// refused as loaded twice), so the name says where a module came from,
// even for a directory that is itself called policies.
func builtIn(name string) bool {
	names, _ := embeddedModules()
	rest, ok := strings.CutPrefix(name, embeddedPrefix)
	return ok && slices.Contains(names, rest)
}

// parseEmbedded parses the embedded policy modules, on every core, keyed
// by their path in the repository.
func parseEmbedded() (map[string]*ast.Module, map[string][]byte, error) {
	names, err := embeddedModules()
	if err != nil {
		return nil, nil, err
	}
	parsed := make([]*ast.Module, len(names))
	sources := make([][]byte, len(names))
	errs := make([]error, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Go(func() {
			for i := range next {
				sources[i], errs[i] = policies.FS.ReadFile(names[i])
				if errs[i] == nil {
					parsed[i], errs[i] = ast.ParseModuleWithOpts(names[i], string(sources[i]),
						ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
				}
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	modules, raw := map[string]*ast.Module{}, map[string][]byte{}
	for i, name := range names {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		modules[embeddedPrefix+name], raw[embeddedPrefix+name] = parsed[i], sources[i]
	}
	return modules, raw, nil
}

// reservedRoot is the namespace of the built-in rulebook. A user policy
// that declared or extended a package under it could redefine a
// built-in helper and switch a rule off without trace, so it is refused.
const reservedRoot = "rdp"

// underReserved reports whether a data reference (data.rdp, data.rdp.x,
// data["rdp"]...) lies in the built-in rulebook's namespace.
func underReserved(ref ast.Ref) bool {
	return len(ref) > 1 && ref[0].Equal(ast.DefaultRootDocument) && ref[1].Value.Compare(ast.String(reservedRoot)) == 0
}

// reservedPackages refuses user modules that declare a package under
// rdp, or define a rule whose full path (package and head) lands there,
// naming each file and line and the namespace to use instead.
func reservedPackages(modules map[string]*loader.RegoFile) error {
	errs := newErrors()
	for _, name := range sortedKeys(modules) {
		m := modules[name].Parsed
		file := filepath.ToSlash(modules[name].Name)
		if underReserved(m.Package.Path) {
			errs = multierror.Append(errs, fmt.Errorf("%s:%d: package %s belongs to the built-in rulebook (everything under %s. is reserved), so a policy directory may not declare or extend it; put your rules in a package of your own, such as package local.%s, and import data.%s.lib to reuse its helpers",
				file, m.Package.Location.Row, strings.TrimPrefix(m.Package.Path.String(), "data."), reservedRoot, localName(file), reservedRoot))
			continue
		}
		for _, r := range m.Rules {
			if full := m.Package.Path.Concat(r.Head.Ref()); underReserved(full) {
				errs = multierror.Append(errs, fmt.Errorf("%s:%d: rule %s would define %s, inside the built-in rulebook (everything under %s. is reserved); name it within your own package instead",
					file, r.Location.Row, r.Head.Ref(), full, reservedRoot))
			}
		}
	}
	return errs.ErrorOrNil()
}

// localName suggests a package name from a policy file's name.
func localName(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), ".rego")
	out := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r - 'A' + 'a'
		}
		return '_'
	}, base)
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "rules_" + out
	}
	return out
}

// reservedData refuses data (a data.json or data.yaml in a policy
// directory, or a --data file) that writes under data.rdp, where the
// built-in rules live.
func reservedData(source string, data map[string]any) error {
	if _, ok := data[reservedRoot]; ok {
		return fmt.Errorf("%s: writes data under %q, where the built-in rules live; reference data can be changed under \"reference\", and your own data belongs under a key of your own, such as \"local\"", source, reservedRoot)
	}
	return nil
}

// definesRules reports whether any module has a deny, warn or info rule.
func definesRules(modules map[string]*loader.RegoFile) bool {
	for _, f := range modules {
		for _, r := range f.Parsed.Rules {
			if ref := r.Head.Ref(); len(ref) == 1 {
				if _, ok := kinds[ref[0].Value.String()]; ok {
					return true
				}
			}
		}
	}
	return false
}

// readDataFile reads a JSON or YAML data file given with --data; its
// top-level keys are merged into data at the root, overriding the
// embedded reference data key by key.
func readDataFile(path string) (map[string]any, error) {
	doc, err := document.Read(path, document.Limits{})
	if err != nil {
		return nil, fmt.Errorf("data file: %w", err)
	}
	m, ok := doc.Value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("data file %s: the top level must be a mapping of keys to values", path)
	}
	return m, nil
}

// mergeData merges b into a: mappings merge key by key, anything else in b
// replaces what a holds. Neither argument is modified.
func mergeData(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		am, aok := out[k].(map[string]any)
		bm, bok := v.(map[string]any)
		if aok && bok {
			out[k] = mergeData(am, bm)
		} else {
			out[k] = v
		}
	}
	return out
}

// compileEngine loads, checks and compiles the policies and prepares the
// one query that evaluates every deny, warn and info set.
func compileEngine(ctx context.Context, opt Options) (*engine, error) {
	modules, raw, layers, err := loadPolicies(opt.PolicyDirs)
	if err != nil {
		return nil, err
	}
	for _, path := range opt.DataFiles {
		extra, err := readDataFile(path)
		if err != nil {
			return nil, err
		}
		if err := reservedData("data file "+path, extra); err != nil {
			return nil, err
		}
		layers = append(layers, dataLayer{source: path, data: extra})
	}
	data := map[string]any{}
	for _, l := range layers {
		data = mergeData(data, l.data)
	}
	// The embedded reference data is validated by the tests; only data
	// that --data files or policy directories may have changed is checked.
	if len(opt.DataFiles) > 0 || len(opt.PolicyDirs) > 0 {
		if err := checkReferenceData(data); err != nil {
			return nil, err
		}
	}
	if err := forbiddenCalls(modules); err != nil {
		return nil, err
	}

	e := &engine{order: objectiveOrder(data), rulebook: rulebookHash(raw, data), overrides: dataOverrides(layers),
		regions: referenceRegions(data), titles: objectiveTitles(data)}
	errs := newErrors()
	sets := map[string][]ruleSet{}
	seen := map[string]string{SchemaRule: schemaRule.Location}
	for _, name := range sortedKeys(modules) {
		m := modules[name]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		embedded := builtIn(name)
		for _, r := range m.Rules {
			ref := r.Head.Ref()
			if len(ref) != 1 {
				continue
			}
			kind := ref[0].Value.String()
			severity, ok := kinds[kind]
			if !ok {
				continue
			}
			if r.Head.RuleKind() != ast.MultiValue {
				errs = multierror.Append(errs, fmt.Errorf("%s:%d: %s must be a set of findings (%s contains f if {...}), not a single value; a rule that is sometimes undefined would hide every other finding",
					name, r.Location.Row, kind, kind))
				continue
			}
			g := groupOf(pkg)
			if !slices.ContainsFunc(sets[g], func(s ruleSet) bool { return s.pkg == pkg && s.severity == severity }) {
				sets[g] = append(sets[g], ruleSet{pkg: pkg, severity: severity, binding: fmt.Sprintf("%s_%d", kind, len(sets[g]))})
			}
			rule, err := ruleFromMetadata(name, pkg, r, severity)
			if err != nil {
				// Built-in rules must be documented; a user's conftest-style
				// rule may go without METADATA, but a block it has must be whole.
				if embedded || hasMetadata(r) {
					errs = multierror.Append(errs, err)
				}
				continue
			}
			if prev, dup := seen[rule.ID]; dup {
				errs = multierror.Append(errs, fmt.Errorf("%s: rule id %s is already used at %s; give each rule its own id", rule.Location, rule.ID, prev))
				continue
			}
			seen[rule.ID] = rule.Location
			e.rules = append(e.rules, rule)
		}
	}
	if err := errs.ErrorOrNil(); err != nil {
		return nil, err
	}
	sort.Slice(e.rules, func(i, j int) bool { return e.rules[i].ID < e.rules[j].ID })
	fillRuleParams(e.rules, data)
	if len(sets[groupPlan]) == 0 {
		return nil, fmt.Errorf("no deny, warn or info rules found in the policies")
	}
	// Each group is compiled when a command first evaluates it; a group
	// holding a user's policies is compiled now, so that a mistake in
	// them is reported before any file is read.
	e.groups = newGroups(modules, data, sets)
	e.userPlanRules = userGroup(modules, groupPlan)
	for _, g := range []string{groupPlan, groupReference, groupRollup} {
		if userGroup(modules, g) {
			if _, err := e.groups.query(ctx, g, allRegions); err != nil {
				return nil, err
			}
		}
	}
	// Overridden data is checked against the national allocation, which
	// the roll-up rules read from the published tables.
	if len(opt.DataFiles) > 0 || len(opt.PolicyDirs) > 0 {
		if err := e.checkParamBounds(ctx, data); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// prepare compiles the query that binds every rule set to its variable.
func prepare(ctx context.Context, compiler *ast.Compiler, store storage.Store, sets []ruleSet) (ruleQuery, error) {
	if len(sets) == 0 {
		return ruleQuery{}, nil
	}
	var query []string
	for _, s := range sets {
		query = append(query, fmt.Sprintf("%s := data.%s.%s", s.binding, s.pkg, s.kind()))
	}
	r := rego.New(
		rego.Compiler(compiler),
		rego.Store(store),
		rego.Query(strings.Join(query, "; ")),
		rego.Capabilities(sandboxCapabilities()),
		rego.StrictBuiltinErrors(false),
	)
	pq, err := r.PrepareForEval(ctx)
	if err != nil {
		return ruleQuery{}, fmt.Errorf("preparing the policy query: %w", err)
	}
	return ruleQuery{prepared: pq, sets: sets}, nil
}

// hasMetadata reports whether a rule has a METADATA block of its own.
func hasMetadata(r *ast.Rule) bool {
	for _, a := range r.Annotations {
		if a.Scope == "rule" {
			return true
		}
	}
	return false
}

// ruleFromMetadata reads a rule's METADATA annotation: title, description
// and custom id, severity, standard and remediation.
func ruleFromMetadata(file, pkg string, r *ast.Rule, severity Severity) (Rule, error) {
	loc := fmt.Sprintf("%s:%d", file, r.Location.Row)
	var a *ast.Annotations
	for _, x := range r.Annotations {
		if x.Scope == "rule" {
			a = x
		}
	}
	if a == nil {
		return Rule{}, fmt.Errorf("%s: rule has no METADATA block; add one with a title and custom id, severity, standard and remediation", loc)
	}
	text := func(key string) string {
		s, _ := a.Custom[key].(string)
		return strings.TrimSpace(s)
	}
	rule := Rule{
		ID: text("id"), Title: a.Title, Description: strings.TrimSpace(a.Description),
		Severity: Severity(text("severity")), Standard: text("standard"), Remediation: text("remediation"),
		Details: text("details"), Objectives: textList(a.Custom["objectives"]), Sections: textList(a.Custom["sections"]),
		Package: pkg, Location: loc,
	}
	if len(rule.Sections) == 0 {
		rule.Sections = []string{pkg[strings.LastIndex(pkg, ".")+1:]}
	}
	var missing []string
	for key, v := range map[string]string{"title": rule.Title, "custom.id": rule.ID, "custom.severity": string(rule.Severity), "custom.standard": rule.Standard, "custom.remediation": rule.Remediation} {
		if v == "" {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return Rule{}, fmt.Errorf("%s: METADATA lacks %s", loc, strings.Join(missing, ", "))
	}
	if rule.Severity != severity {
		return Rule{}, fmt.Errorf("%s: METADATA says severity %s but the rule is in the %s set (severity %s)", loc, rule.Severity, r.Head.Ref(), severity)
	}
	return rule, nil
}

// objectiveOrder reads the business-plan order of objectives from the
// reference data (data.reference.objectives); plan-wide findings come first.
func objectiveOrder(data map[string]any) map[string]int {
	order := map[string]int{PlanWide: 0}
	ref, _ := data["reference"].(map[string]any)
	objectives, _ := ref["objectives"].([]any)
	for i, o := range objectives {
		if m, ok := o.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				order[id] = i + 1
			}
		}
	}
	return order
}

// evaluate runs every rule set of the query against an input and returns
// the findings, without positions.
func (e *engine) evaluate(ctx context.Context, group string, input ast.Value) ([]Finding, error) {
	q, err := e.groups.query(ctx, group, e.scope(group, input))
	if err != nil {
		return nil, err
	}
	if len(q.sets) == 0 {
		return nil, nil
	}
	rs, err := q.prepared.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, fmt.Errorf("evaluating policies: %w", err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("evaluating policies: the rule sets gave %d results, want 1", len(rs))
	}
	var out []Finding
	for _, set := range q.sets {
		items, ok := rs[0].Bindings[set.binding].([]any)
		if !ok {
			return nil, fmt.Errorf("evaluating policies: data.%s.%s is not a set of findings", set.pkg, set.kind())
		}
		for _, item := range items {
			out = append(out, e.finding(set, item))
		}
	}
	return out, nil
}

// scope is the derived scope an evaluation needs: a plan's own region for
// the built-in plan rules, which read only that region's figures; every
// region for the other groups, and for a user's plan rules, which may read
// any region's.
func (e *engine) scope(group string, input ast.Value) string {
	if group != groupPlan || e.userPlanRules {
		return allRegions
	}
	if obj, ok := input.(ast.Object); ok {
		if t := obj.Get(ast.InternedTerm("region")); t != nil {
			if s, ok := t.Value.(ast.String); ok && slices.Contains(e.regions, string(s)) {
				return string(s)
			}
		}
	}
	return noRegion
}

// finding turns one element of a deny/warn/info set into a Finding. Rego
// rules may return an object carrying msg and the finding's fields, or,
// as in plain conftest policies, just a message string.
func (e *engine) finding(set ruleSet, item any) Finding {
	f := Finding{Severity: set.severity, Objective: PlanWide, Rule: set.pkg + "." + set.kind()}
	switch v := item.(type) {
	case string:
		f.Message = v
	case map[string]any:
		str := func(k string) string { s, _ := v[k].(string); return s }
		f.Message = str("msg")
		if s := str("rule"); s != "" {
			f.Rule = s
		}
		if s := str("objective"); s != "" {
			f.Objective = s
		}
		f.Path = str("path")
		if f.Path != "" && !strings.HasPrefix(f.Path, "/") {
			f.Path = "/" + f.Path // a JSON pointer always starts with "/"
		}
		f.Title = str("title")
		f.Standard = str("standard")
		f.Subject = str("subject")
		if n, ok := v["plan"].(json.Number); ok {
			if i, err := n.Int64(); err == nil && i >= 0 {
				f.plan = int(i) + 1
			}
		}
	default:
		f.Message = fmt.Sprint(v)
	}
	if f.Message == "" {
		f.Message = fmt.Sprintf("rule %s returned a finding without a msg", f.Rule)
	}
	return f
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
