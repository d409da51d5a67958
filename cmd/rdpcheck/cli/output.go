package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/report"
)

// output is one report to write: a format and where it goes.
type output struct {
	format string
	file   string // "" for standard output
}

// parseOutputs reads FORMAT and FORMAT=FILE specifications. A format
// without a file goes to --output, or to standard output. Two reports may
// not share a destination.
func parseOutputs(specs []string, defaultFile string) ([]output, error) {
	if len(specs) == 0 {
		specs = []string{report.FormatText}
	}
	var outs []output
	seen := map[string]string{}
	for _, spec := range specs {
		name, file, hasFile := strings.Cut(spec, "=")
		name = strings.TrimSpace(name)
		if !contains(report.Formats(), name) {
			return nil, fmt.Errorf("format %q: unknown; the formats are %s", name, strings.Join(report.Formats(), ", "))
		}
		if hasFile && strings.TrimSpace(file) == "" {
			return nil, fmt.Errorf("format %q: no file after '='; write FORMAT=FILE", spec)
		}
		if !hasFile {
			file = defaultFile
		}
		key := "standard output"
		if file != "" {
			key = filepath.Clean(file)
		}
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("formats %s and %s would both write to %s; give one of them a file with FORMAT=FILE", prev, name, key)
		}
		seen[key] = name
		outs = append(outs, output{format: name, file: file})
	}
	return outs, nil
}

// writeOutputs writes the view in every requested format. A regular
// file is written whole or not at all: the report goes to a temporary
// file beside it, renamed into place when complete. A special file (a
// device such as /dev/null, a FIFO) is written in place, and a symbolic
// link is written through, to the file it points to.
func writeOutputs(outs []output, v *report.View, opt report.Options, noColor bool, stdout io.Writer) error {
	var errs []error
	for _, o := range outs {
		opt := opt
		opt.Color = o.file == "" && useColor(noColor, stdout)
		rep, err := report.New(o.format, opt)
		if err != nil {
			return err
		}
		if o.file == "" {
			if err := rep.Write(stdout, v); err != nil {
				errs = append(errs, fmt.Errorf("writing the %s report: %w", o.format, err))
			}
			continue
		}
		if err := writeFile(o.file, func(w io.Writer) error { return rep.Write(w, v) }); err != nil {
			errs = append(errs, fmt.Errorf("writing the %s report to %s: %w", o.format, o.file, err))
		}
	}
	return errors.Join(errs...)
}

// writeFile writes a report to path: in place when path is (or leads
// to) anything but a regular file, or is under /dev or /proc, else atomically through a temporary
// file renamed over the regular file the path resolves to, so that a
// symbolic link stays a link to the new report.
func writeFile(path string, write func(io.Writer) error) error {
	if p := filepath.ToSlash(filepath.Clean(path)); strings.HasPrefix(p, "/dev/") || strings.HasPrefix(p, "/proc/") {
		// /dev/stdout, /dev/fd/3, /proc/self/fd/1: a descriptor the
		// caller opened, even when it leads to a regular file; appended
		// to, after what the run has already written there.
		return writeInPlace(path, os.O_APPEND, write)
	}
	info, err := os.Stat(path) // follows symbolic links
	switch {
	case err == nil && !info.Mode().IsRegular():
		return writeInPlace(path, 0, write)
	case errors.Is(err, fs.ErrNotExist):
		if l, lerr := os.Lstat(path); lerr == nil && l.Mode()&fs.ModeSymlink != 0 {
			return writeInPlace(path, os.O_CREATE|os.O_TRUNC, write) // a link to a file yet to be made
		}
	case err != nil:
		return err
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		target = path
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// writeInPlace opens path for writing (with extra flags) and writes to it.
func writeInPlace(path string, flags int, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|flags, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkNotInputs refuses outputs that would overwrite a file the run
// reads (a plan, the waivers, the baseline, the config, a data or policy
// file), compared as files (os.SameFile, after following links), not by
// name.
func checkNotInputs(outs []output, inputs []string) error {
	for _, o := range outs {
		if o.file == "" {
			continue
		}
		out, err := os.Stat(o.file)
		if err != nil || !out.Mode().IsRegular() {
			continue // a new file, or a device or FIFO, is no input
		}
		for _, in := range inputs {
			if info, err := os.Stat(in); err == nil && os.SameFile(out, info) {
				return fmt.Errorf("format %s would write its report to %s, which is %s that this run reads; write the report to another file", o.format, o.file, describeInput(in, o.file))
			}
		}
	}
	return nil
}

// describeInput names an input for a message: "fixtures/a.yaml" or
// "the same file as fixtures/a.yaml" when it is known by another name.
func describeInput(in, out string) string {
	if filepath.Clean(in) == filepath.Clean(out) {
		return "a file"
	}
	return "the same file as " + in + ", a file"
}

// reportOptions are the presentation options every format shares.
func reportOptions(s settings) report.Options {
	failOn, _ := checker.ParseSeverity(s.FailOn) // "never" is no severity: nothing fails
	return report.Options{FailOn: failOn, OnlyNew: s.OnlyNew, DocsURL: s.DocsURL, ToolVersion: version()}
}
