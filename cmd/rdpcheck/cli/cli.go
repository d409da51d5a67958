// Package cli is rdpcheck's command line: it resolves the settings
// (flags, RDPCHECK_* environment variables, the .rdpcheck.yaml config
// file), runs the checker, writes the reports and chooses the exit code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/report"
)

// Exit codes.
const (
	ExitOK       = 0 // no finding at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitError    = 2 // rdpcheck could not do its job
)

// Version is the rdpcheck version, set at build time with
// -ldflags "-X github.com/hee-rdp/rdpcheck/cmd/rdpcheck/cli.Version=v1.2.3";
// otherwise the module version from the build information, or "dev".
var Version = ""

const usage = `rdpcheck checks HEE Regional Delivery Plans against the plan schema and the
rulebook, and reports findings per business-plan objective.

Usage:
  rdpcheck check [flags] PATH...   check plan files (.yaml, .json, .xlsx) or directories ("-" reads stdin)
  rdpcheck rollup [flags] PATH...  check the seven regional plans together (national roll-up)
  rdpcheck rules [--format F]      list every rule: id, severity, title, standard
                                   (--objective FW3 or --section budget: the rules for one part)
  rdpcheck explain RULE...         the full documentation of a rule (or explain FW3, explain budget)
  rdpcheck data check              check that the published reference tables add up
  rdpcheck init --region R [-o F]  write a starter plan for a region (YAML, or a workbook for F.xlsx)
  rdpcheck convert IN -o OUT       rewrite a plan as YAML, JSON or an Excel workbook (.xlsx)
  rdpcheck serve [--addr A]        the submission portal (rdpcheck serve --help; serve token makes tokens)
  rdpcheck version                 print the version

Settings come from flags, then RDPCHECK_* environment variables, then
.rdpcheck.yaml (in this directory or the nearest parent).
Exit codes: 0 passed; 1 findings at or above --fail-on; 2 could not check.
Run "rdpcheck check --help" for the flags.
`

// Run runs rdpcheck with the given arguments and returns its exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitError
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], stdin, stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "explain":
		return runExplain(args[1:], stdout, stderr)
	case "data":
		return runData(args[1:], stdout, stderr)
	case "rollup":
		return runRollup(args[1:], stdin, stdout, stderr)
	case workerCommand:
		return runWorker(stdin, stdout, stderr)
	case "convert":
		return runConvert(args[1:], stdout, stderr)
	case "init":
		return runInit(args[1:], stdout, stderr)
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "version", "--version":
		bi, _ := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(version(), bi))
		return ExitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "rdpcheck: unknown command %q\n\n%s", args[0], usage)
	return ExitError
}

// version is the rdpcheck version: Version when set at build time, else
// the main module's version from the build information (a release tag,
// or the pseudo-version Go derives from the VCS), else "dev".
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// versionLine is what `rdpcheck version` prints: the version, then what
// the build information says about the source it was built from — the
// VCS revision, whether the work tree had uncommitted changes, the commit
// time — and the Go version, e.g.
//
//	rdpcheck v1.2.3 (revision 0123456789ab, modified, 2026-12-01T21:00:00Z; go1.26.8)
func versionLine(v string, bi *debug.BuildInfo) string {
	if bi == nil {
		return "rdpcheck " + v
	}
	var parts []string
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		parts = append(parts, "revision "+rev[:min(len(rev), 12)])
		if settings["vcs.modified"] == "true" {
			parts = append(parts, "modified")
		}
		if t := settings["vcs.time"]; t != "" {
			parts = append(parts, t)
		}
	} else {
		parts = append(parts, "no revision recorded")
	}
	return fmt.Sprintf("rdpcheck %s (%s; %s)", v, strings.Join(parts, ", "), bi.GoVersion)
}

func newFlagSet(name string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	return fs
}

// reportFlags are the settings of the commands that write reports.
var reportFlags = []string{"format", "output", "fail-on", "policy", "data", "rule", "max-file-size", "docs-url", "waivers", "baseline", "only-new", "today"}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", stderr)
	cmd := newCommand(fs, reportFlags...)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: rdpcheck check [flags] PATH...\n\nChecks plan files (.yaml, .yml, .json, or .xlsx workbooks), directories of them, or - for stdin.\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fail(stderr, errors.New("no plan files given; name files or directories, or - for stdin"))
	}
	return runReport(cmd, fs.Args(), stdout, stderr, func(ctx context.Context, c *checker.Checker) (*checker.Report, error) {
		return c.Run(ctx, fs.Args(), stdin)
	})
}

// runRollup runs `rdpcheck rollup`: the regional plans checked together
// against the national plan.
func runRollup(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("rollup", stderr)
	cmd := newCommand(fs, reportFlags...)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: rdpcheck rollup [flags] PATH...\n\nChecks the seven regional plans together: every region once, national METIP sums,\nnational commitments, the national allocation and outliers across regions.\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fail(stderr, errors.New("no plan files given; name the regional plans or their directory"))
	}
	return runReport(cmd, fs.Args(), stdout, stderr, func(ctx context.Context, c *checker.Checker) (*checker.Report, error) {
		return c.Rollup(ctx, fs.Args(), stdin)
	})
}

// runData runs `rdpcheck data check`: the reference-data checks, reported
// against the embedded reference data files.
func runData(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		return fail(stderr, errors.New(`usage: rdpcheck data check [--data FILE] [--format F] [--fail-on S]`))
	}
	fs := newFlagSet("data check", stderr)
	cmd := newCommand(fs, reportFlags...)
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(stderr, err)
	}
	return runReport(cmd, nil, stdout, stderr, func(ctx context.Context, c *checker.Checker) (*checker.Report, error) {
		return c.CheckReference(ctx)
	})
}

// runReport resolves the settings, builds the checker, makes the report
// with run and writes it in every requested format. paths are the plans
// the command reads: no report may be written over one of them.
func runReport(cmd *command, paths []string, stdout, stderr io.Writer, run func(context.Context, *checker.Checker) (*checker.Report, error)) int {
	s, err := cmd.resolve()
	if err != nil {
		return fail(stderr, err)
	}
	if _, err := parseFailOn(s.FailOn); err != nil {
		return fail(stderr, err)
	}
	if s.OnlyNew && s.Baseline == "" {
		return fail(stderr, errors.New("--only-new needs --baseline: without an earlier report no finding can be new"))
	}
	outs, err := parseOutputs(s.Formats, s.Output)
	if err != nil {
		return fail(stderr, err)
	}
	if err := checkNotInputs(outs, s.inputs(paths)); err != nil {
		return fail(stderr, err)
	}
	opt, err := s.checkerOptions()
	if err != nil {
		return fail(stderr, err)
	}
	ctx := context.Background()
	c, err := checker.New(ctx, opt)
	if err != nil {
		return fail(stderr, err)
	}
	r, err := run(ctx, c)
	if err != nil {
		return fail(stderr, err)
	}
	v := report.NewView(r, c.Objectives(), c.Rules())
	v.Titles = c.ObjectiveTitles()
	ropt := reportOptions(s)
	if err := writeOutputs(outs, v, ropt, s.NoColor, stdout); err != nil {
		return fail(stderr, err)
	}
	return exitCode(r, ropt)
}

// exitCode is 2 when any file could not be checked, else 1 when any
// finding fails the run (report.Options.Fails: at or above --fail-on, not
// waived, and new when --only-new), else 0.
func exitCode(r *checker.Report, opt report.Options) int {
	if r.Summary.Unchecked > 0 {
		return ExitError
	}
	for _, f := range r.Files {
		for _, x := range f.Findings {
			if opt.Fails(x) {
				return ExitFindings
			}
		}
	}
	return ExitOK
}

// parseFailOn turns --fail-on into a minimum severity rank; never is 0.
func parseFailOn(s string) (int, error) {
	if strings.EqualFold(s, "never") {
		return 0, nil
	}
	sev, ok := checker.ParseSeverity(s)
	if !ok {
		return 0, fmt.Errorf("fail-on %q: use error, warning, info or never", s)
	}
	return sev.Rank(), nil
}

// parseSize reads a size such as 8MiB, 512KiB or 1048576.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size; use e.g. 8MiB, 512KiB or a number of bytes", s)
	}
	return n * mult, nil
}

// parseError reports a flag error; --help is not one.
func parseError(stderr io.Writer, err error) int {
	if errors.Is(err, pflag.ErrHelp) {
		return ExitOK
	}
	return fail(stderr, fmt.Errorf("%w (see --help)", err))
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "rdpcheck: %v\n", err)
	return ExitError
}

// useColor decides on colour: only on a terminal, never with NO_COLOR set
// or --no-color.
func useColor(noColor bool, stdout io.Writer) bool {
	return !noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout)
}

// isTerminal reports whether w is a terminal, asking the terminal driver
// (a character device such as /dev/null is not a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
