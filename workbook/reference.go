package workbook

import "github.com/hee-rdp/rdpcheck/policies/reference"

// published returns the national METIP's figure for a region: the
// table's total when programme is "", else the programme's cell. ok is
// false when the METIP publishes none.
func published(region, table, programme string) (float64, bool) {
	m, err := reference.LoadMETIP()
	if err != nil {
		return 0, false
	}
	return m.Figure(region, table, programme)
}
