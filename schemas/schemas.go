// Package schemas embeds the JSON Schemas (draft 2020-12) of the plan
// document rdpcheck checks and of the JSON report it writes.
package schemas

import "embed"

// FS holds plan.schema.json and report.schema.json.
//
//go:embed *.schema.json
var FS embed.FS

// Names of the schemas in FS.
const (
	Plan   = "plan.schema.json"
	Report = "report.schema.json"
)
