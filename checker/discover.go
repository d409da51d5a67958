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
var planExtensions = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".xlsx": true}

// walkError is a part of a directory that could not be read.
type walkError struct {
	path string
	err  error
}

// walkPlans lists the plan files under dir, in lexical order, skipping
// hidden directories such as .git. A part that cannot be read is
// returned as an error and the walk goes on with the rest.
func walkPlans(dir string) ([]string, []walkError) {
	var out []string
	var errs []walkError
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, walkError{path, fmt.Errorf("cannot read %s: %w", path, err)})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if planExtensions[strings.ToLower(filepath.Ext(path))] && !strings.HasPrefix(d.Name(), "~$") { // ~$ is an open workbook's lock file
			out = append(out, path)
		}
		return nil
	})
	return out, errs
}

// Source is one file to check, or the reason it cannot be.
type Source struct {
	Path string
	Err  error
}

// Discover expands the paths given on the command line: a directory is
// walked for .yaml, .yml, .json and .xlsx files (in lexical order), "-" stands
// for stdin, and a path that does not exist is kept with its error so that
// it is reported rather than silently skipped. Each file appears once.
func Discover(paths []string) []Source {
	var out []Source
	seen := map[string]bool{}
	add := func(s Source) {
		key := s.Path
		if key != "-" {
			key = filepath.Clean(key)
		}
		if !seen[key] {
			seen[key] = true
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
		found, errs := walkPlans(p)
		for _, err := range errs {
			add(Source{Path: err.path, Err: err.err})
		}
		if len(found) == 0 && len(errs) == 0 {
			add(Source{Path: p, Err: fmt.Errorf("directory %s holds no .yaml, .yml, .json or .xlsx files", p)})
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
