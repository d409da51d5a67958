// Package schemas embeds the JSON Schemas (draft 2020-12) of the plan
// document rdpcheck checks, of the JSON report it writes, and of the
// reference data its rules rely on.
package schemas

import "embed"

// FS holds plan.schema.json, report.schema.json and reference.schema.json.
//
//go:embed *.schema.json
var FS embed.FS

// Names of the schemas in FS.
const (
	Plan      = "plan.schema.json"
	Report    = "report.schema.json"
	Reference = "reference.schema.json"
	Waivers   = "waivers.schema.json"
)
