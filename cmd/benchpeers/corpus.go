package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"
)

// corpus writes n plans to dir, made from the fixtures: mostly the seven
// valid regional plans, with the given share of the rule-breaking ones
// from fixtures/plans/invalid, each with its METIP planned starts varied
// (and the table totals following them) by a generator seeded with seed.
func corpus(fixtures, dir string, n int, invalidShare float64, seed uint64) error {
	valid, err := planFiles(filepath.Join(fixtures, "plans", "valid"))
	if err != nil {
		return err
	}
	invalid, err := planFiles(filepath.Join(fixtures, "plans", "invalid"))
	if err != nil {
		return err
	}
	if len(valid) == 0 || len(invalid) == 0 {
		return fmt.Errorf("no plan fixtures under %s", fixtures)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "plan-*.yaml"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for i := range n {
		src := valid[rng.IntN(len(valid))]
		if rng.Float64() < invalidShare {
			src = invalid[rng.IntN(len(invalid))]
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		out, err := vary(data, rng)
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		name := fmt.Sprintf("plan-%04d-%s.yaml", i, stem(src))
		if err := os.WriteFile(filepath.Join(dir, name), out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// planFiles lists the .yaml and .json files of a directory, sorted.
func planFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".json") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

func stem(path string) string {
	base := filepath.Base(path)
	return base[:len(base)-len(filepath.Ext(base))]
}

// vary moves each METIP programme's planned starts of 20 or more by up to
// two either way, within the published tolerance, and keeps the table's
// declared total equal to its lines, so a valid plan stays valid. A file
// that is not YAML is kept as it is.
func vary(data []byte, rng *rand.Rand) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || len(root.Content) == 0 {
		return data, nil
	}
	if tables := value(root.Content[0], "metip"); tables != nil && tables.Kind == yaml.SequenceNode {
		for _, t := range tables.Content {
			programmes := value(t, "programmes")
			if programmes == nil {
				continue
			}
			change := 0
			for _, p := range programmes.Content {
				starts := value(p, "planned_starts")
				n, ok := integer(starts)
				if !ok || n < 20 {
					continue
				}
				d := rng.IntN(5) - 2
				starts.Value = strconv.Itoa(n + d)
				change += d
			}
			if total := value(t, "declared_total"); total != nil {
				if n, ok := integer(total); ok {
					total.Value = strconv.Itoa(n + change)
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// value is the value node of key in a mapping node, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func integer(n *yaml.Node) (int, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	i, err := strconv.Atoi(n.Value)
	return i, err == nil
}
