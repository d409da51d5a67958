package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/checker/report"
)

// configNames are the names of the config file rdpcheck looks for in the
// working directory and then in each parent directory.
var configNames = []string{".rdpcheck.yaml", ".rdpcheck.yml"}

// settings are what a run is told to do. They are resolved in layers:
// built-in defaults, then the config file, then RDPCHECK_* environment
// variables, then command-line flags; each layer overrides the ones
// before it, setting by setting.
type settings struct {
	Policies    []string // extra policy directories
	Data        []string // data files merged over the reference data
	FailOn      string   // error, warning, info or never
	Formats     []string // FORMAT or FORMAT=FILE
	Output      string   // where formats without =FILE go ("" = stdout)
	MaxFileSize string   // e.g. 8MiB
	Rules       []string // rule id patterns to keep
	DocsURL     string   // where docs/rules.md is published
	Waivers     string   // waivers file
	Baseline    string   // earlier JSON report to compare with
	OnlyNew     bool     // fail only on findings new since the baseline
	Today       string   // date waivers expire against (YYYY-MM-DD)
	NoColor     bool
	Config      string // the config file read, "" for none
	Timeout     string // per-file time limit, e.g. 1m
	MaxMemory   string // memory ceiling of a worker evaluating user policies, e.g. 1GiB
}

func defaults() settings {
	return settings{FailOn: "error", Formats: []string{"text"}, MaxFileSize: "8MiB"}
}

// setting describes one setting: its flag, environment variable and
// config file key, and how to apply a value from each.
type setting struct {
	flag, env, key string
	short          string // one-letter flag, if any
	usage          string
	list           bool
	boolean        bool // a switch: --flag, true/false in the file and environment
	apply          func(s *settings, values []string)
}

// settingsTable lists every setting once; the flags, the environment and
// the config file are all read from it.
var settingsTable = []setting{
	{flag: "format", short: "f", env: "RDPCHECK_FORMAT", key: "format", list: true,
		usage: "output format, optionally with a file: FORMAT or FORMAT=FILE (repeatable; formats: %s)",
		apply: func(s *settings, v []string) { s.Formats = v }},
	{flag: "output", short: "o", env: "RDPCHECK_OUTPUT", key: "output",
		usage: "write the report to FILE instead of standard output (for formats given without =FILE)",
		apply: func(s *settings, v []string) { s.Output = v[0] }},
	{flag: "fail-on", env: "RDPCHECK_FAIL_ON", key: "fail_on",
		usage: "lowest severity that fails the check: error, warning, info or never",
		apply: func(s *settings, v []string) { s.FailOn = v[0] }},
	{flag: "policy", env: "RDPCHECK_POLICY", key: "policy", list: true,
		usage: "extra directory of Rego policies, compiled with the built-in ones (repeatable)",
		apply: func(s *settings, v []string) { s.Policies = v }},
	{flag: "data", env: "RDPCHECK_DATA", key: "data", list: true,
		usage: "JSON or YAML file merged over the reference data, e.g. to change a tolerance (repeatable)",
		apply: func(s *settings, v []string) { s.Data = v }},
	{flag: "rule", env: "RDPCHECK_RULE", key: "rule", list: true,
		usage: "only report rules whose id matches this pattern, e.g. RDP-BUD-* (repeatable)",
		apply: func(s *settings, v []string) { s.Rules = v }},
	{flag: "max-file-size", env: "RDPCHECK_MAX_FILE_SIZE", key: "max_file_size",
		usage: "largest plan file accepted (bytes, or with KiB/MiB/GiB)",
		apply: func(s *settings, v []string) { s.MaxFileSize = v[0] }},
	{flag: "docs-url", env: "RDPCHECK_DOCS_URL", key: "docs_url",
		usage: "where docs/rules.md is published, for links in sarif, markdown and html reports",
		apply: func(s *settings, v []string) { s.DocsURL = v[0] }},
	{flag: "waivers", env: "RDPCHECK_WAIVERS", key: "waivers",
		usage: "waivers file: findings accepted with a justification, an approver and an expiry date",
		apply: func(s *settings, v []string) { s.Waivers = v[0] }},
	{flag: "baseline", env: "RDPCHECK_BASELINE", key: "baseline",
		usage: "an earlier JSON report: mark findings new or unchanged and list the resolved ones",
		apply: func(s *settings, v []string) { s.Baseline = v[0] }},
	{flag: "only-new", env: "RDPCHECK_ONLY_NEW", key: "only_new", boolean: true,
		usage: "with --baseline, fail only on findings that are new",
		apply: func(s *settings, v []string) { s.OnlyNew, _ = strconv.ParseBool(v[0]) }},
	{flag: "today", env: "RDPCHECK_TODAY", key: "today",
		usage: "the date waivers expire against, YYYY-MM-DD (default: today, UTC)",
		apply: func(s *settings, v []string) { s.Today = v[0] }},
}

// pathSettings are the config keys whose values are paths; in a config
// file they are relative to the file's directory.
var pathSettings = map[string]bool{"policy": true, "data": true, "output": true, "waivers": true, "baseline": true}

// command is a parsed subcommand: its flags and the settings they resolve to.
type command struct {
	fs      *pflag.FlagSet
	flags   map[string]any // flag name -> *string or *[]string
	config  *string
	noColor *bool
	getenv  func(string) string
}

// newCommand registers the flags of the settings a subcommand uses.
func newCommand(fs *pflag.FlagSet, names ...string) *command {
	c := &command{fs: fs, flags: map[string]any{}, getenv: os.Getenv}
	for _, st := range settingsTable {
		if !contains(names, st.flag) {
			continue
		}
		usage := st.usage
		if st.flag == "format" {
			usage = fmt.Sprintf(usage, strings.Join(report.Formats(), ", "))
		}
		switch {
		case st.boolean:
			c.flags[st.flag] = fs.Bool(st.flag, false, usage)
		case st.list:
			c.flags[st.flag] = fs.StringArrayP(st.flag, st.short, nil, usage)
		default:
			c.flags[st.flag] = fs.StringP(st.flag, st.short, "", usage)
		}
	}
	c.config = fs.String("config", "", "config file (default: .rdpcheck.yaml in this directory or the nearest parent; RDPCHECK_CONFIG)")
	c.noColor = fs.Bool("no-color", false, "never colour the text output (NO_COLOR is honoured too)")
	return c
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// resolve works out the settings: defaults, then the config file, then
// the environment, then the flags given on the command line.
func (c *command) resolve() (settings, error) {
	s := defaults()
	path := *c.config
	if path == "" {
		path = c.getenv("RDPCHECK_CONFIG")
	}
	if path == "" {
		found, err := findConfig(c.fs.Output())
		if err != nil {
			return s, err
		}
		path = found
	}
	if path != "" {
		if err := applyConfig(&s, path, c.flags); err != nil {
			return s, err
		}
		s.Config = path
	}
	for _, st := range settingsTable {
		if _, used := c.flags[st.flag]; !used {
			continue
		}
		if v := strings.TrimSpace(c.getenv(st.env)); v != "" {
			values := envValues(v, st)
			if st.boolean {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return s, fmt.Errorf("%s=%q: use true or false", st.env, v)
				}
				values = []string{strconv.FormatBool(b)}
			}
			st.apply(&s, values)
		}
	}
	for _, st := range settingsTable {
		if !c.fs.Changed(st.flag) {
			continue
		}
		switch p := c.flags[st.flag].(type) {
		case *bool:
			st.apply(&s, []string{strconv.FormatBool(*p)})
		case *string:
			st.apply(&s, []string{*p})
		case *[]string:
			st.apply(&s, *p)
		}
	}
	s.NoColor = *c.noColor
	return s, nil
}

// envValues splits a list-valued environment variable: paths by the OS
// path-list separator (":" on Unix), everything else by commas.
func envValues(v string, st setting) []string {
	if !st.list {
		return []string{v}
	}
	sep := ","
	if pathSettings[st.key] {
		sep = string(os.PathListSeparator)
	}
	var out []string
	for _, x := range strings.Split(v, sep) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// findConfig looks for a config file in the working directory and then
// in each parent, stopping at the repository root (the nearest directory
// holding .git) or the user's home directory, whichever comes first; ""
// when there is none. A config file someone else could have planted is
// ignored with a warning on warn (see unsafeConfig), and the search stops
// there: the nearest config file is the one that was meant.
func findConfig(warn io.Writer) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	home, _ := os.UserHomeDir()
	for dir := wd; ; {
		for _, name := range configNames {
			p := filepath.Join(dir, name)
			info, err := os.Stat(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return "", fmt.Errorf("config file %s: %w", p, err)
			}
			shown := p
			if rel, err := filepath.Rel(wd, p); err == nil {
				shown = rel
			}
			if why := unsafeConfig(dir, info); why != "" {
				fmt.Fprintf(warn, "rdpcheck: warning: ignoring the config file %s: %s; fix its ownership or permissions, or name it with --config\n", shown, why)
				return "", nil
			}
			return shown, nil
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil || (home != "" && dir == home) {
			return "", nil // the repository root or the home directory
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// unsafeConfig says why a discovered config file could have been put or
// changed there by someone other than the user, or "" when it could not:
// the file is owned by another user (root excepted), or it or its
// directory is writable by everyone. A world-writable directory with the
// sticky bit (such as /tmp) is accepted when the file is the user's own,
// since then nobody else can replace it.
func unsafeConfig(dir string, info fs.FileInfo) string {
	if uid, ok := fileOwner(info); ok && uid != os.Getuid() && uid != 0 {
		return fmt.Sprintf("it belongs to another user (uid %d)", uid)
	}
	if info.Mode().Perm()&0o002 != 0 {
		return "anyone can write to it"
	}
	d, err := os.Stat(dir)
	if err != nil {
		return "its directory cannot be read"
	}
	if d.Mode().Perm()&0o002 != 0 && d.Mode()&fs.ModeSticky == 0 {
		return fmt.Sprintf("anyone can write to its directory %s", dir)
	}
	return ""
}

// applyConfig reads a config file (YAML or JSON, loaded as safely as a
// plan) and applies the settings it holds that the command uses. An
// unknown key or a value of the wrong type is an error naming its line.
func applyConfig(s *settings, path string, used map[string]any) error {
	doc, err := document.Read(path, document.Limits{MaxBytes: 1 << 20})
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	m := doc.Value.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	byKey := map[string]setting{}
	var known []string
	for _, st := range settingsTable {
		byKey[st.key] = st
		known = append(known, st.key)
	}
	base := filepath.Dir(path)
	for _, k := range keys {
		line, col := doc.Position("/" + document.EscapePointerToken(k))
		where := fmt.Sprintf("%s:%d:%d", path, line, col)
		st, ok := byKey[k]
		if !ok {
			return fmt.Errorf("%s: unknown key %q in the config file; the keys are %s", where, k, strings.Join(known, ", "))
		}
		values, err := configValues(m[k], st.list)
		if err != nil {
			return fmt.Errorf("%s: %s %w", where, k, err)
		}
		if st.boolean {
			if _, err := strconv.ParseBool(values[0]); err != nil {
				return fmt.Errorf("%s: %s must be true or false", where, k)
			}
		}
		if pathSettings[k] {
			for i, v := range values {
				values[i] = fromConfig(base, v)
			}
		}
		if k == "format" {
			for i, v := range values {
				if name, file, ok := strings.Cut(v, "="); ok {
					values[i] = name + "=" + fromConfig(base, file)
				}
			}
		}
		if _, usedHere := used[st.flag]; usedHere {
			st.apply(s, values)
		}
	}
	return nil
}

// fromConfig resolves a path written in a config file in directory base:
// relative to the config file, then shown relative to the working
// directory when it lies under it, so that reports name files as the user
// would (and SARIF can place them in the repository).
func fromConfig(base, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	p = filepath.Join(base, p)
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}

// configValues reads a config value: a string, or for list settings a
// string or a list of strings.
func configValues(v any, list bool) ([]string, error) {
	switch x := v.(type) {
	case bool:
		return []string{strconv.FormatBool(x)}, nil
	case string:
		return []string{x}, nil
	case json.Number:
		if !list {
			return []string{x.String()}, nil
		}
	case []any:
		if !list {
			return nil, errors.New("takes one value, not a list")
		}
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, errors.New("must be a list of strings")
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, errors.New("must be a string" + map[bool]string{true: " or a list of strings", false: ""}[list])
}

// checkerOptions turns settings into the checker's options.
func (s settings) checkerOptions() (checker.Options, error) {
	limit, err := parseSize(s.MaxFileSize)
	if err != nil {
		return checker.Options{}, fmt.Errorf("max file size: %w", err)
	}
	opt := checker.Options{
		PolicyDirs:  s.Policies,
		DataFiles:   s.Data,
		Rules:       s.Rules,
		Limits:      document.Limits{MaxBytes: limit},
		Waivers:     s.Waivers,
		Baseline:    s.Baseline,
		Today:       s.Today,
		ToolVersion: version(),
		ConfigFile:  s.Config,
	}
	return opt, s.limitOptions(&opt)
}

// inputs lists every file a run with these settings reads: the plans
// (directories walked as the checker walks them), the data files, the
// files of the policy directories, the waivers, the baseline and the
// config file.
func (s settings) inputs(paths []string) []string {
	var out []string
	for _, src := range checker.Discover(paths) {
		if src.Path != "-" {
			out = append(out, src.Path)
		}
	}
	out = append(out, s.Data...)
	for _, dir := range s.Policies {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, p)
			}
			return nil // an unreadable part is reported when the policies load
		})
	}
	for _, f := range []string{s.Waivers, s.Baseline, s.Config} {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}
