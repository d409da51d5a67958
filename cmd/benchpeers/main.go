// Command benchpeers times rdpcheck against conftest and opa eval running
// the same Rego bundle, on a generated corpus of plans and on one plan.
//
// Usage, from the repository root (make bench-peers does all of this):
//
//	go run ./cmd/benchpeers corpus -out .bench/corpus -n 1000 -seed 1
//	go run ./cmd/benchpeers run -bin .bench/bin -corpus .bench/corpus
//
// corpus writes n plans made from the fixtures (mostly the seven valid
// regional plans, a share of the rule-breaking ones, METIP figures varied
// by a seeded generator, so the same seed gives the same corpus). run
// starts each tool as a child process and reads its wall time, CPU time
// (user + system) and peak resident memory from the operating system, then
// prints a table with rdpcheck's ratios to its peers and the issue's
// targets. The tools take turns, round after round (three rounds of the
// corpus, five of one plan, by default), and each case is given as its run
// of median wall time; single-plan runs are cold starts.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchpeers corpus|run [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "corpus":
		fs := flag.NewFlagSet("corpus", flag.ExitOnError)
		out := fs.String("out", ".bench/corpus", "directory to write the plans to")
		n := fs.Int("n", 1000, "number of plans")
		share := fs.Float64("invalid", 0.2, "share of plans made from the rule-breaking fixtures")
		seed := fs.Uint64("seed", 1, "seed of the generator")
		fixtures := fs.String("fixtures", "fixtures", "the fixtures directory")
		_ = fs.Parse(os.Args[2:])
		err = corpus(*fixtures, *out, *n, *share, *seed)
	case "run":
		fs := flag.NewFlagSet("run", flag.ExitOnError)
		bin := fs.String("bin", ".bench/bin", "directory holding rdpcheck, conftest and opa")
		dir := fs.String("corpus", ".bench/corpus", "the generated corpus")
		policies := fs.String("policies", "policies", "the Rego bundle")
		plan := fs.String("plan", "fixtures/plans/valid/london.yaml", "the plan of the single-plan runs")
		repeat := fs.Int("repeat", 5, "rounds of the single-plan cases (the median is shown)")
		corpusRepeat := fs.Int("corpus-repeat", 3, "rounds of the corpus and 10-plan cases (the median is shown)")
		gogc := fs.String("gogc", "", "comma-separated GOGC values to also time rdpcheck on the corpus with")
		_ = fs.Parse(os.Args[2:])
		err = run(*bin, *dir, *policies, *plan, *repeat, *corpusRepeat, *gogc)
	default:
		err = fmt.Errorf("unknown command %q: use corpus or run", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchpeers:", err)
		os.Exit(1)
	}
}

// usage is what one run of a tool cost.
type usage struct {
	wall, cpu time.Duration
	rssKiB    int64
}

func (u usage) String() string {
	return fmt.Sprintf("%7.3f s  %7.3f s  %7.1f MiB", u.wall.Seconds(), u.cpu.Seconds(), float64(u.rssKiB)/1024)
}

// measure runs a command to completion and reads its resource usage. Exit
// status 1 means findings for all three tools, so only a failure to run,
// or another status, is an error.
func measure(env []string, name string, args ...string) (usage, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		return usage{}, fmt.Errorf("%s: %w", name, err)
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
		return usage{}, fmt.Errorf("%s %s: exit %d: %s", name, strings.Join(args, " "), code, clip(stderr.String()))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return usage{}, fmt.Errorf("no resource usage for %s on this system", name)
	}
	return usage{
		wall:   wall,
		cpu:    cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(),
		rssKiB: ru.Maxrss, // KiB on Linux
	}, nil
}

// job is one command to time.
type job struct {
	name string
	args []string
}

// rounds runs every job once per round, n rounds, the jobs in the order of
// their names, and keeps each job's run of median wall time.
func rounds(n int, jobs map[string]job) (map[string]usage, error) {
	names := slices.Sorted(maps.Keys(jobs))
	runs := map[string][]usage{}
	for range max(n, 1) {
		for _, name := range names {
			u, err := measure(nil, jobs[name].name, jobs[name].args...)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			runs[name] = append(runs[name], u)
		}
	}
	out := map[string]usage{}
	for name, rs := range runs {
		slices.SortFunc(rs, func(a, b usage) int { return int(a.wall - b.wall) })
		out[name] = rs[len(rs)/2]
	}
	return out, nil
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}

// planPackages lists the packages of the bundle that judge one plan (they
// have deny or warn rules and are not the roll-up or data checks), as
// conftest must be told with --namespace.
func planPackages(dir string) ([]string, error) {
	pkgRe := regexp.MustCompile(`^package (\S+)`)
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		pkg, rules := "", false
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if m := pkgRe.FindStringSubmatch(sc.Text()); m != nil {
				pkg = m[1]
			}
			if strings.HasPrefix(sc.Text(), "deny contains") || strings.HasPrefix(sc.Text(), "warn contains") {
				rules = true
			}
		}
		if rules && pkg != "rdp.rollup" && pkg != "rdp.datacheck" && !slices.Contains(out, pkg) {
			out = append(out, pkg)
		}
		return sc.Err()
	})
	slices.Sort(out)
	return out, err
}

func run(bin, dir, policies, plan string, repeat, corpusRepeat int, gogc string) error {
	tool := func(name string) string { return filepath.Join(bin, name) }
	for _, name := range []string{"rdpcheck", "conftest", "opa"} {
		if _, err := os.Stat(tool(name)); err != nil {
			return fmt.Errorf("%s is not installed in %s (make bench-peers installs it)", name, bin)
		}
	}
	plans, err := filepath.Glob(filepath.Join(dir, "plan-*.yaml"))
	if err != nil || len(plans) == 0 {
		return fmt.Errorf("no plans in %s: generate them with benchpeers corpus", dir)
	}
	slices.Sort(plans)
	pkgs, err := planPackages(policies)
	if err != nil {
		return err
	}
	conftestArgs := func(files ...string) []string {
		args := []string{"test", "--no-color", "--policy", policies, "--data", policies}
		for _, p := range pkgs {
			args = append(args, "--namespace", p)
		}
		return append(args, files...)
	}
	var query []string
	for _, p := range pkgs {
		query = append(query, fmt.Sprintf("%q: [data.%s.deny, data.%s.warn]", p, p, p))
	}
	opaArgs := []string{"eval", "--format", "json", "--data", policies, "--input", plan, "{" + strings.Join(query, ", ") + "}"}

	ten := plans[:min(10, len(plans))]
	tenDir, err := os.MkdirTemp("", "benchpeers-ten")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tenDir)
	for _, p := range ten {
		if err := os.Symlink(mustAbs(p), filepath.Join(tenDir, filepath.Base(p))); err != nil {
			return err
		}
	}

	fmt.Printf("peer benchmark: %d plans in %s; plan packages %s; %d rounds of the corpus, %d of one plan (medians)\n",
		len(plans), dir, strings.Join(pkgs, " "), corpusRepeat, repeat)
	check := func(path string) job {
		return job{name: tool("rdpcheck"), args: []string{"check", "--format", "json=/dev/null", path}}
	}
	// The tools take turns in every round, so that a slow spell of the
	// machine falls on all of them rather than on one.
	big, err := rounds(corpusRepeat, map[string]job{
		"rdpcheck, corpus":   check(dir),
		"conftest, corpus":   {name: tool("conftest"), args: conftestArgs(dir)},
		"rdpcheck, 10 plans": check(tenDir),
	})
	if err != nil {
		return err
	}
	one, err := rounds(repeat, map[string]job{
		"rdpcheck, one plan": check(plan),
		"opa eval, one plan": {name: tool("opa"), args: opaArgs},
		"conftest, one plan": {name: tool("conftest"), args: conftestArgs(plan)},
	})
	if err != nil {
		return err
	}
	rd := map[string]usage{"corpus": big["rdpcheck, corpus"], "ten": big["rdpcheck, 10 plans"], "one": one["rdpcheck, one plan"]}
	peer := map[string]usage{"corpus": big["conftest, corpus"], "opa": one["opa eval, one plan"], "one": one["conftest, one plan"]}
	for _, name := range []string{"rdpcheck, corpus", "conftest, corpus", "rdpcheck, 10 plans"} {
		fmt.Fprintf(os.Stderr, "  %-34s %s\n", name, big[name])
	}
	for _, name := range []string{"rdpcheck, one plan", "opa eval, one plan", "conftest, one plan"} {
		fmt.Fprintf(os.Stderr, "  %-34s %s\n", name, one[name])
	}

	ratio := func(a, b float64) string { return fmt.Sprintf("%.2f", a/b) }
	w := func(u usage) float64 { return u.wall.Seconds() }
	c := func(u usage) float64 { return u.cpu.Seconds() }
	m := func(u usage) float64 { return float64(u.rssKiB) }
	fmt.Println()
	fmt.Println("| case | rdpcheck wall / CPU / peak | peer wall / CPU / peak | ratio wall / CPU / peak |")
	fmt.Println("|---|---|---|---|")
	row := func(name string, a, b usage) {
		fmt.Printf("| %s | %s | %s | %s / %s / %s |\n", name, a, b, ratio(w(a), w(b)), ratio(c(a), c(b)), ratio(m(a), m(b)))
	}
	row(fmt.Sprintf("%d plans vs conftest", len(plans)), rd["corpus"], peer["corpus"])
	row("one plan (cold) vs conftest", rd["one"], peer["one"])
	row("one plan (cold) vs opa eval", rd["one"], peer["opa"])
	fmt.Printf("| %d plans vs rdpcheck on 10 plans | %s | %s | %s / %s / %s |\n", len(plans), rd["corpus"], rd["ten"],
		ratio(w(rd["corpus"]), w(rd["ten"])), ratio(c(rd["corpus"]), c(rd["ten"])), ratio(m(rd["corpus"]), m(rd["ten"])))

	fmt.Println()
	fmt.Println("targets (issue 10):")
	target := func(ok bool, what string) {
		mark := "MET    "
		if !ok {
			mark = "NOT MET"
		}
		fmt.Printf("  %s %s\n", mark, what)
	}
	target(w(rd["corpus"]) <= 0.2*w(peer["corpus"]), fmt.Sprintf("corpus wall <= 0.2x conftest's: %s", ratio(w(rd["corpus"]), w(peer["corpus"]))))
	target(c(rd["corpus"]) <= 0.33*c(peer["corpus"]), fmt.Sprintf("corpus CPU <= 0.33x conftest's: %s", ratio(c(rd["corpus"]), c(peer["corpus"]))))
	target(m(rd["corpus"]) <= m(peer["corpus"]), fmt.Sprintf("corpus peak memory <= conftest's: %s", ratio(m(rd["corpus"]), m(peer["corpus"]))))
	target(m(rd["corpus"]) <= 1.5*m(rd["ten"]), fmt.Sprintf("corpus peak memory <= 1.5x rdpcheck's at 10 plans: %s", ratio(m(rd["corpus"]), m(rd["ten"]))))
	target(w(rd["one"]) <= 0.6*w(peer["opa"]), fmt.Sprintf("one plan cold wall <= 0.6x opa eval's: %s", ratio(w(rd["one"]), w(peer["opa"]))))

	if gogc != "" {
		fmt.Println()
		fmt.Println("rdpcheck on the corpus by GOGC:")
		for _, g := range strings.Split(gogc, ",") {
			u, err := measure([]string{"GOGC=" + g}, tool("rdpcheck"), "check", "--format", "json=/dev/null", dir)
			if err != nil {
				return err
			}
			fmt.Printf("  GOGC=%-5s %s\n", g, u)
		}
	}
	return nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
