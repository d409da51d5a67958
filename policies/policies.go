// Package policies embeds rdpcheck's Rego policies and their reference data.
//
// Each rule family is one Rego package under data.rdp (objectives, kpis,
// metip, budget, quality, risks), with its unit tests beside it in
// *_test.rego. Reference data taken from the HEE Business Plan 2022/23 lives
// in reference/data.json and is mounted at data.reference, exactly as
// `opa eval -d policies/` or `conftest --data policies/` would mount it.
package policies

import "embed"

// FS holds the policy sources (*.rego, including tests) and data files.
//
//go:embed */*.rego */*.json */*/*.json
var FS embed.FS
