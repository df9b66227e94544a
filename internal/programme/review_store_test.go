package programme_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// reviewFixture is an open call with three submitted applications (the
// third asks more than the grant ceiling, so it is ineligible), drafted by
// an applicant account whose language is Spanish, and four reviewers.
type reviewFixture struct {
	*applyFixture
	apps      []*programme.Application
	draft     *programme.Application
	applicant user.Actor
	reviewers []user.Actor
	emails    map[int64]string
}

// account makes a user and returns it as an actor.
func account(t *testing.T, d *db.DB, role user.Role, scope, email, locale string) user.Actor {
	t.Helper()
	ctx := context.Background()
	sc, err := user.ParseScope(scope)
	if err != nil {
		t.Fatal(err)
	}
	var u *user.User
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		u, err = user.NewStore(d).CreateUser(ctx, tx, user.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, Scope: sc,
			Password: "correct horse battery"})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET locale = $1 WHERE id = $2`, locale, u.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return user.Actor{UserID: u.ID, Name: u.Name, Role: role, Scope: sc}
}

func newReviewFixture(t *testing.T, d *db.DB) *reviewFixture {
	t.Helper()
	ctx := context.Background()
	s := programme.NewStore(d)
	f := &reviewFixture{applyFixture: newApplyFixture(t, d), emails: map[int64]string{}}
	f.applicant = account(t, d, user.BSOStaff, fmt.Sprint("bso:", f.bso.ID), "applicant@bso.test", "es")
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE organisations SET email = 'office@bso.test' WHERE id = $1`, f.bso.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	en := i18n.For("en")
	for i, grant := range []int64{100_000_00, 120_000_00, 900_000_00} {
		in := f.input(grant)
		in.Title = fmt.Sprintf("Application %d", i+1)
		a, err := s.CreateApplication(ctx, f.applicant, in)
		if err != nil {
			t.Fatal(err)
		}
		if a, err = s.SubmitApplication(ctx, f.applicant, a.ID, en, nil); err != nil {
			t.Fatal(err)
		}
		f.apps = append(f.apps, a)
	}
	if *f.apps[0].Eligible != true || *f.apps[2].Eligible != false {
		t.Fatalf("eligibility of the fixture: %v %v", *f.apps[0].Eligible, *f.apps[2].Eligible)
	}
	if f.draft, err = s.CreateApplication(ctx, f.applicant, f.input(1)); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		r := account(t, d, user.Reviewer, "", fmt.Sprintf("reviewer%d@panel.test", i+1), "")
		f.reviewers = append(f.reviewers, r)
	}
	return f
}

// sheet is a full score sheet of the fixture's three criteria.
func fullSheet(scores ...int) programme.ReviewInput {
	in := programme.ReviewInput{Submit: true, Comment: "Overall fine."}
	for i, s := range scores {
		in.Scores = append(in.Scores, programme.CriterionScore{Criterion: i, Score: s, Comment: fmt.Sprintf("criterion %d", i)})
	}
	return in
}

func wantKind(t *testing.T, what string, err error, k problem.Kind) {
	t.Helper()
	if !problem.Is(err, k) {
		t.Fatalf("%s: want %s, got %v", what, k, err)
	}
}

func TestReviewerAssignmentAndConflict(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		f := newReviewFixture(t, d)
		r1, r2, r3 := f.reviewers[0], f.reviewers[1], f.reviewers[2]
		ids := []int64{r1.UserID, r2.UserID}

		_, err := s.AssignReviewersToCall(ctx, f.unrelatedOfficer, f.call.ID, ids)
		wantKind(t, "officer of another programme", err, problem.Forbidden)
		_, err = s.AssignReviewers(ctx, f.applicant, f.apps[0].ID, ids)
		wantKind(t, "applicant assigns", err, problem.Forbidden)
		_, err = s.AssignReviewers(ctx, f.programmeOfficer, f.apps[0].ID, []int64{f.applicant.UserID})
		wantFields(t, err, map[string]string{"reviewer_ids": "not a reviewer account"})
		_, err = s.AssignReviewers(ctx, f.programmeOfficer, f.apps[0].ID, nil)
		wantFields(t, err, map[string]string{"reviewer_ids": "Choose at least one reviewer"})
		_, err = s.AssignReviewers(ctx, f.programmeOfficer, f.draft.ID, ids)
		wantKind(t, "draft", err, problem.Conflict)

		res, err := s.AssignReviewersToCall(ctx, f.programmeOfficer, f.call.ID, ids)
		if err != nil || res.Assigned != 6 || res.Already != 0 {
			t.Fatalf("assign to call: %+v %v", res, err)
		}
		// Not yet declared: no scoring.
		_, err = s.SaveReview(ctx, r1, f.apps[0].ID, fullSheet(5, 5, 5))
		wantKind(t, "score before declaring", err, problem.Conflict)
		// Not assigned: refused with a clear message.
		_, err = s.SaveReview(ctx, r3, f.apps[0].ID, fullSheet(5, 5, 5))
		wantKind(t, "score unassigned", err, problem.Forbidden)
		if !strings.Contains(err.Error(), "not assigned") {
			t.Errorf("message: %v", err)
		}
		_, err = s.DeclareConflict(ctx, r3, f.apps[0].ID, programme.ConflictInput{})
		wantKind(t, "declare unassigned", err, problem.Forbidden)

		_, err = s.DeclareConflict(ctx, r2, f.apps[0].ID, programme.ConflictInput{Conflict: true})
		wantFields(t, err, map[string]string{"note": "conflict"})
		rv, err := s.DeclareConflict(ctx, r2, f.apps[0].ID, programme.ConflictInput{Conflict: true, Note: "I advise the lead firm."})
		if err != nil || rv.Status != programme.ReviewConflicted {
			t.Fatalf("declare conflict: %+v %v", rv, err)
		}
		_, err = s.DeclareConflict(ctx, r2, f.apps[0].ID, programme.ConflictInput{})
		wantKind(t, "declare twice", err, problem.Conflict)
		_, err = s.SaveReview(ctx, r2, f.apps[0].ID, fullSheet(5, 5, 5))
		wantKind(t, "score when conflicted", err, problem.Forbidden)
		if !strings.Contains(err.Error(), "conflict of interest") {
			t.Errorf("message: %v", err)
		}
		// The officer cannot assign them again, alone or in bulk.
		_, err = s.AssignReviewers(ctx, f.programmeOfficer, f.apps[0].ID, []int64{r3.UserID, r2.UserID})
		wantKind(t, "assign conflicted", err, problem.Conflict)
		if rs, _ := s.FindReviews(ctx, f.programmeOfficer, f.apps[0].ID); len(rs) != 2 {
			t.Errorf("a refused assignment writes nothing: %d reviews", len(rs))
		}
		res, err = s.AssignReviewersToCall(ctx, f.programmeOfficer, f.call.ID, []int64{r2.UserID, r3.UserID})
		if err != nil || res.Assigned != 3 || res.Already != 2 || res.Conflicted != 1 {
			t.Fatalf("bulk with a conflict: %+v %v", res, err)
		}
		// The declaration stays on record, flagged, and counts as no assignment.
		rk, err := s.FindRanking(ctx, f.programmeOfficer, f.call.ID, programme.RankingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rk.Rows {
			if row.ApplicationID == f.apps[0].ID && (row.Assigned != 2 || row.Conflicts != 1) {
				t.Errorf("conflict counts: %+v", row)
			}
		}
		mine, err := s.FindMyAssignments(ctx, r2)
		if err != nil || len(mine) != 3 || mine[2].Review.Status != programme.ReviewConflicted {
			t.Errorf("r2's list: %+v %v", mine, err)
		}
		wantAudit(t, d, programme.ReviewRecordType, rv.ID, "assign", "declare_conflict")
	})
}

func TestBlindScoringAndCriteriaLock(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		f := newReviewFixture(t, d)
		r1, r2, r3 := f.reviewers[0], f.reviewers[1], f.reviewers[2]
		app := f.apps[0].ID
		if _, err := s.AssignReviewers(ctx, f.programmeOfficer, app, []int64{r1.UserID, r2.UserID, r3.UserID}); err != nil {
			t.Fatal(err)
		}
		for _, r := range []user.Actor{r1, r2} {
			if _, err := s.DeclareConflict(ctx, r, app, programme.ConflictInput{}); err != nil {
				t.Fatal(err)
			}
		}
		// Validation: a missing criterion, a score that is no rubric level.
		in := fullSheet(5, 5)
		_, err := s.SaveReview(ctx, r1, app, in)
		wantFields(t, err, map[string]string{"scores[2]": "before submitting"})
		_, err = s.SaveReview(ctx, r1, app, fullSheet(4, 5, 5))
		wantFields(t, err, map[string]string{"scores[0]": "not a level"})
		draft := fullSheet(5, 5)
		draft.Submit = false
		rv, err := s.SaveReview(ctx, r1, app, draft)
		if err != nil || rv.Status != programme.ReviewDraft || len(rv.Scores) != 2 {
			t.Fatalf("draft: %+v %v", rv, err)
		}
		if _, err := s.SaveReview(ctx, r2, app, fullSheet(3, 3, 1)); err != nil {
			t.Fatal(err)
		}
		// r1 has not submitted: they see their own review only, not r2's submitted one.
		seen := func(who user.Actor) string {
			rs, err := s.FindReviews(ctx, who, app)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, r := range rs {
				names = append(names, fmt.Sprintf("%s:%d", r.ReviewerName, len(r.Scores)))
			}
			return strings.Join(names, ",")
		}
		if got := seen(r1); got != "reviewer1:2" {
			t.Errorf("r1 before submitting sees %q", got)
		}
		if got := seen(r3); got != "reviewer3:0" {
			t.Errorf("r3 (pending) sees %q", got)
		}
		// r2 submitted: sees the others' submitted reviews, not r1's draft.
		if got := seen(r2); got != "reviewer2:3" {
			t.Errorf("r2 after submitting sees %q", got)
		}
		if got := seen(f.programmeOfficer); got != "reviewer1:2,reviewer2:3,reviewer3:0" {
			t.Errorf("officer sees %q", got)
		}
		if got := seen(f.applicant); got != "" {
			t.Errorf("the applicant sees %q", got)
		}
		rv, err = s.SaveReview(ctx, r1, app, fullSheet(5, 5, 5))
		if err != nil || rv.Status != programme.ReviewSubmitted || rv.WeightedTotal == nil || *rv.WeightedTotal != 100 {
			t.Fatalf("submit: %+v %v", rv, err)
		}
		if got := seen(r1); got != "reviewer1:3,reviewer2:3" {
			t.Errorf("r1 after submitting sees %q", got)
		}
		_, err = s.SaveReview(ctx, r1, app, fullSheet(1, 1, 1))
		wantKind(t, "change a submitted review", err, problem.Conflict)
		wantAudit(t, d, programme.ReviewRecordType, rv.ID, "assign", "declare_conflict", "save_review", "submit_review")

		// Criteria are locked once scored; other settings are not.
		c, err := s.FindCallByID(ctx, f.programmeOfficer, f.call.ID)
		if err != nil {
			t.Fatal(err)
		}
		in2 := programme.CallInputOf(c)
		in2.Criteria[0].Weight, in2.Criteria[1].Weight = 30, 45
		_, err = s.UpdateCall(ctx, f.programmeOfficer, c.ID, in2)
		wantKind(t, "change scored criteria", err, problem.Conflict)
		if !strings.Contains(err.Error(), "criteria can no longer change") {
			t.Errorf("message: %v", err)
		}
		margin := 35.5
		c2, err := s.PatchCall(ctx, f.programmeOfficer, c.ID, programme.CallPatch{DisagreementMargin: &margin})
		if err != nil || c2.DisagreementMargin != 35.5 {
			t.Fatalf("margin: %v %v", c2, err)
		}
		bad := 120.0
		_, err = s.PatchCall(ctx, f.programmeOfficer, c.ID, programme.CallPatch{DisagreementMargin: &bad})
		wantFields(t, err, map[string]string{"disagreement_margin": "from 0 to 100"})
	})
}

// scoreAll has reviewers r1 and r2 declare and submit sheets on the
// fixture's applications: application 1 100 and 50 (75, 50 apart),
// application 2 76 and 84 (80), application 3 100 and 50 (75, a tie).
func scoreAll(t *testing.T, s *programme.Store, f *reviewFixture) {
	t.Helper()
	ctx := context.Background()
	r1, r2 := f.reviewers[0], f.reviewers[1]
	if _, err := s.AssignReviewersToCall(ctx, f.programmeOfficer, f.call.ID, []int64{r1.UserID, r2.UserID}); err != nil {
		t.Fatal(err)
	}
	sheets := map[int64][2][]int{f.apps[0].ID: {{5, 5, 5}, {3, 3, 1}}, f.apps[1].ID: {{5, 3, 3}, {3, 5, 5}}, f.apps[2].ID: {{5, 5, 5}, {3, 3, 1}}}
	for app, pair := range sheets {
		for i, r := range []user.Actor{r1, r2} {
			if _, err := s.DeclareConflict(ctx, r, app, programme.ConflictInput{}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SaveReview(ctx, r, app, fullSheet(pair[i]...)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestRankingDashboard(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		f := newReviewFixture(t, d)
		scoreAll(t, s, f)
		_, err := s.FindRanking(ctx, f.unrelatedOfficer, f.call.ID, programme.RankingFilter{})
		wantKind(t, "other programme's officer", err, problem.Forbidden)
		_, err = s.FindRanking(ctx, f.reviewers[0], f.call.ID, programme.RankingFilter{})
		wantKind(t, "reviewer", err, problem.Forbidden)

		rk, err := s.FindRanking(ctx, f.programmeOfficer, f.call.ID, programme.RankingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, r := range rk.Rows {
			got += fmt.Sprintf("%s:%d:%.2f:%v:%d/%d ", r.Title, r.Rank, *r.Total, r.Disagreement, r.Submitted, r.Assigned)
		}
		want := "Application 2:1:80.00:false:2/2 Application 1:2:75.00:true:2/2 Application 3:2:75.00:true:2/2 "
		if got != want {
			t.Errorf("ranking\n got %s\nwant %s", got, want)
		}
		if m := rk.Rows[1].Means; *m[0] != 4 || *m[1] != 4 || *m[2] != 3 {
			t.Errorf("means of application 1: %v %v %v", *m[0], *m[1], *m[2])
		}
		// Filters keep the call's ranks.
		rk, err = s.FindRanking(ctx, f.programmeOfficer, f.call.ID, programme.RankingFilter{Eligibility: "ineligible"})
		if err != nil || len(rk.Rows) != 1 || rk.Rows[0].Title != "Application 3" || rk.Rows[0].Rank != 2 {
			t.Errorf("ineligible filter: %+v %v", rk.Rows, err)
		}
		rk, err = s.FindRanking(ctx, f.programmeOfficer, f.call.ID, programme.RankingFilter{Country: "JAM"})
		if err != nil || len(rk.Rows) != 0 || strings.Join(rk.Countries, ",") != "BRB" {
			t.Errorf("country filter: %+v %v %v", rk.Rows, rk.Countries, err)
		}
		// A wider margin clears the flags.
		margin := 50.0
		if _, err := s.PatchCall(ctx, f.programmeOfficer, f.call.ID, programme.CallPatch{DisagreementMargin: &margin}); err != nil {
			t.Fatal(err)
		}
		rk, _ = s.FindRanking(ctx, f.programmeOfficer, f.call.ID, programme.RankingFilter{})
		for _, r := range rk.Rows {
			if r.Disagreement {
				t.Errorf("%s flagged at margin 50 (spread %v)", r.Title, r.Spread)
			}
		}

		// The workbook has the ranking and every reviewer's scores.
		var buf bytes.Buffer
		if err := programme.WriteRankingXLSX(&buf, i18n.For("en"), rk, map[string]string{"BRB": "Barbados"}); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		cells := map[string]string{"A1": "Rank", "C1": "Application", "J1": "Employment impact (40%)", "M1": "Weighted total",
			"A2": "1", "C2": "Application 2", "E2": "Barbados", "F2": "Meets every eligibility rule", "G2": "2", "M2": "80",
			"A4": "2", "C4": "Application 3", "F4": "Does not meet every eligibility rule", "M4": "75", "O4": "No"}
		for cell, want := range cells {
			if got, _ := x.GetCellValue(programme.RankingSheet, cell); got != want {
				t.Errorf("Ranking!%s = %q, want %q", cell, got, want)
			}
		}
		rows, err := x.GetRows(programme.ScoresSheet)
		if err != nil || len(rows) != 7 {
			t.Fatalf("Scores: %d rows, %v", len(rows), err)
		}
		if got := strings.Join(rows[1][:9], "|"); got != fmt.Sprintf("%d|Application 2|reviewer1|Submitted||5|3|3|76", f.apps[1].ID) {
			t.Errorf("Scores row 2: %s", got)
		}
	})
}

// captureSender keeps the messages it is asked to send.
type captureSender struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (c *captureSender) Send(_ context.Context, m mail.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, m)
	return nil
}

func TestDecisionAndMail(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		f := newReviewFixture(t, d)
		scoreAll(t, s, f)
		app := f.apps[0].ID
		_, _, err := s.Decide(ctx, f.reviewers[0], app, programme.DecisionInput{Decision: programme.AppShortlisted})
		wantKind(t, "reviewer decides", err, problem.Forbidden)
		_, _, err = s.Decide(ctx, f.unrelatedOfficer, app, programme.DecisionInput{Decision: programme.AppShortlisted})
		wantKind(t, "other officer decides", err, problem.NotFound) // out of their scope
		_, _, err = s.Decide(ctx, f.programmeOfficer, app, programme.DecisionInput{Decision: programme.AppRejected})
		wantFields(t, err, map[string]string{"reason": "reason"})
		_, _, err = s.Decide(ctx, f.programmeOfficer, f.draft.ID, programme.DecisionInput{Decision: programme.AppShortlisted})
		wantKind(t, "decide a draft", err, problem.Conflict)

		dec, a, err := s.Decide(ctx, f.programmeOfficer, app, programme.DecisionInput{Decision: programme.AppRejected,
			Reason: "The budget does not match the plan."})
		if err != nil || a.Status != programme.AppRejected || dec.Reason != "The budget does not match the plan." {
			t.Fatalf("decide: %+v %+v %v", dec, a, err)
		}
		box := &captureSender{}
		sent, err := s.DecisionMail(ctx, box, "https://obs.example/", a, dec, "en")
		if err != nil || strings.Join(sent, ",") != "applicant@bso.test,office@bso.test" {
			t.Fatalf("sent to %v: %v", sent, err)
		}
		m := box.msgs[0]
		// In the applicant's language, with the reason and the link.
		if !strings.Contains(m.Subject, "Application 1") || !strings.Contains(m.Body, "no la ha seleccionado") ||
			!strings.Contains(m.Body, "The budget does not match the plan.") ||
			!strings.Contains(m.Body, fmt.Sprintf("https://obs.example/applications/%d/panel", app)) {
			t.Errorf("message: %+v", m)
		}
		got, err := s.FindDecision(ctx, f.applicant, app)
		if err != nil || got.Decision != programme.AppRejected {
			t.Errorf("applicant reads the decision: %+v %v", got, err)
		}
		// A revised decision is audited too.
		if _, _, err := s.Decide(ctx, f.programmeOfficer, app, programme.DecisionInput{Decision: programme.AppShortlisted}); err != nil {
			t.Fatal(err)
		}
		rk, _ := s.FindRanking(ctx, f.programmeOfficer, f.call.ID, programme.RankingFilter{})
		for _, r := range rk.Rows {
			if r.ApplicationID == app && (r.Decision == nil || r.Decision.Decision != programme.AppShortlisted || r.Status != programme.AppShortlisted) {
				t.Errorf("ranking decision: %+v", r)
			}
		}
		wantAudit(t, d, programme.ApplicationRecordType, app, "create", "submit", "decide", "decide")
		// Reviews close with the decision.
		r3 := f.reviewers[2]
		if _, err := s.AssignReviewers(ctx, f.programmeOfficer, app, []int64{r3.UserID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeclareConflict(ctx, r3, app, programme.ConflictInput{}); err != nil {
			t.Fatal(err)
		}
		_, err = s.SaveReview(ctx, r3, app, fullSheet(5, 5, 5))
		wantKind(t, "score after the decision", err, problem.Conflict)
		_, err = s.FindDecision(ctx, f.applicant, f.apps[1].ID)
		wantKind(t, "no decision yet", err, problem.NotFound)
	})
}
