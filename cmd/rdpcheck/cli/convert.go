package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/planfile"
)

// runConvert runs `rdpcheck convert IN -o OUT`: a plan rewritten in
// another format (YAML, JSON or an Excel workbook), chosen by the
// output's file name.
func runConvert(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("convert", stderr)
	out := fs.StringP("output", "o", "", "the file to write: .yaml/.yml, .json or .xlsx (YAML on standard output when left out)")
	maxSize := fs.String("max-file-size", "8MiB", "the largest plan file rdpcheck will read")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: rdpcheck convert IN -o OUT\n\nRewrites a plan in another format: YAML, JSON or an Excel workbook (.xlsx),\nchosen by the name of OUT. The plan is not checked; run rdpcheck check on it.\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fail(stderr, errors.New("name one plan file to convert"))
	}
	size, err := parseSize(*maxSize)
	if err != nil {
		return fail(stderr, fmt.Errorf("--max-file-size: %w", err))
	}
	in := fs.Arg(0)
	plan, err := planfile.Read(in, document.Limits{MaxBytes: size})
	if err != nil {
		return fail(stderr, err)
	}
	return writePlan(plan, *out, planfile.Options{}, stdout, stderr)
}

// writePlan writes a plan to a file (its format chosen by the name) or,
// when name is "" or "-", as YAML to stdout. The file is written whole
// or not at all.
func writePlan(plan map[string]any, name string, opt planfile.Options, stdout, stderr io.Writer) int {
	var b bytes.Buffer
	format := planfile.FormatOf(name)
	if name == "-" {
		format = planfile.YAML
	}
	if err := planfile.Write(&b, plan, format, opt); err != nil {
		return fail(stderr, fmt.Errorf("%s: %w", displayName(name), err))
	}
	if name == "" || name == "-" {
		if _, err := stdout.Write(b.Bytes()); err != nil {
			return fail(stderr, err)
		}
		return ExitOK
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return fail(stderr, fmt.Errorf("cannot write %s: %w", name, err))
	}
	_, werr := tmp.Write(b.Bytes())
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), name)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fail(stderr, fmt.Errorf("cannot write %s: %w", name, werr))
	}
	return ExitOK
}

func displayName(name string) string {
	if name == "" || name == "-" {
		return "standard output"
	}
	return name
}
