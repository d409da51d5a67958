// Command rdpcheck checks HEE Regional Delivery Plans against the plan
// schema and the Rego rulebook, and reports findings per business-plan
// objective.
//
//	rdpcheck check [flags] PATH...   check plan files or directories ("-" for stdin)
//	rdpcheck rules                   list every rule
//	rdpcheck version                 print the version
//
// Exit codes: 0 no finding at or above --fail-on; 1 such findings;
// 2 rdpcheck could not do its job (bad flag, unreadable or unparsable
// file, policy that does not compile).
package main

import (
	"os"

	"github.com/hee-rdp/rdpcheck/cmd/rdpcheck/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
