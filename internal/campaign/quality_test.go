package campaign

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
)

func ratio(num, den int) indicator.QualityRatio { return indicator.QualityRatio{Num: num, Den: den} }

func TestQualityScore(t *testing.T) {
	deadline := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // the end of 28 February
	onTime, late := deadline.Add(-time.Second), deadline
	for _, c := range []struct {
		name  string
		facts qualityFacts
		want  Quality
		score float64 // -1: not defined
	}{
		{"draft", qualityFacts{status: StatusDraft, invited: 4}, Quality{}, -1},
		{"no answers: completeness is 0, the rest no data", qualityFacts{status: StatusOpen, invited: 4},
			Quality{Completeness: ratio(0, 4)}, 0},
		{"answers, none approved", qualityFacts{status: StatusOpen, invited: 4, answered: map[int64]time.Time{1: onTime, 2: late}},
			Quality{Completeness: ratio(2, 4), Timeliness: ratio(1, 2)}, 0.5},
		{"all three parts", qualityFacts{status: StatusClosed, invited: 3, answered: map[int64]time.Time{1: onTime, 2: onTime, 3: late},
			consistency: ratio(1, 4)}, Quality{Completeness: ratio(3, 3), Timeliness: ratio(2, 3), Consistency: ratio(1, 4)},
			(1 + 2.0/3 + 0.25) / 3},
		{"no respondents left", qualityFacts{status: StatusOpen}, Quality{}, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.facts.deadline = deadline
			q := c.facts.score()
			if q.Completeness != c.want.Completeness || q.Timeliness != c.want.Timeliness || q.Consistency != c.want.Consistency {
				t.Errorf("ratios = %+v, want %+v", q, c.want)
			}
			switch {
			case c.score < 0 && q.Defined():
				t.Errorf("score = %v, want none", q.Overall())
			case c.score >= 0 && (!q.Defined() || math.Abs(q.Overall()-c.score) > 1e-9):
				t.Errorf("score = %v (defined %v), want %v", q.Overall(), q.Defined(), c.score)
			}
		})
	}
}

func TestQualityByBSO(t *testing.T) {
	a, b := int64(7), int64(9)
	cs := []*Campaign{{ID: 1, BSOID: &a, Status: StatusOpen}, {ID: 2, BSOID: &a, Status: StatusClosed}, {ID: 3, BSOID: &b, Status: StatusOpen},
		{ID: 4, Status: StatusOpen}, {ID: 5, BSOID: &b, Status: StatusDraft}}
	qs := map[int64]*Quality{
		1: {Completeness: ratio(1, 2), Timeliness: ratio(1, 1)},
		2: {Completeness: ratio(2, 2), Timeliness: ratio(1, 2), Consistency: ratio(3, 4)},
		3: {Completeness: ratio(0, 5)},
		4: {Completeness: ratio(1, 1), Timeliness: ratio(1, 1)},
		5: {},
	}
	rows := qualityByBSO(cs, qs, map[int64]string{a: "Zeta Agency", b: "Alpha Agency"})
	if len(rows) != 3 || rows[0].BSOID != b || rows[1].BSOID != a || rows[2].BSOID != 0 {
		t.Fatalf("rows = %+v", rows)
	}
	if rows[0].Campaigns != 1 || rows[0].Completeness != ratio(0, 5) || rows[0].Timeliness.Defined() || rows[0].Overall() != 0 {
		t.Errorf("Alpha = %+v", rows[0])
	}
	za := rows[1]
	if za.Campaigns != 2 || za.Completeness != ratio(3, 4) || za.Timeliness != ratio(2, 3) || za.Consistency != ratio(3, 4) {
		t.Errorf("Zeta = %+v", za)
	}
	if want := (0.75 + 2.0/3 + 0.75) / 3; math.Abs(za.Overall()-want) > 1e-9 {
		t.Errorf("Zeta overall = %v, want %v", za.Overall(), want)
	}
	if rows[2].Overall() != 1 {
		t.Errorf("no BSO = %+v", rows[2])
	}
}

// TestCampaignQuality: known submissions give known scores. Of the three
// respondents, firm1 answers late with 60 employees (above the rule's 50),
// firm2 answers on time and corrects it after the deadline, firm3's answer
// is rejected; firm1 and firm2 are approved. Revoking firm3's link takes
// it out of the respondents.
func TestCampaignQuality(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		draft, err := f.s.CreateCampaign(ctx, admin, f.input())
		if err != nil {
			t.Fatal(err)
		}
		c, _ := f.open(t, f.input())
		qs, err := f.s.Qualities(ctx, []*Campaign{draft, c})
		if err != nil {
			t.Fatal(err)
		}
		if q := qs[draft.ID]; q.Completeness.Defined() || q.Defined() {
			t.Errorf("draft = %+v", q)
		}
		q := qs[c.ID]
		if q.Completeness != ratio(0, 3) || q.Timeliness.Defined() || q.Consistency.Defined() || !q.Defined() || q.Overall() != 0 {
			t.Errorf("no answers yet = %+v", q)
		}

		if _, err := f.s.indicators.CreateRule(ctx, admin, indicator.RuleInput{Name: "At most 50 employees", Left: "TEST_EMP",
			Operator: indicator.OpLessOrEqual, Right: "50", Importance: indicator.ImportanceHigh, LeftMissing: indicator.SkipIfAnyMissing,
			RightMissing: indicator.SkipIfAnyMissing, PeriodType: indicator.PeriodYear}); err != nil {
			t.Fatal(err)
		}
		submit := func(org int64, total int, deprecated string) *Submission {
			t.Helper()
			sub, _, err := f.s.Submit(ctx, SubmissionInput{Token: f.link(t, c, org), FormVersionID: f.version, InstanceID: NewInstanceID(),
				DeprecatedID: deprecated, Channel: ChannelWeb, Answers: answers(t, total, 4)})
			if err != nil {
				t.Fatal(err)
			}
			return sub
		}
		receivedAt := func(sub *Submission, at time.Time) {
			t.Helper()
			if _, err := d.SQL().ExecContext(ctx, `UPDATE submissions SET received_at = $1 WHERE id = $2`, at, sub.ID); err != nil {
				t.Fatal(err)
			}
		}
		review := func(sub *Submission, dec Decision, comment string) {
			t.Helper()
			if _, err := f.s.ReviewSubmission(ctx, admin, sub.ID, dec, comment); err != nil {
				t.Fatal(err)
			}
		}
		afterDeadline := endOfDay(c.Deadline).Add(time.Hour)
		late := submit(f.firm1, 60, "")
		receivedAt(late, afterDeadline)
		first := submit(f.firm2, 10, "")
		edit := submit(f.firm2, 12, first.InstanceID)
		receivedAt(edit, afterDeadline)
		rejected := submit(f.firm3, 5, "")
		review(rejected, DecideReject, "Not this firm's figures.")
		review(late, DecideApprove, "")
		review(edit, DecideApprove, "")

		c, _ = f.s.FindCampaign(ctx, admin, c.ID)
		q, err = f.s.CampaignQuality(ctx, admin, c)
		if err != nil {
			t.Fatal(err)
		}
		// Completeness: firm1 and firm2 of three. Timeliness: firm2 (its
		// correction keeps the first arrival), not firm1. Consistency:
		// firm2's value, not firm1's 60 > 50.
		if q.Completeness != ratio(2, 3) || q.Timeliness != ratio(1, 2) || q.Consistency != ratio(1, 2) {
			t.Errorf("quality = %+v", q)
		}
		if want := (2.0/3 + 0.5 + 0.5) / 3; math.Abs(q.Overall()-want) > 1e-9 {
			t.Errorf("overall = %v, want %v", q.Overall(), want)
		}

		var inv int64
		d.Read().QueryRowContext(ctx, `SELECT id FROM campaign_invitations WHERE campaign_id = $1 AND organisation_id = $2`, c.ID, f.firm3).Scan(&inv)
		if _, err := f.s.RevokeInvitation(ctx, admin, inv); err != nil {
			t.Fatal(err)
		}
		if q, _ = f.s.CampaignQuality(ctx, admin, c); q.Completeness != ratio(2, 2) {
			t.Errorf("after revoking firm3: %+v", q.Completeness)
		}

		// Per BSO: the open campaign only (the draft is left out).
		rows, err := f.s.QualityByBSO(ctx, admin, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].BSOID != f.bso || rows[0].BSOName != "Jamaica Business Development" || rows[0].Campaigns != 1 ||
			rows[0].Completeness != ratio(2, 2) || rows[0].Consistency != ratio(1, 2) {
			t.Errorf("by BSO = %+v", rows)
		}
		// The other BSO's staff run none of these campaigns.
		if rows, err := f.s.QualityByBSO(ctx, bsoActor(f.otherBSO), nil); err != nil || len(rows) != 0 {
			t.Errorf("other BSO: %+v %v", rows, err)
		}
	})
}
