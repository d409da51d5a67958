package checker

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// derivedPackage holds the values worked out from the reference data alone
// (policies/derived). rdpcheck evaluates it once, after the --data
// overrides are merged, and keeps the result as data at the same path, so
// that the rules of a group read it instead of recomputing it for every
// plan. Stock OPA evaluates it as ordinary rules, with the same results.
const derivedPackage = "rdp.derived"

// groups compiles each rule group on first use: only the packages a
// command runs, and those they refer to, are compiled.
type groups struct {
	modules map[string]*ast.Module
	data    map[string]any
	sets    map[string][]ruleSet

	derivedOnce  sync.Once
	derivedStore storage.Store
	derivedErr   error

	mu      sync.Mutex
	byGroup map[string]*groupQuery
}

// groupQuery is one group's prepared query, compiled once, with the
// compiler and store it was prepared on (for the group's other queries).
type groupQuery struct {
	once     sync.Once
	q        ruleQuery
	compiler *ast.Compiler
	store    storage.Store
	err      error
}

func newGroups(modules map[string]*ast.Module, data map[string]any, sets map[string][]ruleSet) *groups {
	return &groups{modules: modules, data: data, sets: sets, byGroup: map[string]*groupQuery{}}
}

// query returns the prepared query of a group, compiling it the first time.
func (g *groups) query(ctx context.Context, group string) (ruleQuery, error) {
	g.mu.Lock()
	gq := g.byGroup[group]
	if gq == nil {
		gq = &groupQuery{}
		g.byGroup[group] = gq
	}
	g.mu.Unlock()
	gq.once.Do(func() {
		gq.q, gq.compiler, gq.store, gq.err = g.compile(context.WithoutCancel(ctx), group)
	})
	return gq.q, gq.err
}

// prepareExtra prepares another query over a group's compiled packages
// and data, such as the roll-up's national picture; ok is false when the
// group has no rules (and so nothing was compiled).
func (g *groups) prepareExtra(ctx context.Context, group, query string) (pq rego.PreparedEvalQuery, ok bool, err error) {
	if _, err := g.query(ctx, group); err != nil {
		return pq, false, err
	}
	g.mu.Lock()
	gq := g.byGroup[group]
	g.mu.Unlock()
	if gq.compiler == nil {
		return pq, false, nil
	}
	pq, err = rego.New(
		rego.Compiler(gq.compiler),
		rego.Store(gq.store),
		rego.Query(query),
		rego.Capabilities(sandboxCapabilities()),
		rego.StrictBuiltinErrors(false),
	).PrepareForEval(ctx)
	return pq, err == nil, err
}

// compile compiles the group's packages and their dependencies, with the
// derived package replaced by its value when they use it.
func (g *groups) compile(ctx context.Context, group string) (ruleQuery, *ast.Compiler, storage.Store, error) {
	sets := g.sets[group]
	if len(sets) == 0 {
		return ruleQuery{}, nil, nil, nil
	}
	modules := closure(g.modules, func(pkg string) bool { return groupOf(pkg) == group && !isDerived(pkg) })
	store := storage.Store(nil)
	usesDerived := false
	for name, m := range modules {
		if isDerived(packageName(m)) {
			usesDerived = true
			delete(modules, name)
		}
	}
	// The derived values are worked out on another core while the group
	// compiles: neither needs the other until the query is prepared.
	derived := make(chan struct{})
	if usesDerived {
		go func() {
			defer close(derived)
			g.derivedOnce.Do(func() { g.derivedStore, g.derivedErr = g.evaluateDerived(ctx) })
		}()
	} else {
		close(derived)
	}
	compiler, err := compileModules(modules)
	<-derived
	if err != nil {
		return ruleQuery{}, nil, nil, err
	}
	if usesDerived {
		if g.derivedErr != nil {
			return ruleQuery{}, nil, nil, g.derivedErr
		}
		store = g.derivedStore
	} else {
		store = astStore(g.data)
	}
	q, err := prepare(ctx, compiler, store, sets)
	return q, compiler, store, err
}

// evaluateDerived evaluates the derived package over the reference data
// and returns a store holding the data with the result at its path.
func (g *groups) evaluateDerived(ctx context.Context) (storage.Store, error) {
	modules := closure(g.modules, isDerived)
	compiler, err := compileModules(modules)
	if err != nil {
		return nil, err
	}
	rs, err := rego.New(
		rego.Compiler(compiler),
		rego.Store(astStore(g.data)),
		rego.Query("data."+derivedPackage),
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
	path := strings.Split(derivedPackage, ".")
	var nested any = value
	for i := len(path) - 1; i >= 0; i-- {
		nested = map[string]any{path[i]: nested}
	}
	return astStore(mergeData(g.data, nested.(map[string]any))), nil
}

// astStore keeps data as OPA values, so that an evaluation reads the
// reference data without converting it again.
func astStore(data map[string]any) storage.Store {
	return inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true))
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
