package indicator

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The figures below are worked by hand.
func TestZScore(t *testing.T) {
	earlier := []float64{10, 12, 11, 13, 14}
	// mean 12; squared deviations 4+0+1+1+4 = 10; sample variance 10/4 = 2.5.
	s, ok := ZScore(30, earlier)
	sd := math.Sqrt(2.5)
	if !ok || !near(s.Centre, 12) || !near(s.Spread, sd) || !near(s.Score, 18/sd) || s.N != 5 {
		t.Errorf("ZScore = %+v", s)
	}
	if !near(s.Score, 11.384199576606166) {
		t.Errorf("z = %v", s.Score)
	}
	if _, ok := ZScore(5, []float64{3}); ok {
		t.Error("one point gives a z-score")
	}
	if _, ok := ZScore(5, []float64{3, 3, 3}); ok {
		t.Error("no spread gives a z-score")
	}
}

func TestModifiedZScore(t *testing.T) {
	// median 12; absolute deviations 2,0,1,1,2 → MAD 1; 0.6745 × 18 ÷ 1.
	s, ok := ModifiedZScore(30, []float64{10, 12, 11, 13, 14})
	if !ok || !near(s.Centre, 12) || !near(s.Spread, 1) || !near(s.Score, 12.141) || s.MeanAD {
		t.Errorf("ModifiedZScore = %+v", s)
	}
	// Peers 100, 110, 90, 105, 400: median 105; deviations 5,5,15,0,295 → MAD 5.
	peers := []float64{100, 110, 90, 105, 400}
	if s, ok := PeerScore(400, peers, DefaultModZThreshold); !ok || !near(s.Score, 0.6745*295/5) || !s.Flagged() || s.Method != MethodPeerModZ {
		t.Errorf("peer 400 = %+v", s)
	}
	if s, _ := PeerScore(90, peers, DefaultModZThreshold); !near(s.Score, -2.0235) || s.Flagged() {
		t.Errorf("peer 90 = %+v", s)
	}
	// More than half equal: MAD 0, so 1.253314 × mean absolute deviation (40/5 = 8).
	s, ok = ModifiedZScore(50, []float64{10, 10, 10, 10, 50})
	if !ok || !s.MeanAD || !near(s.Spread, 1.253314*8) || !near(s.Score, 40/(1.253314*8)) || !s.Flagged() {
		t.Errorf("MAD 0 = %+v", s)
	}
	if _, ok := ModifiedZScore(10, []float64{10, 10, 10}); ok {
		t.Error("identical values give a modified z-score")
	}
	if m := Median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("Median = %v", m)
	}
}

func TestMinimumPoints(t *testing.T) {
	if got := HistoryScores(1000, []float64{1, 2, 3, 4}, 3, 3.5); got != nil {
		t.Errorf("four earlier periods flag: %+v", got)
	}
	got := HistoryScores(1000, []float64{1, 2, 3, 4, 5}, 3, 3.5)
	if len(got) != 2 || got[0].Method != MethodHistoryZ || got[1].Method != MethodHistoryModZ || !got[0].Flagged() || !got[1].Flagged() {
		t.Errorf("five earlier periods: %+v", got)
	}
	if _, ok := PeerScore(1000, []float64{1, 2, 3, 1000}, 3.5); ok {
		t.Error("four peers give a score")
	}
	// The thresholds are the caller's.
	if got := HistoryScores(13, []float64{10, 12, 11, 13, 14}, 3, 3.5); got[0].Flagged() || got[1].Flagged() {
		t.Errorf("an ordinary value is flagged: %+v", got)
	}
}

func TestScorePoints(t *testing.T) {
	sub := func(id int64) Subject { return Subject{Kind: SubjectCluster, ID: id} }
	var pts []outlierPoint
	for n, v := range []float64{10, 12, 11, 13, 14} {
		pts = append(pts, outlierPoint{indicatorID: 1, code: "JOBS", subject: sub(1), country: "JAM", period: string(rune('0' + n)), value: v})
	}
	pts = append(pts, outlierPoint{indicatorID: 1, code: "JOBS", subject: sub(1), country: "JAM", period: "P", value: 30})
	out := scorePoints(pts, "P", DefaultZThreshold, DefaultModZThreshold)
	if len(out) != 1 || len(out[0].Scores) != 2 || out[0].Value != 30 {
		t.Fatalf("scorePoints = %+v", out)
	}
}
