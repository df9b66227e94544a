package indicator

import (
	"testing"
	"time"
)

func TestScoreTriples(t *testing.T) {
	sub := Subject{Kind: SubjectCluster, ID: 1}
	tr := func(ind int64) Triple { return Triple{IndicatorID: ind, Subject: sub, Period: "2025"} }
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	expected := []Triple{tr(1), tr(2), tr(3), tr(4), tr(1)} // the repeat counts once
	got := map[Triple]Receipt{
		tr(1): {At: at("2026-01-15T10:00:00Z"), Clean: true},
		tr(2): {At: at("2026-02-10T10:00:00Z"), Clean: true}, // after 31 December + 30 days
		tr(3): {At: at("2025-12-01T10:00:00Z"), Clean: false},
		tr(9): {At: at("2025-12-01T10:00:00Z"), Clean: true}, // not expected
	}
	q := ScoreTriples(expected, got, 30)
	want := QualityRatios{Completeness: QualityRatio{3, 4}, Timeliness: QualityRatio{2, 4}, Consistency: QualityRatio{2, 3}}
	if q != want {
		t.Errorf("ScoreTriples = %+v, want %+v", q, want)
	}
	if s := q.Completeness.Share(); s != 0.75 {
		t.Errorf("share = %v", s)
	}
	if (QualityRatio{}).Defined() || (QualityRatio{}).Share() != 0 {
		t.Error("an empty ratio is defined")
	}
	// The last on-time moment is the end of the 30th day after the period.
	got[tr(2)] = Receipt{At: at("2026-01-30T23:59:59Z"), Clean: true}
	if q := ScoreTriples(expected, got, 30); q.Timeliness.Num != 3 {
		t.Errorf("timeliness at the deadline = %+v", q.Timeliness)
	}
}

func TestQualityDeadline(t *testing.T) {
	for key, want := range map[string]string{"2025": "2026-01-30", "2025-Q4": "2026-01-30", "2025-Q1": "2025-04-30", "2025-02": "2025-03-30", "2025-12": "2026-01-30"} {
		p, err := ParsePeriod(key)
		if err != nil {
			t.Fatal(err)
		}
		if got := QualityDeadline(p, 30).Format("2006-01-02"); got != want {
			t.Errorf("%s: %s, want %s", key, got, want)
		}
		if d := QualityDeadline(p, 0); d.Format("15:04") != "23:59" {
			t.Errorf("%s: deadline %v is not the end of a day", key, d)
		}
	}
}
