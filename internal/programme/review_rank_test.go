package programme

import (
	"testing"
)

func rankCriteria() []Criterion {
	rubric := []Level{{Score: 1, Descriptor: "No evidence"}, {Score: 3, Descriptor: "Some"}, {Score: 5, Descriptor: "Strong"}}
	return []Criterion{{Name: "Jobs", Weight: 40, Levels: rubric}, {Name: "Exports", Weight: 35, Levels: rubric},
		{Name: "Green", Weight: 25, Levels: rubric}}
}

func sheet(scores ...int) []CriterionScore {
	out := make([]CriterionScore, len(scores))
	for i, s := range scores {
		out[i] = CriterionScore{Criterion: i, Score: s}
	}
	return out
}

func TestWeightedTotal(t *testing.T) {
	cs := rankCriteria()
	for _, tc := range []struct {
		scores []CriterionScore
		want   float64
		ok     bool
	}{
		{sheet(5, 5, 5), 100, true},
		{sheet(3, 3, 1), 50, true},     // 40·0.6 + 35·0.6 + 25·0.2
		{sheet(5, 3, 3), 76, true},     // 40 + 21 + 15
		{sheet(1, 1, 1), 20, true},     // the lowest level is a fifth of the top one
		{sheet(5, 5), 0, false},        // a criterion unscored
		{[]CriterionScore{}, 0, false}, // nothing scored
		{sheet(3, 5, 5)[1:], 0, false}, // the first criterion missing
		{sheet(3, 5, 5), 84, true},     // 24 + 35 + 25
		{sheet(1, 3, 5), 54, true},     // 8 + 21 + 25
	} {
		got, ok := WeightedTotal(cs, tc.scores)
		if ok != tc.ok || got != tc.want {
			t.Errorf("WeightedTotal(%v) = %v, %v; want %v, %v", tc.scores, got, ok, tc.want, tc.ok)
		}
	}
	// Weights that do not sum to 100 are normalised: 1·(3/5) + 3·(5/5) over 4.
	odd := []Criterion{{Name: "A", Weight: 1, Levels: rankCriteria()[0].Levels}, {Name: "B", Weight: 3, Levels: rankCriteria()[0].Levels}}
	if got, _ := WeightedTotal(odd, sheet(3, 5)); got != 90 {
		t.Errorf("normalised weights: %v, want 90", got)
	}
	// Thirds round to two decimals: 100·(1/3).
	third := []Criterion{{Name: "A", Weight: 100, Levels: []Level{{Score: 1, Descriptor: "x"}, {Score: 3, Descriptor: "y"}}}}
	if got, _ := WeightedTotal(third, sheet(1)); got != 33.33 {
		t.Errorf("rounding: %v, want 33.33", got)
	}
}

func TestBuildRanking(t *testing.T) {
	c := &Call{Criteria: rankCriteria(), DisagreementMargin: 20}
	yes, no := true, false
	apps := []*Application{
		{ID: 10, Title: "A", LeadOrgCountry: "BRB", Eligible: &yes, Status: AppSubmitted},
		{ID: 11, Title: "B", LeadOrgCountry: "JAM", Eligible: &yes, Status: AppSubmitted},
		{ID: 12, Title: "C", LeadOrgCountry: "BRB", Eligible: &no, Status: AppSubmitted},
		{ID: 13, Title: "D", LeadOrgCountry: "BRB", Eligible: &yes, Status: AppSubmitted},
	}
	rv := func(app int64, st ReviewStatus, scores ...int) *Review {
		return &Review{ApplicationID: app, Status: st, Scores: sheet(scores...)}
	}
	reviews := []*Review{
		rv(10, ReviewSubmitted, 5, 5, 5), rv(10, ReviewSubmitted, 3, 3, 1), // 100 and 50: 75, 50 apart
		rv(11, ReviewSubmitted, 5, 3, 3), rv(11, ReviewSubmitted, 3, 5, 5), // 76 and 84: 80
		rv(12, ReviewSubmitted, 5, 5, 5), rv(12, ReviewSubmitted, 3, 3, 1), rv(12, ReviewConflicted), // 75, ties with 10
		rv(13, ReviewDraft, 5, 5, 5), rv(13, ReviewPending), // nothing submitted: unranked
	}
	rows := BuildRanking(c, apps, reviews, nil)
	type want struct {
		id                             int64
		rank                           int
		total                          float64
		submitted, assigned, conflicts int
		disagree                       bool
	}
	wants := []want{{11, 1, 80, 2, 2, 0, false}, {10, 2, 75, 2, 2, 0, true}, {12, 2, 75, 2, 2, 1, true}, {13, 0, 0, 0, 2, 0, false}}
	if len(rows) != len(wants) {
		t.Fatalf("%d rows, want %d", len(rows), len(wants))
	}
	for i, w := range wants {
		r := rows[i]
		total := 0.0
		if r.Total != nil {
			total = *r.Total
		}
		if r.ApplicationID != w.id || r.Rank != w.rank || total != w.total || r.Submitted != w.submitted || r.Assigned != w.assigned ||
			r.Conflicts != w.conflicts || r.Disagreement != w.disagree {
			t.Errorf("row %d: app %d rank %d total %v submitted %d/%d conflicts %d disagree %v; want %+v", i, r.ApplicationID, r.Rank, total,
				r.Submitted, r.Assigned, r.Conflicts, r.Disagreement, w)
		}
	}
	// Means per criterion of application 10: (5+3)/2, (5+3)/2, (5+1)/2.
	for i, m := range []float64{4, 4, 3} {
		if got := rows[1].Means[i]; got == nil || *got != m {
			t.Errorf("mean of criterion %d: %v, want %v", i, got, m)
		}
	}
	if rows[3].Means[0] != nil || rows[3].Total != nil {
		t.Errorf("an application without submitted reviews has no means or total")
	}
	// A spread equal to the margin is not a disagreement; above it is.
	c.DisagreementMargin = 50
	if rows := BuildRanking(c, apps[:1], reviews[:2], nil); rows[0].Disagreement || rows[0].Spread != 50 {
		t.Errorf("spread 50 at margin 50: flagged %v, spread %v", rows[0].Disagreement, rows[0].Spread)
	}
	c.DisagreementMargin = 49.99
	if rows := BuildRanking(c, apps[:1], reviews[:2], nil); !rows[0].Disagreement {
		t.Errorf("spread 50 at margin 49.99 not flagged")
	}
	// Without a margin the default applies.
	c.DisagreementMargin = 0
	if rows := BuildRanking(c, apps[1:2], reviews[2:4], nil); rows[0].Disagreement {
		t.Errorf("spread 8 flagged at the default margin")
	}
}

func TestRankTies(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	rows := []*RankRow{{ApplicationID: 1, Total: f(70)}, {ApplicationID: 2, Total: f(90)}, {ApplicationID: 3}, {ApplicationID: 4, Total: f(90)},
		{ApplicationID: 5, Total: f(70)}, {ApplicationID: 6, Total: f(60)}}
	Rank(rows)
	got := ""
	for _, r := range rows {
		got += itoa(int(r.ApplicationID)) + ":" + itoa(r.Rank) + " "
	}
	if want := "2:1 4:1 1:3 5:3 6:5 3:0 "; got != want {
		t.Errorf("ranks %q, want %q", got, want)
	}
}

func TestReviewInputCheck(t *testing.T) {
	cs := rankCriteria()
	in := ReviewInput{Scores: []CriterionScore{{Criterion: 0, Score: 2}, {Criterion: 1, Score: 3}, {Criterion: 1, Score: 5}, {Criterion: 7, Score: 1}},
		Submit: true}
	f := in.Check(cs)
	for _, field := range []string{"scores[0]", "scores[1]", "scores", "scores[2]"} {
		if !f.Has(field) {
			t.Errorf("no problem on %s: %v", field, f)
		}
	}
	draft := ReviewInput{Scores: []CriterionScore{{Criterion: 2, Score: 5, Comment: "  good "}, {Criterion: 0, Score: 1}}}
	if f := draft.Check(cs); len(f) != 0 {
		t.Errorf("a partial draft is fine: %v", f)
	}
	if draft.Scores[0].Criterion != 0 || draft.Scores[1].Comment != "good" {
		t.Errorf("scores not sorted and trimmed: %+v", draft.Scores)
	}
	d := DecisionInput{Decision: AppRejected, Reason: " "}
	if f := d.Check(); !f.Has("reason") {
		t.Errorf("a rejection needs a reason")
	}
	d = DecisionInput{Decision: AppSubmitted}
	if f := d.Check(); !f.Has("decision") {
		t.Errorf("only shortlisted or rejected")
	}
	ci := ConflictInput{Conflict: true}
	if f := ci.Check(); !f.Has("note") {
		t.Errorf("a conflict needs a note")
	}
}
