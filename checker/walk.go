package checker

import (
	"fmt"
	"io/fs"
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
