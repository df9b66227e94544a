package mapping

import "testing"

// strengthBlock is one year of one traded cluster across eleven areas.
func strengthBlock() []Metric {
	row := func(lq float64, emp, est int64) Metric {
		return Metric{Type: Traded, InReference: true, Reliable: true, Employment: emp,
			Establishments: Of(float64(est)), LQClusterMapping: LQ{Value: Of(lq)}}
	}
	b := []Metric{
		row(0.2, 5, 1), row(0.5, 50, 5), row(0.8, 60, 6), row(1.0, 70, 7),
		row(1.1, 80, 8), row(1.5, 90, 9), row(2.0, 100, 10), row(3.0, 200, 2),
		row(0, 0, 0), // no employment: not in the distribution
		row(9, 9, 1), // unreliable
		row(9, 900, 90),
	}
	b[9].Reliable = false
	b[10].InReference = false
	return b
}

func TestStrengthRule(t *testing.T) {
	// Peers: the eight reliable reference areas with employment, so n = 8
	// and h = 7p.
	//   LQ   0.2 0.5 0.8 1.0 1.1 1.5 2.0 3.0
	//   25th: h = 1.75 → 0.5 + 0.75·(0.8 − 0.5) = 0.725
	//   50th: h = 3.5  → 1.0 + 0.5·(1.1 − 1.0)  = 1.05
	//   75th: h = 5.25 → 1.5 + 0.25·(2.0 − 1.5) = 1.625
	//   90th: h = 6.3  → 2.0 + 0.3·(3.0 − 2.0)  = 2.3
	//   employment 5 50 60 70 80 90 100 200: 25th = 50 + 0.75·10 = 57.5
	//   establishments 1 2 5 6 7 8 9 10:      25th = 2 + 0.75·3   = 4.25
	// Areas 1 and 2 are too small (employment ≤ 57.5); area 8 has the top LQ
	// but only 2 establishments (≤ 4.25), so it is in no category.
	block := strengthBlock()
	p := &plan{nC: 1}
	var th Thresholds
	r := DefaultStrengthRule()
	p.strength(block, 0, &th, &r, true, newScratch(len(block)))

	if th.StrengthPeers != 8 {
		t.Fatalf("peers %d, want 8", th.StrengthPeers)
	}
	near(t, "LQ 25th", th.LQQualifying, 0.725)
	near(t, "LQ 50th", th.LQSignificant, 1.05)
	near(t, "LQ 75th", th.LQStrong, 1.625)
	near(t, "LQ 90th", th.LQStrong10, 2.3)
	near(t, "employment 25th", th.Employment, 57.5)
	near(t, "establishments 25th", th.Establishments, 4.25)

	want := []struct {
		status Status
		level  string
	}{
		{Classified, ""}, {Classified, ""}, {Classified, "qualifying"}, {Classified, "qualifying"},
		{Classified, "significant"}, {Classified, "significant"}, {Classified, "strong"}, {Classified, ""},
		{Classified, ""}, {Unreliable, ""}, {OutsideReference, ""},
	}
	for i, w := range want {
		s := block[i].Strength
		if s.Status != w.status || s.Level() != w.level {
			t.Errorf("area %d: %v %q, want %v %q", i+1, s.Status, s.Level(), w.status, w.level)
		}
	}

	// Strong-10 needs LQ ≥ 2.3 with enough employment and establishments:
	// give area 8 ten establishments. The 25th percentile of
	// establishments becomes 5 + 0.75·(6 − 5) = 5.75 (sorted 1 5 6 7 8 9 10 10).
	block = strengthBlock()
	block[7].Establishments = Of(10)
	p.strength(block, 0, &th, &r, true, newScratch(len(block)))
	near(t, "establishments 25th", th.Establishments, 5.75)
	if s := block[7].Strength; !s.Strong10 || !s.Strong || !s.Significant || !s.Qualifying {
		t.Errorf("area 8 should be strong-10: %+v", s)
	}

	// Local clusters are outside the rule.
	block = strengthBlock()
	p.strength(block, 0, &th, &r, false, newScratch(len(block)))
	if block[4].Strength.Status != NotApplicable {
		t.Errorf("local cluster: %v", block[4].Strength.Status)
	}
}

func TestStarRule(t *testing.T) {
	// Eleven reliable reference areas with employment 10, 20, …, 90, 100,
	// 100 and shares of area employment 0.01 … 0.11. Top 10 % of 11 is
	// k = ⌈1.1⌉ = 2 areas: the size threshold is the second largest
	// employment, 100 (both tied areas get the star), the focus threshold
	// the second largest share, 0.10.
	var block []Metric
	for i := 1; i <= 11; i++ {
		emp := int64(min(i, 10) * 10)
		block = append(block, Metric{Type: Traded, InReference: true, Reliable: true, Employment: emp,
			ShareOfArea: Of(float64(i) / 100), LQ: LQ{Value: Of(float64(i) / 5)}})
	}
	// LQ i/5: areas 10 and 11 (2.0, 2.2) reach the specialisation threshold 2.
	p := &plan{nC: 1}
	var th Thresholds
	r := DefaultStarRule()
	p.stars(block, 0, &th, &r, true, newScratch(len(block)))
	near(t, "size threshold", th.Size, 100)
	near(t, "focus threshold", th.Focus, 0.10)
	wantCount := []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3}
	for i, w := range wantCount {
		if got := block[i].Stars.Count(); got != w {
			t.Errorf("area %d: %d stars %+v, want %d", i+1, got, block[i].Stars, w)
		}
	}
	// Area 9 has employment 90 and share 0.09: no star; area 10 has
	// employment 100 (tied for the top), share 0.10 and LQ 2.0.
	if s := block[9].Stars; !s.Size || !s.Focus || !s.Specialisation {
		t.Errorf("area 10: %+v", s)
	}
}

func TestStrengthRuleBoundaries(t *testing.T) {
	// Five peers, h = 4p, so the quantiles fall on values:
	//   LQ 1 2 3 4 5 → Q25 = 2, Q50 = 3, Q75 = 4, Q90 = 4 + 0.6·1 = 4.6
	//   employment 10 20 30 40 50 → Q25 = 20; establishments 1…5 → Q25 = 2.
	// Area 3 (LQ 3) exceeds Q25 but equals Q50: qualifying, not significant
	// (strict). Area 4 (LQ 4) equals Q75: strong (at least). Area 5: strong-10.
	// With every LQ divided by 10 the quantiles scale too, but no LQ reaches
	// 1: area 4 stays significant and is not strong.
	for _, scale := range []float64{1, 0.1} {
		var block []Metric
		for i := 1; i <= 5; i++ {
			block = append(block, Metric{Type: Traded, InReference: true, Reliable: true,
				Employment: int64(10 * i), Establishments: Of(float64(i)),
				LQClusterMapping: LQ{Value: Of(float64(i) * scale)}})
		}
		p := &plan{nC: 1}
		var th Thresholds
		r := DefaultStrengthRule()
		p.strength(block, 0, &th, &r, true, newScratch(5))
		want := []string{"", "", "qualifying", "strong", "strong-10"}
		if scale < 1 {
			want = []string{"", "", "qualifying", "significant", "significant"}
		}
		for i, w := range want {
			if got := block[i].Strength.Level(); got != w {
				t.Errorf("scale %v area %d: %q, want %q", scale, i+1, got, w)
			}
		}
	}
}
