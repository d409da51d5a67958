package checker

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Provenance says how a report was made: when, by which rdpcheck, with
// which rulebook, and what the run changed or filtered. A reviewer reading
// a report can tell a stock run (Stock) from a modified one, and what was
// modified.
type Provenance struct {
	// Date is the day the report was made: the --today date when given
	// (so that reports are reproducible), else the current date in UTC.
	Date string `json:"date"`
	// Tool is the rdpcheck version.
	Tool string `json:"tool"`
	// Rulebook is the SHA-256 of the rulebook compiled: every module and
	// the data, after any overrides.
	Rulebook string `json:"rulebook"`
	// Stock is true when the built-in rulebook ran unmodified: no extra
	// policy directory, no changed reference value and no --rule filter.
	Stock bool `json:"stock"`
	// Policies are the extra policy directories, each with a content hash.
	Policies []Input `json:"policies,omitempty"`
	// Data are the --data files, each with a content hash.
	Data []Input `json:"data,omitempty"`
	// Overrides lists each built-in data value the run changed, by path.
	Overrides []Override `json:"overrides,omitempty"`
	// MoreOverrides counts the changes left out of Overrides (it lists at
	// most MaxOverrides).
	MoreOverrides int `json:"more_overrides,omitempty"`
	// Rules are the --rule filters: only rules matching them were reported.
	Rules []string `json:"rules,omitempty"`
	// Waivers, Baseline and Config are the waivers file, the baseline
	// report and the config file the run read, when it read one.
	Waivers  *Input `json:"waivers,omitempty"`
	Baseline *Input `json:"baseline,omitempty"`
	Config   *Input `json:"config,omitempty"`
}

// Input is a file or directory a run read, with the SHA-256 of its content.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Override is one built-in data value that a --data file or the data of
// a policy directory changed.
type Override struct {
	// Path names the value, its keys joined by dots:
	// reference.params.budget_total_tolerance_gbp_million.
	Path string `json:"path"`
	// From and To are the built-in and the new value, as compact JSON
	// (From is "" when the built-in data had no value there).
	From string `json:"from"`
	To   string `json:"to"`
	// Source is the file or policy directory that set the new value.
	Source string `json:"source"`
}

// MaxOverrides bounds the overrides a report lists one by one.
const MaxOverrides = 50

// builtinSource names the embedded data layer.
const builtinSource = "built-in"

// dataLayer is one source of data, in the order the layers are merged.
type dataLayer struct {
	source string
	data   map[string]any
}

// provenance describes the run the options ask for; it fails when a file
// it names cannot be read for its hash.
func (c *Checker) provenance() (*Provenance, error) {
	p := &Provenance{
		Date: c.today(), Tool: c.opt.ToolVersion, Rulebook: c.engine.rulebook,
		Overrides: c.engine.overrides, Rules: c.opt.Rules,
	}
	if p.Tool == "" {
		p.Tool = "dev"
	}
	if n := len(p.Overrides); n > MaxOverrides {
		p.Overrides, p.MoreOverrides = p.Overrides[:MaxOverrides], n-MaxOverrides
	}
	for _, dir := range c.opt.PolicyDirs {
		h, err := hashDir(dir)
		if err != nil {
			return nil, err
		}
		p.Policies = append(p.Policies, Input{Path: dir, SHA256: h})
	}
	for _, f := range c.opt.DataFiles {
		s, err := hashSource(f)
		if err != nil {
			return nil, err
		}
		p.Data = append(p.Data, *s)
	}
	var err error
	if p.Waivers, err = hashSource(c.opt.Waivers); err != nil {
		return nil, err
	}
	if p.Baseline, err = hashSource(c.opt.Baseline); err != nil {
		return nil, err
	}
	if p.Config, err = hashSource(c.opt.ConfigFile); err != nil {
		return nil, err
	}
	p.Stock = len(p.Policies) == 0 && len(p.Overrides) == 0 && len(p.Rules) == 0
	return p, nil
}

// hashSource hashes a file; nil for no file ("").
func hashSource(path string) (*Input, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("provenance: %s: %w", path, err)
	}
	return &Input{Path: path, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// hashDir hashes a policy directory: the names and contents of its
// regular files in lexical order, so the same content gives the same hash
// wherever the directory is.
func hashDir(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(src))
		h.Write(src)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("provenance: policy directory %s: %w", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// rulebookHash is the SHA-256 of what was compiled: each module's source
// (by content, in a stable order, whatever its file name) and the merged
// data as canonical JSON (sorted keys).
func rulebookHash(raw map[string][]byte, data map[string]any) string {
	sums := make([]string, 0, len(raw))
	for _, src := range raw {
		s := sha256.Sum256(src)
		sums = append(sums, hex.EncodeToString(s[:]))
	}
	sort.Strings(sums)
	h := sha256.New()
	for _, s := range sums {
		fmt.Fprintln(h, s)
	}
	js, err := json.Marshal(data)
	if err != nil {
		js = []byte(err.Error()) // data came from JSON or YAML; cannot happen
	}
	h.Write(js)
	return hex.EncodeToString(h.Sum(nil))
}

// dataOverrides lists every value under a built-in data root (such as
// reference) whose merged value differs from the built-in one, sorted by
// path, each attributed to the last layer that set it. Lists are
// compared and shown whole.
func dataOverrides(layers []dataLayer) []Override {
	if len(layers) < 2 {
		return nil
	}
	merged := map[string]any{}
	for _, l := range layers {
		merged = mergeData(merged, l.data)
	}
	var out []Override
	var walk func(path []string, before, after any)
	walk = func(path []string, before, after any) {
		bm, bok := before.(map[string]any)
		am, aok := after.(map[string]any)
		if bok && aok {
			for _, k := range sortedKeys(am) {
				walk(append(path[:len(path):len(path)], k), bm[k], am[k])
			}
			return
		}
		if aok && before == nil { // a new mapping: list its leaves
			for _, k := range sortedKeys(am) {
				walk(append(path[:len(path):len(path)], k), nil, am[k])
			}
			return
		}
		if sameValue(before, after) {
			return
		}
		o := Override{Path: strings.Join(path, "."), To: compactJSON(after), Source: lastWriter(layers, path)}
		if before != nil {
			o.From = compactJSON(before)
		}
		out = append(out, o)
	}
	builtin := layers[0].data
	for _, root := range sortedKeys(builtin) {
		walk([]string{root}, builtin[root], merged[root])
	}
	return out
}

// lastWriter names the last layer that set the value at path, or a
// value above it that replaced the mapping holding it.
func lastWriter(layers []dataLayer, path []string) string {
	for i := len(layers) - 1; i > 0; i-- {
		if touches(layers[i].data, path) {
			return layers[i].source
		}
	}
	return layers[len(layers)-1].source
}

// touches reports whether data sets the value at path or a value above it.
func touches(data map[string]any, path []string) bool {
	m := data
	for _, k := range path {
		v, ok := m[k]
		if !ok {
			return false
		}
		if m, ok = v.(map[string]any); !ok {
			return true
		}
	}
	return true
}

// sameValue compares data values, numbers by their exact value (0.05
// equals 0.050), lists element by element.
func sameValue(a, b any) bool {
	if x, ok := exactNumber(a); ok {
		y, ok := exactNumber(b)
		return ok && x.Cmp(y) == 0
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

// exactNumber reads a JSON number (json.Number, float64 or int) exactly.
func exactNumber(v any) (*big.Rat, bool) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = n.String()
	case float64, int, int64:
		s = fmt.Sprint(n)
	default:
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// maxValueLen bounds how much of an overridden value a report shows.
const maxValueLen = 80

// compactJSON shows a data value as compact JSON, shortened past
// maxValueLen characters.
func compactJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSuffix(b.String(), "\n")
	if r := []rune(s); len(r) > maxValueLen {
		s = string(r[:maxValueLen-1]) + "…"
	}
	return s
}
