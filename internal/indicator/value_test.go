package indicator

import (
	"strings"
	"testing"
)

func TestCheckNumber(t *testing.T) {
	jobs := &Indicator{Code: "JOBS", Unit: "jobs (FTE)", Calculation: CalcNumeric}
	net := &Indicator{Code: "NET", Unit: "net jobs", Calculation: CalcNumeric}
	share := &Indicator{Code: "SHARE", Unit: "%", Calculation: CalcPercentage}
	for _, c := range []struct {
		ind  *Indicator
		v    *float64
		text string
		want string // "" for a good value, else part of the message
	}{
		{jobs, ptr(12), "12", ""},
		{jobs, ptr(0), "0", ""},
		{jobs, nil, "twelve", `"twelve" is not a number`},
		{jobs, nil, "", "Enter the value"},
		{jobs, ptr(-3), "-3", "cannot be negative (unit: jobs (FTE))"},
		{net, ptr(-3), "-3", ""},
		{share, ptr(100), "100", ""},
		{share, ptr(100.5), "100.5", "from 0 to 100, not 100.5"},
		{share, ptr(-1), "-1", "from 0 to 100"},
		{jobs, ptr(2e15), "", "at most 15 digits"},
	} {
		got := CheckNumber(c.ind, c.v, c.text)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s %q: got %q, want %q", c.ind.Code, c.text, got, c.want)
		}
	}
}

func TestCheckSums(t *testing.T) {
	jobs := &Indicator{ID: 1, Code: "JOBS", Calculation: CalcNumeric, Dimensions: []string{"sex", "youth"}}
	women, men := Category{"sex", "women"}, Category{"sex", "men"}
	youth := Category{"youth", "youth"}
	// Women 30 + men 25 = 55 > total 50: one warning for sex; youth 20 ≤ 50.
	ws := CheckSums(jobs, map[Category]float64{{}: 50, women: 30, men: 25, youth: 20})
	if len(ws) != 1 || ws[0].Dimension != "sex" || ws[0].Sum != 55 || ws[0].Total != 50 || ws[0].Rule != "JOBS: women + men ≤ total" {
		t.Errorf("warnings %+v", ws)
	}
	// Equal to the total, or only part of the categories below it: no warning.
	if ws := CheckSums(jobs, map[Category]float64{{}: 55, women: 30, men: 25}); len(ws) != 0 {
		t.Errorf("sum equal to total: %+v", ws)
	}
	// Decimal rounding (0.1 + 0.2) does not warn.
	if ws := CheckSums(jobs, map[Category]float64{{}: 0.3, women: 0.1, men: 0.2}); len(ws) != 0 {
		t.Errorf("rounding: %+v", ws)
	}
	// Without a total there is nothing to compare with.
	if ws := CheckSums(jobs, map[Category]float64{women: 30, men: 25}); len(ws) != 0 {
		t.Errorf("no total: %+v", ws)
	}
	// A percentage is not a sum of its categories.
	pct := &Indicator{Code: "P", Calculation: CalcPercentage, Dimensions: []string{"sex"}}
	if ws := CheckSums(pct, map[Category]float64{{}: 40, women: 60, men: 30}); len(ws) != 0 {
		t.Errorf("percentage: %+v", ws)
	}
}

func TestPercentOfTarget(t *testing.T) {
	for _, c := range []struct {
		dir                      Direction
		baseline, target, actual *float64
		want                     *float64
	}{
		{DirIncrease, nil, ptr(200), ptr(150), ptr(75)},
		{DirIncrease, ptr(100), ptr(200), ptr(250), ptr(125)},
		{DirIncrease, nil, ptr(0), ptr(5), nil},
		{DirIncrease, nil, nil, ptr(5), nil},
		{DirIncrease, nil, ptr(10), nil, nil},
		// Lower is better: from 40 down to 20 planned, 30 reached is half the way.
		{DirDecrease, ptr(40), ptr(20), ptr(30), ptr(50)},
		{DirDecrease, nil, ptr(20), ptr(30), nil},
		{DirDecrease, ptr(20), ptr(20), ptr(30), nil},
	} {
		got := PercentOfTarget(c.dir, c.baseline, c.target, c.actual)
		if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("%s %v %v %v: got %v, want %v", c.dir, c.baseline, c.target, c.actual, got, c.want)
		}
	}
}

func TestBuildRowsOrdersPeriodsAndKeepsNoData(t *testing.T) {
	rows := BuildRows(DirIncrease, periodSeries{"2024": 100}, periodSeries{"2025": 200, "2026": 300},
		periodSeries{"2025": 150, "2025-Q1": 30}, nil)
	var got []string
	for _, r := range rows {
		got = append(got, r.Period)
	}
	if strings.Join(got, " ") != "2024 2025 2025-Q1 2026" {
		t.Fatalf("periods %v", got)
	}
	if rows[0].Baseline == nil || *rows[0].Baseline != 100 || rows[0].Actual != nil || rows[0].Percent != nil {
		t.Errorf("2024 %+v", rows[0])
	}
	if *rows[1].Percent != 75 {
		t.Errorf("2025 percent %v", *rows[1].Percent)
	}
	if rows[3].Actual != nil || rows[3].Percent != nil {
		t.Errorf("2026 without data: %+v", rows[3])
	}
}

func TestFormulaActuals(t *testing.T) {
	e, err := ParseFormula("EXPORTS / REVENUE * 100")
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]periodSeries{
		"EXPORTS": {"2024": 30, "2025": 45, "2026": 10},
		"REVENUE": {"2024": 120, "2025": 0},
	}
	got, undefined := FormulaActuals(e, inputs)
	// 30 / 120 × 100 = 25; 2025 divides by zero; 2026 lacks revenue.
	if len(got) != 1 || got["2024"] != 25 {
		t.Errorf("values %v", got)
	}
	if !undefined["2025"] || !undefined["2026"] || len(undefined) != 2 {
		t.Errorf("undefined %v", undefined)
	}
}

func TestAggregateOverTime(t *testing.T) {
	quarters := periodSeries{"2025-Q1": 10, "2025-Q2": 20, "2025-Q3": 30, "2025-Q4": 40, "2026-Q1": 5, "2026-Q2": 7}
	months := periodSeries{"2027-01": 1, "2027-02": 2, "2027-03": 6}
	all := periodSeries{}
	for _, m := range []periodSeries{quarters, months} {
		for k, v := range m {
			all[k] = v
		}
	}
	all["2028"] = 99
	wanted := []string{"2025", "2026", "2027-Q1", "2028"}
	for _, c := range []struct {
		agg  Aggregation
		want periodSeries
	}{
		// 2026 has two quarters only: no data; 2028 has its own value.
		{AggSum, periodSeries{"2025": 100, "2027-Q1": 9}},
		{AggLast, periodSeries{"2025": 40, "2027-Q1": 6}},
		{AggAverage, periodSeries{"2025": 25, "2027-Q1": 3}},
		{AggWeightedAverage, periodSeries{}},
	} {
		got := AggregateOverTime(c.agg, all, wanted)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.agg, got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s %s: %v, want %v", c.agg, k, got[k], v)
			}
		}
	}
}
