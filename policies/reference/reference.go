// Package reference gives typed access to the parts of the embedded
// reference data (package policies) that Go code reads directly: the
// national METIP tables.
package reference

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/hee-rdp/rdpcheck/policies"
)

// METIP is the national METIP as transcribed from the business plan's
// annex (reference/metip/data.json).
type METIP struct {
	Tables map[string]METIPTable `json:"tables"`
}

// METIPTable is one METIP table: its programmes and each region's
// published total.
type METIPTable struct {
	Programmes []struct {
		Name string `json:"name"`
		// Cells holds the published planned starts by region (and
		// national column); a region without a cell has no such programme.
		Cells map[string]any `json:"cells"`
	} `json:"programmes"`
	PublishedTotals map[string]any `json:"published_totals"`
}

var (
	metipOnce sync.Once
	metip     *METIP
	metipErr  error
)

// LoadMETIP reads the embedded national METIP once.
func LoadMETIP() (*METIP, error) {
	metipOnce.Do(func() {
		data, err := policies.FS.ReadFile("reference/metip/data.json")
		if err != nil {
			metipErr = fmt.Errorf("reading the national METIP: %w", err)
			return
		}
		metip = &METIP{}
		if err := json.Unmarshal(data, metip); err != nil {
			metipErr = fmt.Errorf("reading the national METIP: %w", err)
		}
	})
	return metip, metipErr
}

// Figure returns a published figure for a region: the table's total when
// programme is "", else the programme's cell. ok is false when the METIP
// publishes none.
func (m *METIP) Figure(region, table, programme string) (float64, bool) {
	t, ok := m.Tables[table]
	if !ok {
		return 0, false
	}
	var v any
	if programme == "" {
		v = t.PublishedTotals[region]
	} else {
		for _, p := range t.Programmes {
			if p.Name == programme {
				v = p.Cells[region]
				break
			}
		}
	}
	n, ok := v.(float64)
	return n, ok
}
