// Package starter builds the starter plan `rdpcheck init` writes for a
// region: everything the reference data already knows (objectives, the
// business plan's KPIs and BAF opportunities, the region's METIP
// programmes with their published figures, the standard budget
// headings), and blanks for what only the planner can write.
package starter

import (
	"encoding/json"
	"fmt"
	"slices"

	"strconv"
	"strings"

	"github.com/hee-rdp/rdpcheck/planfile"
	"github.com/hee-rdp/rdpcheck/policies"
	"github.com/hee-rdp/rdpcheck/policies/reference"
)

// SchemaURL is where the plan schema is published in this repository;
// the first line of a YAML starter plan points editors at it.
const SchemaURL = "https://raw.githubusercontent.com/hee-rdp/rdpcheck/main/schemas/plan.schema.json"

// reference is the part of the reference data a starter plan is built from.
type planReference struct {
	FinancialYear string   `json:"financial_year"`
	Regions       []string `json:"regions"`
	Objectives    []struct {
		ID    string `json:"id"`
		Goal  string `json:"goal"`
		Title string `json:"title"`
	} `json:"objectives"`
	KPIMeasures map[string]string `json:"kpi_measures"`
	Params      struct {
		MaternityLineCodes []string `json:"maternity_line_codes"`
	} `json:"params"`
	BudgetHeadings struct {
		Headings []struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"headings"`
	} `json:"budget_headings"`
}

type kpiReference struct {
	Objectives map[string]struct {
		BAF  []int `json:"baf_opportunities"`
		KPIs []struct {
			Code       string `json:"code"`
			Descriptor string `json:"descriptor"`
		} `json:"kpis"`
	} `json:"objectives"`
}

// metipOrder is the order of the METIP tables in a plan (the annex's).
var metipOrder = []string{"undergraduate_medical_dental", "postgraduate_medical_dental", "clinical_non_commissioned", "directly_commissioned"}

func readJSON(name string, v any) error {
	data, err := policies.FS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("reading the reference data: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("reading the reference data %s: %w", name, err)
	}
	return nil
}

// Regions lists the regions a starter plan can be written for.
func Regions() ([]string, error) {
	var ref planReference
	if err := readJSON("reference/data.json", &ref); err != nil {
		return nil, err
	}
	return ref.Regions, nil
}

// Plan builds the starter plan for a region, with the YAML options
// (schema line, objective titles as comments) that go with it.
func Plan(region string) (map[string]any, planfile.Options, error) {
	var ref planReference
	var kpis kpiReference
	for name, v := range map[string]any{"reference/data.json": &ref, "reference/kpis/data.json": &kpis} {
		if err := readJSON(name, v); err != nil {
			return nil, planfile.Options{}, err
		}
	}
	metip, err := reference.LoadMETIP()
	if err != nil {
		return nil, planfile.Options{}, err
	}
	known := false
	for _, r := range ref.Regions {
		if strings.EqualFold(r, region) {
			region, known = r, true
		}
	}
	if !known {
		return nil, planfile.Options{}, fmt.Errorf("unknown region %q; choose one of: %s", region, strings.Join(ref.Regions, ", "))
	}
	opt := planfile.Options{
		Header: []string{
			"yaml-language-server: $schema=" + SchemaURL,
			"Regional Delivery Plan " + ref.FinancialYear + " for " + region + ": a starter plan written by rdpcheck init.",
			"Fill in the blanks (baselines, targets, leads, actions, budget amounts, NETS results, providers),",
			"then run: rdpcheck check <this file>. Its findings list what is still to do.",
		},
		Comments: map[string]string{},
	}
	plan := map[string]any{
		"schema_version": "rdp/v1",
		"region":         region,
		"financial_year": ref.FinancialYear,
		"submission": map[string]any{
			"version":      json.Number("1"),
			"status":       "draft",
			"submitted_on": nil,
			"contact":      map[string]any{"name": nil, "email": nil},
		},
	}
	var objectives []any
	for i, o := range ref.Objectives {
		obj := map[string]any{"id": o.ID, "title": o.Title}
		opt.Comments["/objectives/"+strconv.Itoa(i)+"/id"] = o.Goal
		bp := kpis.Objectives[o.ID]
		var list []any
		for _, k := range bp.KPIs {
			list = append(list, map[string]any{"id": k.Code, "descriptor": k.Descriptor, "measure": ref.KPIMeasures[k.Code]})
		}
		if len(list) > 0 {
			obj["kpis"] = list
		}
		var baf []any
		for _, n := range bp.BAF {
			baf = append(baf, json.Number(strconv.Itoa(n)))
		}
		if len(baf) > 0 {
			obj["baf_opportunities"] = baf
		}
		objectives = append(objectives, obj)
	}
	plan["objectives"] = objectives
	var tables []any
	for _, name := range metipOrder {
		t, ok := metip.Tables[name]
		if !ok {
			continue
		}
		var programmes []any
		var sum float64
		for _, p := range t.Programmes {
			if v, ok := p.Cells[region].(float64); ok {
				programmes = append(programmes, map[string]any{"name": p.Name, "planned_starts": number(v)})
				sum += v
			}
		}
		// The declared total is the sum of the lines; where the annex
		// prints a different total, a comment says so.
		table := map[string]any{"table": name, "programmes": programmes, "declared_total": number(sum)}
		if v, ok := metip.Figure(region, name, ""); ok && v != sum {
			opt.Comments[fmt.Sprintf("/metip/%d/declared_total", len(tables))] = fmt.Sprintf("the METIP annex prints %s for %s, but its lines add up to %s", number(v), region, number(sum))
		}
		tables = append(tables, table)
	}
	plan["metip"] = tables
	var lines []any
	for _, h := range ref.BudgetHeadings.Headings {
		lines = append(lines, map[string]any{"code": h.Code, "name": h.Name, "prior_year": nil, "plan": nil})
	}
	var ringFenced []any
	for _, h := range ref.BudgetHeadings.Headings {
		if slices.Contains(ref.Params.MaternityLineCodes, h.Code) {
			ringFenced = append(ringFenced, map[string]any{"purpose": h.Name, "amount": nil})
		}
	}
	plan["budget"] = map[string]any{"unit": "GBP million", "allocation": nil, "lines": lines, "declared_total": nil, "ring_fenced": ringFenced}
	plan["quality"] = map[string]any{"nets": map[string]any{"respondents": nil}, "providers": []any{}}
	return plan, opt, nil
}

// number writes a published figure as a plan number.
func number(v float64) json.Number {
	return json.Number(strconv.FormatFloat(v, 'f', -1, 64))
}
