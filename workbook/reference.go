package workbook

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/hee-rdp/rdpcheck/policies"
)

// metipReference is the part of the national METIP (reference data) the
// workbook shows beside the planner's figures.
type metipReference struct {
	Tables map[string]struct {
		Programmes []struct {
			Name  string         `json:"name"`
			Cells map[string]any `json:"cells"`
		} `json:"programmes"`
		PublishedTotals map[string]any `json:"published_totals"`
	} `json:"tables"`
}

var (
	metipOnce sync.Once
	metipData *metipReference
	metipErr  error
)

// loadMETIP reads the embedded national METIP once.
func loadMETIP() (*metipReference, error) {
	metipOnce.Do(func() {
		data, err := policies.FS.ReadFile("reference/metip/data.json")
		if err != nil {
			metipErr = fmt.Errorf("reading the national METIP: %w", err)
			return
		}
		metipData = &metipReference{}
		if err := json.Unmarshal(data, metipData); err != nil {
			metipErr = fmt.Errorf("reading the national METIP: %w", err)
		}
	})
	return metipData, metipErr
}

// published returns the national METIP's figure for a region: the
// table's total when programme is "", else the programme's cell. ok is
// false when the METIP publishes none.
func published(region, table, programme string) (float64, bool) {
	ref, err := loadMETIP()
	if err != nil {
		return 0, false
	}
	t, ok := ref.Tables[table]
	if !ok {
		return 0, false
	}
	var v any
	if programme == "" {
		v, ok = t.PublishedTotals[region]
	} else {
		for _, p := range t.Programmes {
			if p.Name == programme {
				v, ok = p.Cells[region]
				break
			}
		}
	}
	n, isNum := v.(float64)
	return n, ok && isNum
}
