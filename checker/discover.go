package checker

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/workbook"
)

// planExtensions are the file name extensions Discover considers in a
// directory.
var planExtensions = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".xlsx": true}

// sniffBytes is how much of a file IsPlan reads to decide: a plan names its
// schema_version near the top, and no file is read further to find out.
const sniffBytes = 64 << 10

// PlanFormatPrefix starts the schema_version of every plan layout: rdp/v1.
const PlanFormatPrefix = "rdp/"

// yamlSchemaVersion matches a top-level (unindented) schema_version of a
// plan in YAML, its value plain or quoted.
var yamlSchemaVersion = regexp.MustCompile(`^schema_version[ \t]*:[ \t]*["']?` + regexp.QuoteMeta(PlanFormatPrefix))

// IsPlan reports whether the regular file at path is a plan, by its
// content: a top-level schema_version starting with "rdp/". It reads at
// most sniffBytes, so a large file or one that is not text costs little.
// The format follows the extension, as document.Parse does; a workbook
// is a plan when it has the plan layout's Submission sheet.
func IsPlan(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := io.LimitReader(f, sniffBytes)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return jsonIsPlan(head), nil
	case ".yaml", ".yml":
		return yamlIsPlan(head), nil
	case ".xlsx":
		return workbook.IsPlanWorkbook(path), nil
	}
	return false, nil
}

// yamlIsPlan looks for an unindented schema_version: rdp/... line.
func yamlIsPlan(r io.Reader) bool {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, 4096), sniffBytes)
	for s.Scan() {
		if yamlSchemaVersion.Match(bytes.TrimPrefix(s.Bytes(), []byte("\xef\xbb\xbf"))) {
			return true
		}
	}
	return false
}

// jsonIsPlan reads the JSON object's top-level keys, as far as the
// reader goes, looking for "schema_version": "rdp/...".
func jsonIsPlan(r io.Reader) bool {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	dec := json.NewDecoder(br)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		if key == "schema_version" {
			v, err := dec.Token()
			s, ok := v.(string)
			return err == nil && ok && strings.HasPrefix(s, PlanFormatPrefix)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// Skipped counts what a directory walk passed over.
type Skipped struct {
	// NotPlans are .yaml, .yml, .json and .xlsx files that are not plans, such
	// as a waivers file or .rdpcheck.yaml.
	NotPlans int
	// NotRegular are entries that are not regular files (named pipes,
	// devices, sockets), which a walk never opens.
	NotRegular int
}

// walkError is a part of a directory that could not be read.
type walkError struct {
	path string
	err  error
}

// walkPlans lists the plans under dir, in lexical order, skipping hidden
// directories such as .git, files that are not plans (see IsPlan) and
// anything that is not a regular file. A part that cannot be read is
// returned as an error and the walk goes on with the rest.
func walkPlans(dir string, skipped *Skipped) ([]string, []walkError) {
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
		if !planExtensions[strings.ToLower(filepath.Ext(path))] || strings.HasPrefix(d.Name(), "~$") { // ~$ is an open workbook's lock file
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			info, err := os.Stat(path)
			if err != nil {
				errs = append(errs, walkError{path, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))})
				return nil
			}
			mode = info.Mode().Type()
		}
		if !mode.IsRegular() {
			skipped.NotRegular++
			return nil
		}
		plan, err := IsPlan(path)
		switch {
		case err != nil:
			errs = append(errs, walkError{path, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))})
		case plan:
			out = append(out, path)
		default:
			skipped.NotPlans++
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
// walked for plans (see DiscoverPlans): YAML, JSON and Excel workbooks, "-" stands for stdin, and a path
// that does not exist is kept with its error so that it is reported
// rather than silently skipped. Each file appears once.
func Discover(paths []string) []Source {
	out, _ := DiscoverPlans(paths)
	return out
}

// DiscoverPlans is Discover, also counting what the directory walks
// skipped. In a directory it takes the .yaml, .yml, .json and .xlsx files that are
// plans by their content (IsPlan), in lexical order, and passes over
// hidden directories, other files (a waivers file, .rdpcheck.yaml) and
// anything that is not a regular file (a named pipe would block the run).
// A file named on the command line is always checked, whatever it holds.
func DiscoverPlans(paths []string) ([]Source, Skipped) {
	var out []Source
	var skipped Skipped
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
		var here Skipped
		found, errs := walkPlans(p, &here)
		skipped.NotPlans += here.NotPlans
		skipped.NotRegular += here.NotRegular
		for _, err := range errs {
			add(Source{Path: err.path, Err: err.err})
		}
		if len(found) == 0 && len(errs) == 0 {
			msg := fmt.Sprintf("directory %s holds no plans (.yaml, .yml or .json files with a top-level schema_version: %s..., or plan workbooks .xlsx)", p, PlanFormatPrefix)
			if here.NotPlans+here.NotRegular > 0 {
				msg += fmt.Sprintf("; it has %d other files, which were skipped", here.NotPlans+here.NotRegular)
			}
			add(Source{Path: p, Err: errors.New(msg)})
		}
		for _, f := range found {
			add(Source{Path: f})
		}
	}
	return out, skipped
}

// specialReadTimeout bounds the time spent reading a named path that is
// not a regular file, such as a named pipe.
const specialReadTimeout = 10 * time.Second

// readPlan reads a plan named on the command line. A regular file is read
// as document.Read reads it. Anything else (a named pipe, as bash's
// <(...) gives, or a device) is opened without blocking and read within
// the size limit and specialReadTimeout, so that it can never hang the run.
func readPlan(path string, lim document.Limits) (*document.Document, error) {
	info, err := os.Stat(path)
	if err != nil || info.Mode().IsRegular() {
		return document.Read(path, lim)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a directory; name it on its own to check the plans in it", path)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return document.Read(path, lim) // reports the open error as usual
	}
	defer f.Close()
	_ = f.SetReadDeadline(time.Now().Add(specialReadTimeout)) // fails only where reads cannot block
	r := &countingReader{r: f}
	doc, err := document.ReadFrom(path, r, lim)
	if err != nil && r.n == 0 && !errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, fmt.Errorf("%s is not a regular file (%s) and nothing was written to it; save the plan to a file, or pipe it to rdpcheck with - for standard input",
			path, describeMode(info.Mode()))
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, fmt.Errorf("%s is not a regular file (%s) and it gave no complete plan within %s; save the plan to a file, or pipe it to rdpcheck with - for standard input",
			path, describeMode(info.Mode()), specialReadTimeout)
	}
	return doc, err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// describeMode names a kind of file that is not a regular file.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
