package checker

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// planExtensions are the file name extensions Discover picks up in a
// directory.
var planExtensions = map[string]bool{".yaml": true, ".yml": true, ".json": true}

// walkPlans lists the plan files under dir, in lexical order, skipping
// hidden directories such as .git.
func walkPlans(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", path, err)
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if planExtensions[strings.ToLower(filepath.Ext(path))] {
			out = append(out, path)
		}
		return nil
	})
	return out, err
}

// Source is one file to check, or the reason it cannot be.
type Source struct {
	Path string
	Err  error
}

// Discover expands the paths given on the command line: a directory is
// walked for .yaml, .yml and .json files (in lexical order), "-" stands
// for stdin, and a path that does not exist is kept with its error so that
// it is reported rather than silently skipped. Each file appears once.
func Discover(paths []string) []Source {
	var out []Source
	seen := map[string]bool{}
	add := func(s Source) {
		if !seen[s.Path] {
			seen[s.Path] = true
			out = append(out, s)
		}
	}
	for _, p := range paths {
		if p == "-" {
			add(Source{Path: p})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			add(Source{Path: p, Err: fmt.Errorf("cannot read %s: %w", p, unwrapPathError(err))})
			continue
		}
		if !info.IsDir() {
			add(Source{Path: p})
			continue
		}
		found, err := walkPlans(p)
		if err != nil {
			add(Source{Path: p, Err: err})
		}
		if len(found) == 0 && err == nil {
			add(Source{Path: p, Err: fmt.Errorf("directory %s holds no .yaml, .yml or .json files", p)})
		}
		for _, f := range found {
			add(Source{Path: f})
		}
	}
	return out
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
