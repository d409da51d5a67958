package checker

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// National is the national picture of a roll-up: the regional plans'
// figures added up against the business plan's national figures, shown
// whether or not any rule fails. Starts are whole numbers; money is in
// exact thousands of pounds (thousandths of £1m), never floats.
type National struct {
	// Regions are the seven regions in reference order, with the short
	// name narrow tables use and whether the roll-up has a plan for each.
	Regions []NationalRegion `json:"regions"`
	// METIP holds one entry per METIP table, in the business plan's order.
	METIP []NationalTable `json:"metip"`
	// Budget sets the regions' budgets against the national allocation.
	Budget NationalBudget `json:"budget"`
	// Commitments are the business plan's national commitments, with the
	// plans' figure where the plans' figures measure one.
	Commitments []Commitment `json:"commitments"`
}

// NationalRegion is one of the seven regions.
type NationalRegion struct {
	Region string `json:"region"`
	// Short is the region's short name, for narrow tables.
	Short string `json:"short"`
	// Planned is true when the roll-up holds a plan for the region.
	Planned bool `json:"planned"`
}

// NationalTable is one METIP table.
type NationalTable struct {
	Table      string              `json:"table"`
	Title      string              `json:"title"`
	Programmes []NationalProgramme `json:"programmes"`
}

// NationalProgramme is one METIP programme across the regions.
type NationalProgramme struct {
	Name string `json:"name"`
	// Planned is each planned region's starts (0 where its plan does not
	// list the programme); Published is each region's published cell.
	Planned   map[string]int64 `json:"planned"`
	Published map[string]int64 `json:"published"`
	// NationalColumns are the published cells that are no region's.
	NationalColumns map[string]int64 `json:"national_columns,omitempty"`
	// RegionalSum adds the planned starts; Total adds the national columns
	// to it; Figure is the published national figure (the sum of the
	// row's cells) and Difference is Total − Figure.
	RegionalSum int64 `json:"regional_sum"`
	Total       int64 `json:"total"`
	Figure      int64 `json:"national_figure"`
	Difference  int64 `json:"difference"`
	// Shares lists each planned region's share of the regions' planned
	// starts against its share of the published regional starts.
	Shares []Share `json:"shares"`
}

// Share is a region's share of a programme, planned and published, in
// percent rounded to one decimal place for display. Differs is decided
// on the exact whole-number figures, not on the rounded percentages.
type Share struct {
	Region       string  `json:"region"`
	PlannedPct   float64 `json:"planned_pct"`
	PublishedPct float64 `json:"published_pct"`
	Differs      bool    `json:"differs"`
}

// NationalBudget is the regions' budgets against the national programme
// allocation, in thousands of pounds.
type NationalBudget struct {
	// AllocationLabel is the income-table row of the allocation.
	AllocationLabel string `json:"allocation_label"`
	Allocation      int64  `json:"allocation_gbp_thousands"`
	// Regions is each region's declared budget total.
	Regions map[string]int64 `json:"regions_gbp_thousands"`
	// Total adds the regions' budgets; Headroom is Allocation − Total
	// (negative when the regions are over the allocation).
	Total    int64           `json:"total_gbp_thousands"`
	Headroom int64           `json:"headroom_gbp_thousands"`
	Headings []BudgetHeading `json:"headings"`
}

// BudgetHeading is one budget heading: the regions' lines with the given
// codes against the national expenditure line they fund.
type BudgetHeading struct {
	Heading     string           `json:"heading"`
	Codes       []string         `json:"codes"`
	NationalRow string           `json:"national_row"`
	National    int64            `json:"national_gbp_thousands"`
	Regions     map[string]int64 `json:"regions_gbp_thousands"`
	Total       int64            `json:"total_gbp_thousands"`
}

// Commitment is a national commitment of the business plan.
type Commitment struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Target      int64  `json:"target"`
	Unit        string `json:"unit"`
	Source      string `json:"source"`
	// Measured is true when the plans' figures measure the commitment;
	// Planned is then their figure and Regions each region's part.
	Measured bool             `json:"measured"`
	Planned  int64            `json:"planned,omitempty"`
	Regions  map[string]int64 `json:"regions,omitempty"`
}

// pictureQuery reads the national picture of package rdp.rollup.
const pictureQuery = "national := data.rdp.rollup.national"

// national works out the national picture for a roll-up input. It is nil
// when the policies define no picture.
func (e *engine) national(ctx context.Context, input ast.Value) (*National, error) {
	pq, ok, err := e.groups.prepareExtra(ctx, groupRollup, pictureQuery)
	if err != nil {
		return nil, fmt.Errorf("preparing the national picture: %w", err)
	}
	if !ok {
		return nil, nil
	}
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, fmt.Errorf("national picture: %w", err)
	}
	if len(rs) != 1 {
		return nil, nil
	}
	raw, err := json.Marshal(rs[0].Bindings["national"])
	if err != nil {
		return nil, fmt.Errorf("national picture: %w", err)
	}
	var n National
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, fmt.Errorf("national picture: the policies' figures are not whole numbers: %w", err)
	}
	n.complete()
	return &n, nil
}

// complete works out the sums, differences and shares from the figures
// the policies read.
func (n *National) complete() {
	for t := range n.METIP {
		for p := range n.METIP[t].Programmes {
			n.METIP[t].Programmes[p].complete(n.Regions)
		}
	}
	b := &n.Budget
	b.Total = 0
	for _, r := range n.Regions {
		b.Total += b.Regions[r.Region]
	}
	b.Headroom = b.Allocation - b.Total
	for h := range b.Headings {
		b.Headings[h].Total = 0
		for _, r := range n.Regions {
			b.Headings[h].Total += b.Headings[h].Regions[r.Region]
		}
	}
}

func (p *NationalProgramme) complete(regions []NationalRegion) {
	p.RegionalSum, p.Total = 0, 0
	var published int64
	for _, r := range regions {
		p.RegionalSum += p.Planned[r.Region]
		if r.Planned {
			published += p.Published[r.Region]
		}
	}
	p.Total = p.RegionalSum
	for _, c := range p.NationalColumns {
		p.Total += c
	}
	p.Difference = p.Total - p.Figure
	p.Shares = p.Shares[:0]
	for _, r := range regions {
		if !r.Planned {
			continue
		}
		planned, pub := p.Planned[r.Region], p.Published[r.Region]
		p.Shares = append(p.Shares, Share{
			Region:       r.Region,
			PlannedPct:   percent(planned, p.RegionalSum),
			PublishedPct: percent(pub, published),
			// planned/RegionalSum != pub/published, compared exactly.
			Differs: planned*published != pub*p.RegionalSum,
		})
	}
}

// percent is part/whole in percent, rounded half up to one decimal place
// (0 when whole is 0), for display only.
func percent(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	tenths := (part*1000*2 + whole) / (2 * whole)
	return float64(tenths) / 10
}
