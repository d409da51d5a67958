package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReservedNamespace checks that a policy directory cannot declare or
// extend a built-in package (everything under rdp.): the issue's
// reproducers switched RDP-KPI rules and RDP-MET-009 off with exit 0.
func TestReservedNamespace(t *testing.T) {
	cases := []struct {
		name, file, policy, plan string
		want                     string
	}{
		{"redefine kpis helper", "kpis.rego", "package rdp.kpis\n\nwarn contains \"local check\" if false\n\nplan_codes contains [id, k.code] if {\n\tsome id, o in data.reference.kpis.objectives\n\tsome k in o.kpis\n}\n",
			"fixtures/plans/invalid/kpi-business-plan-kpi-missing.yaml", "package rdp.kpis belongs to the built-in rulebook"},
		{"extend metip outlier", "metip.rego", "package rdp.metip\n\nwarn contains \"local\" if false\n\npublished_outlier[t][n] if {\n\tsome t in [\"x\"]\n\tsome n in [\"y\"]\n}\n",
			"fixtures/plans/valid/london.yaml", "package rdp.metip belongs to the built-in rulebook"},
		{"root package", "root.rego", "package rdp\n\ndeny contains \"x\" if false\n", "fixtures/plans/valid/london.yaml", "package rdp belongs"},
		{"quoted package", "quoted.rego", "package rdp[\"budget\"]\n\ndeny contains \"x\" if false\n", "fixtures/plans/valid/london.yaml", "package rdp.budget belongs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, c.file, c.policy)
			r := run(t, "", "check", "--policy", dir, c.plan)
			if r.code != 2 {
				t.Errorf("exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, want := range []string{p + ":1: ", c.want, "package local."} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("nothing should be reported:\n%s", r.stdout)
			}
		})
	}
}

// TestReservedData checks that data in a policy directory or a --data
// file may not write under data.rdp, where the built-in rules live.
func TestReservedData(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "local.rego", "package local\n\ndeny contains \"x\" if false\n")
	writeFile(t, dir, "data.json", `{"rdp": {"kpis": {"plan_codes": []}}}`)
	r := run(t, "", "check", "--policy", dir, "fixtures/plans/valid/london.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, `writes data under "rdp"`) {
		t.Errorf("policy dir data: exit %d, want 2 naming the data:\n%s", r.code, r.stderr)
	}
	f := writeFile(t, t.TempDir(), "over.yaml", "rdp:\n  metip: {}\n")
	r = run(t, "", "check", "--data", f, "fixtures/plans/valid/london.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, "data file "+f+`: writes data under "rdp"`) {
		t.Errorf("--data: exit %d, want 2 naming the file:\n%s", r.code, r.stderr)
	}
}

// goldenToday is the date the golden-file runs pass with --today, so
// that the date each report states is stable.
const goldenToday = "2022-10-01"

// TestOverrideListedInEveryFormat is the reproducer: a data.json
// in a policy directory widening the budget tolerance silences
// RDP-BUD-001; it still may, but every report format now says so.
func TestOverrideListedInEveryFormat(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "local.rego", "package local\n\ndeny contains \"x\" if false\n")
	writeFile(t, dir, "data.json", `{"reference":{"params":{"budget_total_tolerance_gbp_million":100}}}`)
	plan := "fixtures/plans/invalid/budget-lines-disagree.yaml"
	want := map[string]string{
		"text":     "reference.params.budget_total_tolerance_gbp_million: 0.05 → 100 (" + dir + ")",
		"json":     `"path": "reference.params.budget_total_tolerance_gbp_million"`,
		"sarif":    `"path": "reference.params.budget_total_tolerance_gbp_million"`,
		"junit":    `value="reference.params.budget_total_tolerance_gbp_million: 0.05 → 100 (` + dir + `)"`,
		"markdown": `reference.params.budget\_total\_tolerance\_gbp\_million: 0.05 → 100`,
		"html":     "<li>changed: reference.params.budget_total_tolerance_gbp_million: 0.05 → 100 (" + dir + ")</li>",
		"github":   "Changed: extra policies from " + dir,
	}
	for format, w := range want {
		r := run(t, "", "check", "--today", goldenToday, "--policy", dir, "-f", format, plan)
		if r.code != 0 {
			t.Errorf("%s: exit %d, want 0 (the tolerance hides RDP-BUD-001)\n%s", format, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, w) {
			t.Errorf("%s: lacks %q:\n%s", format, w, r.stdout)
		}
		if format != "json" && format != "sarif" && format != "junit" && !strings.Contains(r.stdout, "MODIFIED") {
			t.Errorf("%s: does not say the rulebook was modified", format)
		}
	}
	stock := run(t, "", "check", "--today", goldenToday, "-f", "json", "fixtures/plans/valid/london.yaml")
	if rep := decodeReport(t, stock.stdout); rep.Provenance == nil || !rep.Provenance.Stock || rep.Provenance.Date != goldenToday {
		t.Errorf("stock run provenance %+v", rep.Provenance)
	}
}

// TestOverrideOutOfRange refuses values that would switch a rule off.
func TestOverrideOutOfRange(t *testing.T) {
	cases := map[string]string{
		"reference:\n  params:\n    budget_total_tolerance_gbp_million: 1000000\n": "as much as an average region's share of the national programme allocation",
		"reference:\n  params:\n    nets_min_respondents: -1\n":                    "reference.params.nets_min_respondents: must be >= 0",
		"reference:\n  params:\n    admin_share_cap_pct: 150\n":                    "reference.params.admin_share_cap_pct: must be <= 100",
		"reference:\n  params:\n    metip_outlier_z: 1000\n":                       "reference.params.metip_outlier_z: must be <= 10",
	}
	for content, want := range cases {
		f := writeFile(t, t.TempDir(), "tolerances.yaml", content)
		r := run(t, "", "check", "--data", f, "fixtures/plans/invalid/budget-lines-disagree.yaml")
		if r.code != 2 || !strings.Contains(r.stderr, want) || r.stdout != "" {
			t.Errorf("%q: exit %d, want 2 with %q:\n%s", content, r.code, want, r.stderr)
		}
	}
}

// TestReportOverInputRefused: a report may not replace a plan (or any
// other file the run reads), whatever name it is given.
func TestReportOverInputRefused(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(root, "fixtures/plans/valid/london.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plan := writeFile(t, dir, "over.yaml", string(src))
	alias := filepath.Join(dir, "alias.json")
	if err := os.Symlink("over.yaml", alias); err != nil {
		t.Fatal(err)
	}
	waivers := writeFile(t, dir, "waivers.yaml", "waivers: []\n")
	for name, args := range map[string][]string{
		"same name":      {"check", "-f", "json=" + plan, plan},
		"through a link": {"check", "-f", "json=" + alias, plan},
		"in a directory": {"check", "-f", "text=" + plan, dir},
		"--output":       {"check", "-o", plan, plan},
		"the waivers":    {"check", "--waivers", waivers, "-f", "sarif=" + waivers, plan},
	} {
		r := run(t, "", args...)
		if r.code != 2 || !strings.Contains(r.stderr, "which is") || !strings.Contains(r.stderr, "write the report to another file") {
			t.Errorf("%s: exit %d, want 2 with a clear message:\n%s", name, r.code, r.stderr)
		}
		if b, _ := os.ReadFile(plan); string(b) != string(src) {
			t.Fatalf("%s: the plan was overwritten", name)
		}
	}
}

// TestReportToDevices: /dev/null (and /dev/zero) stay devices and the run passes;
// /dev/full cannot take the report, so the run could not do its job.
func TestReportToDevices(t *testing.T) {
	for _, dev := range []string{os.DevNull, "/dev/zero"} {
		if info, err := os.Stat(dev); err != nil || info.Mode()&os.ModeDevice == 0 {
			t.Logf("this machine's %s is not a device; not tried", dev)
			continue
		}
		r := run(t, "", "check", "-f", "json="+dev, "fixtures/plans/valid/london.yaml")
		if info, err := os.Stat(dev); r.code != 0 || err != nil || info.Mode()&os.ModeDevice == 0 {
			t.Errorf("%s: exit %d (%s), mode %v", dev, r.code, r.stderr, info.Mode())
		}
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	r := run(t, "", "check", "-f", "json=/dev/full", "fixtures/plans/valid/london.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, "writing the json report to /dev/full") {
		t.Errorf("/dev/full: exit %d, want 2 naming it:\n%s", r.code, r.stderr)
	}
}

// TestConfigDiscoveryBounds checks where .rdpcheck.yaml discovery stops
// and which config files it refuses to trust. Each config asks for JSON,
// so a text report shows that the config was not used.
func TestConfigDiscoveryBounds(t *testing.T) {
	plan := fixture("valid/london.yaml")
	mk := func(t *testing.T, parts ...string) string {
		t.Helper()
		p := filepath.Join(parts...)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const config = "format: json\n"
	t.Run("used and named in the report", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, ".rdpcheck.yaml", config)
		r := runIn(t, mk(t, dir, "plans"), "", nil, "check", plan)
		rep := decodeReport(t, r.stdout)
		if p := rep.Provenance; p == nil || p.Config == nil || p.Config.Path != "../.rdpcheck.yaml" || len(p.Config.SHA256) != 64 {
			t.Errorf("provenance does not name the config: %+v", p)
		}
	})
	t.Run("stops at the repository root", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, ".rdpcheck.yaml", config)
		mk(t, dir, "repo", ".git")
		r := runIn(t, mk(t, dir, "repo", "plans"), "", nil, "check", plan)
		if strings.HasPrefix(r.stdout, "{") {
			t.Errorf("a config above the repository root was used:\n%.80s", r.stdout)
		}
	})
	t.Run("stops at home", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, ".rdpcheck.yaml", config)
		home := mk(t, dir, "home")
		r := runIn(t, mk(t, home, "plans"), "", []string{"HOME=" + home}, "check", plan)
		if strings.HasPrefix(r.stdout, "{") {
			t.Errorf("a config above the home directory was used:\n%.80s", r.stdout)
		}
	})
	t.Run("world-writable directory", func(t *testing.T) {
		dir := mk(t, t.TempDir(), "shared")
		writeFile(t, dir, ".rdpcheck.yaml", config)
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		r := runIn(t, dir, "", nil, "check", plan)
		if strings.HasPrefix(r.stdout, "{") || !strings.Contains(r.stderr, "warning: ignoring the config file .rdpcheck.yaml: anyone can write to its directory") {
			t.Errorf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		if err := os.Chmod(dir, 0o777|os.ModeSticky); err != nil {
			t.Fatal(err)
		}
		if r := runIn(t, dir, "", nil, "check", plan); !strings.HasPrefix(r.stdout, "{") || r.stderr != "" {
			t.Errorf("sticky directory (like /tmp), own file: the config was not used:\n%s", r.stderr)
		}
	})
	t.Run("another user's file", func(t *testing.T) {
		if os.Getuid() != 0 {
			t.Skip("only root can give a file to another user")
		}
		dir := t.TempDir()
		p := writeFile(t, dir, ".rdpcheck.yaml", config)
		if err := os.Chown(p, 65534, 65534); err != nil {
			t.Skip(err)
		}
		r := runIn(t, dir, "", nil, "check", plan)
		if strings.HasPrefix(r.stdout, "{") || !strings.Contains(r.stderr, "ignoring the config file .rdpcheck.yaml: it belongs to another user (uid 65534)") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
	})
}

// TestReportToDevStdout: with standard output redirected to a file,
// -f json=/dev/stdout adds to that file instead of replacing it.
func TestReportToDevStdout(t *testing.T) {
	out, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(binary, "check", "--today", goldenToday, "-f", "text", "-f", "json=/dev/stdout", "fixtures/plans/valid/london.yaml")
	cmd.Dir, cmd.Stdout = root, out
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "fixtures/plans/valid/london.yaml (London): no findings") || !strings.Contains(string(b), "\n{\n") {
		t.Errorf("standard output holds:\n%s", b)
	}
}

// TestForgedWorkflowCommands is the reproducer: a plan named
// like a workflow command, whose region carries legacy ##[ commands,
// checked with every human-readable format. No line may start (after
// spaces) with "::" (bar the github format's own) or hold "##[".
func TestForgedWorkflowCommands(t *testing.T) {
	src, err := os.ReadFile(fixture("valid/london.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	hostile := strings.Replace(string(src), "\nregion: London\n", "\nregion: \"##[add-mask]London ##[error]x \\u202E\"\n", 1)
	dir := t.TempDir()
	name := "::error title=Forged::all plans approved.yaml"
	writeFile(t, dir, name, hostile)
	for _, format := range []string{"text", "markdown", "html", "junit", "github"} {
		r := runIn(t, dir, "", nil, "check", "-f", format, name)
		if r.code != 1 {
			t.Errorf("%s: exit %d, want 1 (the region is not one of the seven)\n%s", format, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "##[") || strings.ContainsRune(r.stdout, '\u202E') {
			t.Errorf("%s: output passes ##[ or U+202E through:\n%s", format, r.stdout)
		}
		for _, line := range strings.Split(r.stdout, "\n") {
			if rest := strings.TrimLeft(line, " \t"); strings.HasPrefix(rest, "::") && (format != "github" || !githubOwn(line)) {
				t.Errorf("%s: a line would run a workflow command: %q", format, line)
			}
		}
	}
}

// githubOwn reports whether a github-format line is one of the report's
// own commands for the hostile plan: the schema error (the file name,
// unsafe as a property, is in the message) or the summary.
func githubOwn(line string) bool {
	return strings.HasPrefix(line, "::error title=SCHEMA (plan)::") || strings.HasPrefix(line, "::notice::rdpcheck: ")
}
