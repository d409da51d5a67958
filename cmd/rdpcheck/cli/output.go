package cli

import (
	"errors"
	"fmt"
	"io"
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

// writeOutputs writes the view in every requested format. A file is
// written whole or not at all: the report goes to a temporary file beside
// it, renamed into place when complete.
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

func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
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
	return os.Rename(tmp.Name(), path)
}

// reportOptions are the presentation options every format shares.
func reportOptions(s settings) report.Options {
	failOn, _ := checker.ParseSeverity(s.FailOn) // "never" is no severity: nothing fails
	return report.Options{FailOn: failOn, OnlyNew: s.OnlyNew, DocsURL: s.DocsURL, ToolVersion: version()}
}
