package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hee-rdp/rdpcheck/starter"
)

// runInit runs `rdpcheck init --region R [-o FILE]`: a starter plan for a
// region, as YAML (standard output when -o is left out) or, for a .xlsx
// file, as a workbook.
func runInit(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("init", stderr)
	region := fs.String("region", "", "the region the plan is for, e.g. \"South West\"")
	out := fs.StringP("output", "o", "", "the file to write: .yaml/.yml, .json or .xlsx (YAML on standard output when left out)")
	force := fs.Bool("force", false, "overwrite the output file if it exists")
	fs.Usage = func() {
		regions, _ := starter.Regions()
		fmt.Fprintf(stderr, "Usage: rdpcheck init --region REGION [-o FILE]\n\nWrites a starter plan for a region, filled in from the business plan: its\nobjectives, KPIs, BAF opportunities, METIP programmes with the published\nfigures, and the budget headings. Fill in the rest, then run rdpcheck check.\nRegions: %s.\n\nFlags:\n%s", strings.Join(regions, ", "), fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fail(stderr, fmt.Errorf("unexpected argument %q; name the output file with -o", fs.Arg(0)))
	}
	if *region == "" {
		fs.Usage()
		return fail(stderr, errors.New("name the region with --region"))
	}
	if *out != "" && *out != "-" && !*force {
		if _, err := os.Stat(*out); err == nil {
			return fail(stderr, fmt.Errorf("%s already exists; rdpcheck init does not overwrite a plan (use --force, or another name)", *out))
		}
	}
	plan, opt, err := starter.Plan(*region)
	if err != nil {
		return fail(stderr, err)
	}
	return writePlan(plan, *out, opt, stdout, stderr)
}
