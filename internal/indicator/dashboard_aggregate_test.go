package indicator

import (
	"testing"
	"time"
)

func TestBuildResultSeriesRulesOverTime(t *testing.T) {
	att := &ResultsAttribution{Region: map[string]bool{"JAM": true}, ClusterCountry: map[int64]string{1: "JAM", 2: "JAM"},
		OrgCountry: map[int64]string{}, Memberships: map[int64][]MembershipSpan{}}
	c1, c2 := Subject{Kind: SubjectCluster, ID: 1}, Subject{Kind: SubjectCluster, ID: 2}
	fact := func(s Subject, period string, v float64) ResultFact {
		return ResultFact{Subject: s, Period: period, Value: v, State: StateApproved}
	}
	values := []ResultFact{
		// Cluster 1 reports quarters: complete in 2024, three of four in 2023.
		fact(c1, "2023-Q1", 1), fact(c1, "2023-Q2", 2), fact(c1, "2023-Q3", 3),
		fact(c1, "2024-Q1", 4), fact(c1, "2024-Q2", 5), fact(c1, "2024-Q3", 6), fact(c1, "2024-Q4", 7),
		// Cluster 2 reports years.
		fact(c2, "2023", 10), fact(c2, "2024", 20),
	}
	targets := []ResultFact{fact(c1, "2023", 8), fact(c1, "2024", 30), fact(c2, "2024", 25)}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		agg                 Aggregation
		y2023, y2024        string
		lopTarget, lopValue string
	}{
		// A flow: 2023 has no complete set of quarters for cluster 1, so only cluster 2 counts.
		{AggSum, "10", "42", "63", "52"},
		// A stock: the year's value is its last quarter's; the life of the programme takes the last year.
		{AggLast, "10", "27", "55", "27"},
		{AggAverage, "10", "12.75", "17.75", "11.375"},
	} {
		ind := &Indicator{Code: "X", Calculation: CalcNumeric, Direction: DirIncrease, SubjectAggregation: AggSum, TimeAggregation: c.agg}
		if c.agg == AggAverage {
			ind.SubjectAggregation = AggAverage
		}
		s := BuildResultSeries(ResultSeriesInput{Indicator: ind, Scope: ResultsScope{Kind: ScopeRegion}, Att: att, Values: values,
			Targets: targets, From: 2023, To: 2024, Now: now})
		got := []string{show(s.Rows[0].Actual), show(s.Rows[1].Actual), show(s.LoP.Target), show(s.LoP.Actual)}
		want := []string{c.y2023, c.y2024, c.lopTarget, c.lopValue}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: 2023, 2024, life-of-programme target and value = %v, want %v", c.agg, got, want)
				break
			}
		}
		if s.Rows[0].Expected != 1 || s.Rows[0].Reporting != 0 || s.Rows[1].Expected != 2 || s.Rows[1].Reporting != 2 {
			t.Errorf("%s: reporting %d/%d and %d/%d, want 0/1 and 2/2", c.agg, s.Rows[0].Reporting, s.Rows[0].Expected,
				s.Rows[1].Reporting, s.Rows[1].Expected)
		}
	}
}

func show(p *float64) string {
	if p == nil {
		return "no data"
	}
	return formatNumber(*p)
}

func TestCountedVersions(t *testing.T) {
	s := Subject{Kind: SubjectCluster, ID: 1}
	v := func(version int, state ReviewState, value float64) ResultFact {
		return ResultFact{IndicatorCode: "X", Subject: s, Period: "2024", Version: version, State: state, Value: value}
	}
	versions := []ResultFact{v(1, StateApproved, 1), v(2, StateHasIssues, 2), v(3, StateRejected, 3)}
	if got := CountedVersions(versions, false); len(got) != 1 || got[0].Value != 1 {
		t.Errorf("approved only: %+v", got)
	}
	if got := CountedVersions(versions, true); len(got) != 1 || got[0].Value != 2 {
		t.Errorf("all received: %+v", got)
	}
}

func TestParseResultsScope(t *testing.T) {
	for in, want := range map[string]string{"": "region", "region": "region", "country:jam": "country:JAM", "cluster:12": "cluster:12"} {
		sc, err := ParseResultsScope(in)
		if err != nil || sc.String() != want {
			t.Errorf("%q: %v %v", in, sc, err)
		}
	}
	for _, in := range []string{"country:JA", "cluster:x", "planet:1"} {
		if _, err := ParseResultsScope(in); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
}
