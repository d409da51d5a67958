package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// derivedPackage holds the values worked out from the reference data alone
// (policies/derived). rdpcheck evaluates it once per scope (below), after
// the --data overrides are merged, and keeps the result as data at the same
// path, so that the rules of a group read it instead of recomputing it for
// every plan. Stock OPA evaluates it as ordinary rules, with the same
// results.
const derivedPackage = "rdp.derived"

// keyedRegions is the rule of the derived package listing the regions its
// tables keyed by region are worked out for (all of them, as stock OPA
// evaluates it). A plan's rules read only its own region's entries, so
// rdpcheck works out each region's tables when the first plan of that
// region arrives, with this rule replaced by that region alone: a one-plan
// run does a seventh of that work.
const keyedRegions = "keyed_regions"

// Derived scopes: which regions' keyed tables a store holds.
const (
	allRegions = "\x00all" // every region: the roll-up, the published tables, user policies
	noRegion   = ""        // none: a plan whose region is not one of the seven
)

// groups compiles each rule group on first use: only the packages a
// command runs, and those they refer to, are compiled.
type groups struct {
	modules map[string]*ast.Module
	data    map[string]any
	sets    map[string][]ruleSet

	mu      sync.Mutex
	byGroup map[string]*groupQuery
	derived map[string]*scopeValues // by scope
	tables  map[string]ast.Value    // each derived table, as first worked out

	refOnce sync.Once
	ref     ast.Object
	refErr  error

	baseOnce sync.Once
	base     storage.Store
	baseErr  error

	derivedOnce    sync.Once
	derivedComp    *ast.Compiler
	derivedCompErr error
}

// groupQuery is one group's compiled packages and, by derived scope, its
// prepared queries.
type groupQuery struct {
	plan        sync.Once
	modules     map[string]*ast.Module // the group's closure, without the derived package
	usesDerived bool

	once     sync.Once
	compiler *ast.Compiler
	err      error

	mu      sync.Mutex
	byScope map[string]*scopedQuery
}

// scopedQuery is a group's query prepared over the store of one scope.
type scopedQuery struct {
	once  sync.Once
	q     ruleQuery
	store storage.Store
	err   error
}

// scopeValues is the reference data with the derived values of one
// scope, worked out once.
type scopeValues struct {
	once  sync.Once
	store storage.Store
	err   error
}

func newGroups(modules map[string]*ast.Module, data map[string]any, sets map[string][]ruleSet) *groups {
	return &groups{modules: modules, data: data, sets: sets, byGroup: map[string]*groupQuery{}, derived: map[string]*scopeValues{}}
}

// group returns a group's entry, with the packages it compiles and
// whether it reads the derived values; made on first use.
func (g *groups) group(name string) *groupQuery {
	g.mu.Lock()
	gq := g.byGroup[name]
	if gq == nil {
		gq = &groupQuery{byScope: map[string]*scopedQuery{}}
		g.byGroup[name] = gq
	}
	g.mu.Unlock()
	gq.plan.Do(func() {
		gq.modules = closure(g.modules, func(pkg string) bool { return groupOf(pkg) == name && !isDerived(pkg) })
		for file, m := range gq.modules {
			if isDerived(packageName(m)) {
				gq.usesDerived = true
				delete(gq.modules, file)
			}
		}
	})
	return gq
}

// compiled compiles a group's packages the first time it is asked for.
func (g *groups) compiled(group string) *groupQuery {
	gq := g.group(group)
	gq.once.Do(func() { gq.compiler, gq.err = compileModules(gq.modules) })
	return gq
}

// query returns the prepared query of a group over the derived values of
// a scope (allRegions, noRegion or one region), compiling and working them
// out the first time. A group that does not read the derived values has
// one query, whatever the scope.
func (g *groups) query(ctx context.Context, group, scope string) (ruleQuery, error) {
	sq, err := g.scoped(ctx, group, scope)
	if err != nil || sq == nil {
		return ruleQuery{}, err
	}
	return sq.q, nil
}

// scoped returns a group's query and store for a scope; nil for a group
// without rules.
func (g *groups) scoped(ctx context.Context, group, scope string) (*scopedQuery, error) {
	ctx = context.WithoutCancel(ctx)
	if len(g.sets[group]) == 0 {
		return nil, nil
	}
	gq := g.group(group)
	if !gq.usesDerived {
		scope = allRegions
	}
	gq.mu.Lock()
	sq := gq.byScope[scope]
	fresh := sq == nil
	if fresh {
		sq = &scopedQuery{}
		gq.byScope[scope] = sq
	}
	gq.mu.Unlock()
	if fresh && gq.usesDerived {
		// The scope's derived values are worked out on another core
		// while the group compiles.
		go g.derivedStore(ctx, scope)
	}
	g.compiled(group)
	if gq.err != nil {
		return nil, gq.err
	}
	sq.once.Do(func() {
		if gq.usesDerived {
			sq.store, sq.err = g.derivedStore(ctx, scope)
		} else {
			sq.store, sq.err = g.baseStore()
		}
		if sq.err == nil {
			sq.q, sq.err = prepare(ctx, gq.compiler, sq.store, g.sets[group])
		}
	})
	return sq, sq.err
}

// derivedStore returns the reference data with the derived values of a
// scope, working them out the first time.
func (g *groups) derivedStore(ctx context.Context, scope string) (storage.Store, error) {
	g.mu.Lock()
	d := g.derived[scope]
	if d == nil {
		d = &scopeValues{}
		g.derived[scope] = d
	}
	g.mu.Unlock()
	d.once.Do(func() { d.store, d.err = g.evaluateDerived(ctx, scope) })
	return d.store, d.err
}

// prepareExtra prepares another query over a group's compiled packages
// and data (every region's derived values), such as the roll-up's
// national picture; ok is false when the group has no rules (and so
// nothing was compiled).
func (g *groups) prepareExtra(ctx context.Context, group, query string) (pq rego.PreparedEvalQuery, ok bool, err error) {
	sq, err := g.scoped(ctx, group, allRegions)
	if err != nil || sq == nil {
		return pq, false, err
	}
	pq, err = rego.New(
		rego.Compiler(g.group(group).compiler),
		rego.Store(sq.store),
		rego.Query(query),
		rego.Capabilities(sandboxCapabilities()),
		rego.StrictBuiltinErrors(false),
	).PrepareForEval(ctx)
	return pq, err == nil, err
}

// evaluateDerived evaluates the derived package over the reference data,
// its tables keyed by region worked out for the regions of the scope, and
// returns a store holding the data with the result at its path.
func (g *groups) evaluateDerived(ctx context.Context, scope string) (storage.Store, error) {
	compiler, err := g.derivedCompiler()
	if err != nil {
		return nil, err
	}
	base, err := g.baseStore()
	if err != nil {
		return nil, err
	}
	query := "data." + derivedPackage
	if scope != allRegions {
		regions := []string{}
		if scope != noRegion {
			regions = append(regions, scope)
		}
		list, err := json.Marshal(regions)
		if err != nil {
			return nil, err
		}
		query += fmt.Sprintf(" with data.%s.%s as %s", derivedPackage, keyedRegions, list)
	}
	rs, err := rego.New(
		rego.Compiler(compiler),
		rego.Store(base),
		rego.Query(query),
		rego.Capabilities(sandboxCapabilities()),
		rego.StrictBuiltinErrors(false),
	).Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("working out the values derived from the reference data: %w", err)
	}
	value := map[string]any{}
	if len(rs) == 1 && len(rs[0].Expressions) == 1 {
		value, _ = rs[0].Expressions[0].Value.(map[string]any)
	}
	tables, err := g.shareTables(value)
	if err != nil {
		return nil, err
	}
	return g.store(tables)
}

// shareTables turns the derived values into one OPA value, each table
// the same value as an equal table of a scope worked out before, so that
// the stores of the regions hold one copy of what they have in common.
func (g *groups) shareTables(value map[string]any) (ast.Value, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.tables == nil {
		g.tables = map[string]ast.Value{}
	}
	obj := ast.NewObject()
	for _, name := range sortedKeys(value) {
		v, err := ast.InterfaceToValue(value[name])
		if err != nil {
			return nil, fmt.Errorf("working out the values derived from the reference data: %w", err)
		}
		if prev, ok := g.tables[name]; !ok {
			g.tables[name] = v
		} else if prev.Compare(v) == 0 {
			v = prev
		}
		obj.Insert(ast.StringTerm(name), ast.NewTerm(v))
	}
	return obj, nil
}

// referenceValue is the data (reference data and any overrides) as one
// OPA value, converted once and shared by every store.
func (g *groups) referenceValue() (ast.Object, error) {
	g.refOnce.Do(func() {
		v, err := ast.InterfaceToValue(g.data)
		if err != nil {
			g.refErr = fmt.Errorf("reading the reference data: %w", err)
			return
		}
		g.ref, _ = v.(ast.Object)
	})
	return g.ref, g.refErr
}

// store returns a store of the data, with derived (when not nil) at the
// derived package's path. Stores keep OPA values, so that an evaluation
// reads the data without converting it again, and share the data's.
func (g *groups) store(derived ast.Value) (storage.Store, error) {
	ref, err := g.referenceValue()
	if err != nil {
		return nil, err
	}
	data := map[string]any{}
	for _, k := range ref.Keys() {
		if name, ok := k.Value.(ast.String); ok {
			data[string(name)] = ref.Get(k).Value
		}
	}
	if derived != nil {
		path := strings.Split(derivedPackage, ".")
		var nested any = derived
		for i := len(path) - 1; i > 0; i-- {
			nested = map[string]any{path[i]: nested}
		}
		data[path[0]] = nested // the data cannot hold anything under rdp (reservedData)
	}
	return inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true)), nil
}

// baseStore is the store of the data alone, made once.
func (g *groups) baseStore() (storage.Store, error) {
	g.baseOnce.Do(func() { g.base, g.baseErr = g.store(nil) })
	return g.base, g.baseErr
}

// derivedCompiler compiles the derived package, once.
func (g *groups) derivedCompiler() (*ast.Compiler, error) {
	g.derivedOnce.Do(func() { g.derivedComp, g.derivedCompErr = compileModules(closure(g.modules, isDerived)) })
	return g.derivedComp, g.derivedCompErr
}

// checkOnlyStages are compiler stages that only look for mistakes and
// change nothing the evaluation uses. The built-in rulebook passes them in
// its tests (TestRego compiles it with every stage), so they are skipped
// when a group holds only built-in modules: the type check alone is about
// a sixth of compiling the plan rules, and a one-plan run waits for it.
var checkOnlyStages = []ast.StageID{
	ast.StageCheckUnusedImports, ast.StageCheckKeywordOverrides, ast.StageCheckDuplicateImports,
	ast.StageCheckRuleConflicts, ast.StageCheckUndefinedFuncs, ast.StageCheckRecursion,
	ast.StageCheckTypes, ast.StageCheckDeprecatedBuiltins, ast.StageBuildRequiredCapabilities,
}

// compileModules compiles modules in the sandbox, every stage run unless
// all the modules are built-in.
func compileModules(modules map[string]*ast.Module) (*ast.Compiler, error) {
	compiler := ast.NewCompiler().WithCapabilities(sandboxCapabilities()).WithEnablePrintStatements(false)
	if builtInOnly(modules) {
		compiler = compiler.WithSkipStages(checkOnlyStages...)
	}
	compiler.Compile(modules)
	if compiler.Failed() {
		return nil, fmt.Errorf("policies do not compile: %w", compiler.Errors)
	}
	return compiler, nil
}

// isDerived reports whether a package is the derived package or below it.
func isDerived(pkg string) bool {
	return pkg == derivedPackage || strings.HasPrefix(pkg, derivedPackage+".")
}

// packageName is a module's package without the leading "data.".
func packageName(m *ast.Module) string {
	return strings.TrimPrefix(m.Package.Path.String(), "data.")
}

// closure returns the modules whose package is wanted, with every module
// they refer to (through imports or data references), transitively.
func closure(all map[string]*ast.Module, want func(pkg string) bool) map[string]*ast.Module {
	out := map[string]*ast.Module{}
	var queue []*ast.Module
	for name, m := range all {
		if want(packageName(m)) {
			out[name] = m
			queue = append(queue, m)
		}
	}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, ref := range dataRefs(m) {
			for name, other := range all {
				if _, done := out[name]; done || !overlaps(ref, other.Package.Path) {
					continue
				}
				out[name] = other
				queue = append(queue, other)
			}
		}
	}
	return out
}

// dataRefs lists the ground prefixes of the references to data in a
// module, imports included.
func dataRefs(m *ast.Module) []ast.Ref {
	var refs []ast.Ref
	add := func(r ast.Ref) {
		if len(r) > 0 && r[0].Equal(ast.DefaultRootDocument) {
			refs = append(refs, r.ConstantPrefix())
		}
	}
	for _, imp := range m.Imports {
		if r, ok := imp.Path.Value.(ast.Ref); ok {
			add(r)
		}
	}
	ast.WalkRefs(m, func(r ast.Ref) bool {
		add(r)
		return false
	})
	return refs
}

// overlaps reports whether a reference reaches into a package: one is a
// prefix of the other.
func overlaps(ref, pkg ast.Ref) bool {
	return ref.HasPrefix(pkg) || pkg.HasPrefix(ref)
}

// builtInOnly reports whether every module is from the embedded bundle.
func builtInOnly(modules map[string]*ast.Module) bool {
	for name := range modules {
		if !builtIn(name) {
			return false
		}
	}
	return true
}

// userGroup reports whether any module of the group comes from a policy
// directory rather than the embedded bundle.
func userGroup(modules map[string]*ast.Module, group string) bool {
	for name, m := range modules {
		if !builtIn(name) && groupOf(packageName(m)) == group {
			return true
		}
	}
	return false
}
