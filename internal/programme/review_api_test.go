package programme_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestPanelReviewAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		r := newReviewEnv(t, d)
		e := r.e
		off, ap := e.Token(r.officer), e.Token(r.applicant)
		t1, t2, t3 := e.Token(r.reviewers[0]), e.Token(r.reviewers[1]), e.Token(r.reviewers[2])
		other := e.Token(e.CreateUser(user.ProgrammeOfficer, "programme:999999"))
		app := r.apps[0].ID
		reviews := fmt.Sprintf("/api/v1/applications/%d/reviews", app)
		ranking := fmt.Sprintf("/api/v1/calls/%d/ranking", r.f.call.ID)
		decision := fmt.Sprintf("/api/v1/applications/%d/decision", app)

		// Ranking: officer roles only.
		wantStatus(t, "ranking anonymously", e.API("GET", ranking, "", nil), http.StatusUnauthorized)
		for who, tok := range map[string]string{"reviewer": t1, "applicant": ap, "officer of another programme": other} {
			wantProblem(t, "ranking as "+who, e.API("GET", ranking, tok, nil), http.StatusForbidden)
		}
		res := e.API("GET", ranking, off, nil)
		wantStatus(t, "ranking", res, 200)
		var rk programme.RankingResponse
		res.JSON(t, &rk)
		if len(rk.Items) != 2 || rk.DisagreementMargin != 20 || len(rk.Criteria) != 3 || rk.Items[0].Rank != 0 {
			t.Errorf("ranking before reviews: %s", res.Body)
		}
		wantProblem(t, "bad filter", e.API("GET", ranking+"?eligibility=perhaps", off, nil), http.StatusUnprocessableEntity, "eligibility")

		if _, err := programme.NewStore(d).AssignReviewersToCall(t.Context(), actorOf(r.officer), r.f.call.ID,
			[]int64{r.reviewers[0].ID, r.reviewers[1].ID}); err != nil {
			t.Fatal(err)
		}
		// Reviews: not for the applicant nor an unassigned reviewer.
		wantProblem(t, "reviews as applicant", e.API("GET", reviews, ap, nil), http.StatusForbidden)
		wantProblem(t, "reviews as unassigned reviewer", e.API("GET", reviews, t3, nil), http.StatusForbidden)
		wantProblem(t, "scores as unassigned reviewer", e.API("PUT", reviews, t3, map[string]any{"scores": []any{}}), http.StatusForbidden)
		wantProblem(t, "scores before declaring", e.API("PUT", reviews, t1, map[string]any{"scores": []any{}}), http.StatusConflict)

		// r1 declares and scores in one request; a score outside the rubric is refused.
		bad := map[string]any{"conflict": map[string]any{"conflict": false},
			"scores": []map[string]any{{"criterion": 0, "score": 2}, {"criterion": 1, "score": 5}}, "submit": true}
		wantProblem(t, "bad scores", e.API("PUT", reviews, t1, bad), http.StatusUnprocessableEntity, "scores[0]", "scores[2]")
		draft := map[string]any{"scores": []map[string]any{{"criterion": 0, "score": 5, "comment": "Many jobs"}}}
		res = e.API("PUT", reviews, t1, draft)
		wantStatus(t, "draft", res, 200)
		var rv programme.Review
		res.JSON(t, &rv)
		if rv.Status != programme.ReviewDraft || len(rv.Scores) != 1 || rv.Scores[0].Comment != "Many jobs" {
			t.Errorf("draft: %s", res.Body)
		}
		// r2 submits a full sheet; r1 (drafting) still sees only their own review.
		full := map[string]any{"conflict": map[string]any{"conflict": false}, "comment": "Good",
			"scores": []map[string]any{{"criterion": 0, "score": 3}, {"criterion": 1, "score": 3}, {"criterion": 2, "score": 1}}, "submit": true}
		res = e.API("PUT", reviews, t2, full)
		wantStatus(t, "r2 submits", res, 200)
		res.JSON(t, &rv)
		if rv.Status != programme.ReviewSubmitted || rv.WeightedTotal == nil || *rv.WeightedTotal != 50 {
			t.Errorf("r2's review: %s", res.Body)
		}
		var list programme.ReviewList
		e.API("GET", reviews, t1, nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ReviewerID != r.reviewers[0].ID {
			t.Errorf("r1 before submitting: %+v", list.Items)
		}
		e.API("GET", reviews, off, nil).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("officer: %+v", list.Items)
		}
		full["conflict"] = nil
		full["scores"] = []map[string]any{{"criterion": 0, "score": 5}, {"criterion": 1, "score": 5}, {"criterion": 2, "score": 5}}
		wantStatus(t, "r1 submits", e.API("PUT", reviews, t1, full), 200)
		e.API("GET", reviews, t1, nil).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("r1 after submitting: %+v", list.Items)
		}
		e.API("GET", ranking, off, nil).JSON(t, &rk)
		if it := rk.Items[0]; it.ApplicationID != app || it.Rank != 1 || it.Total == nil || *it.Total != 75 || !it.Disagreement {
			t.Errorf("ranking after reviews: %+v", rk.Items[0])
		}

		// Decision: officers only, reason for a rejection, the applicant emailed.
		wantProblem(t, "reviewer decides", e.API("POST", decision, t1, map[string]any{"decision": "shortlisted"}), http.StatusForbidden)
		wantProblem(t, "applicant decides", e.API("POST", decision, ap, map[string]any{"decision": "shortlisted"}), http.StatusForbidden)
		wantProblem(t, "rejection without reason", e.API("POST", decision, off, map[string]any{"decision": "rejected"}),
			http.StatusUnprocessableEntity, "reason")
		res = e.API("POST", decision, off, map[string]any{"decision": "rejected", "reason": "Too little co-financing."})
		wantStatus(t, "reject", res, 200)
		var dr programme.DecisionResponse
		res.JSON(t, &dr)
		if dr.ApplicationStatus != programme.AppRejected || len(dr.Notified) != 1 || dr.Notified[0] != r.applicant.Email {
			t.Errorf("decision: %s", res.Body)
		}
		if m, ok := e.Mail.Last(r.applicant.Email); !ok || m.Body == "" {
			t.Errorf("no email to the applicant")
		}
		wantProblem(t, "change a submitted review", e.API("PUT", fmt.Sprintf("/api/v1/applications/%d/reviews", app), t2, full),
			http.StatusConflict)
	})
}
