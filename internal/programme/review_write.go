package programme

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// AssignResult counts what an assignment did.
type AssignResult struct {
	Assigned   int `json:"assigned"`   // new assignments
	Already    int `json:"already"`    // reviewers already assigned
	Conflicted int `json:"conflicted"` // skipped: the reviewer declared a conflict
}

// checkReviewers verifies that ids name active reviewer accounts.
func checkReviewers(ctx context.Context, q db.Querier, ids []int64) ([]int64, error) {
	var f problem.Fields
	var out []int64
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		f.Add("reviewer_ids", "Choose at least one reviewer.")
		return nil, f.Err()
	}
	args := make([]any, len(out))
	for i, id := range out {
		args[i] = id
	}
	found := map[int64]bool{}
	err := db.Each(ctx, q, `SELECT id, role, disabled_at IS NOT NULL FROM users WHERE id IN (`+db.Placeholders(1, len(args))+`)`, args,
		func(rows *sql.Rows) error {
			var id int64
			var role string
			var disabled bool
			if err := rows.Scan(&id, &role, &disabled); err != nil {
				return err
			}
			switch {
			case role != string(user.Reviewer):
				f.Add("reviewer_ids", "Account #%d is not a reviewer account.", id)
			case disabled:
				f.Add("reviewer_ids", "Reviewer account #%d is disabled.", id)
			}
			found[id] = true
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("reviewers: %w", err)
	}
	for _, id := range out {
		if !found[id] {
			f.Add("reviewer_ids", "There is no account #%d.", id)
		}
	}
	return out, f.Err()
}

// assignOne assigns a reviewer to an application unless they already are;
// a declared conflict is reported with ok false.
func assignOne(ctx context.Context, tx *sql.Tx, actor user.Actor, a *Application, reviewerID int64, res *AssignResult) (bool, error) {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM application_reviews WHERE application_id = $1 AND reviewer_id = $2`,
		a.ID, reviewerID).Scan(&status)
	switch {
	case err == nil && ReviewStatus(status) == ReviewConflicted:
		res.Conflicted++
		return false, nil
	case err == nil:
		res.Already++
		return true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("assignment: %w", err)
	}
	now := db.Now()
	var by any
	if actor.UserID != 0 {
		by = actor.UserID
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO application_reviews (application_id, call_id, reviewer_id, status, assigned_by, assigned_at,
		updated_at) VALUES ($1,$2,$3,$4,$5,$6,$6) RETURNING id`, a.ID, a.CallID, reviewerID, string(ReviewPending), by, now).Scan(&id)
	if err != nil {
		return false, fmt.Errorf("assign reviewer: %w", err)
	}
	res.Assigned++
	return true, audit.Record(ctx, tx, actor, "assign", ReviewRecordType, id, nil,
		map[string]any{"application_id": a.ID, "reviewer_id": reviewerID, "status": ReviewPending})
}

// AssignReviewers assigns reviewer accounts to one submitted application.
// A reviewer who declared a conflict of interest on it cannot be assigned,
// and then nobody is.
func (s *Store) AssignReviewers(ctx context.Context, actor user.Actor, applicationID int64, reviewerIDs []int64) (AssignResult, error) {
	var res AssignResult
	if !MayEditSome(actor) {
		return res, problem.Forbiddenf("Only programme officers and administrators assign reviewers.")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := officerApplication(ctx, tx, actor, applicationID, "assign its reviewers")
		if err != nil {
			return err
		}
		if a.Status == AppDraft {
			return problem.Conflictf("Application #%d is a draft; reviewers are assigned once it is submitted.", a.ID)
		}
		ids, err := checkReviewers(ctx, tx, reviewerIDs)
		if err != nil {
			return err
		}
		for _, id := range ids {
			ok, err := assignOne(ctx, tx, actor, a, id, &res)
			if err != nil {
				return err
			}
			if !ok {
				var name string
				_ = tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, id).Scan(&name)
				return problem.Conflictf("%s declared a conflict of interest on application #%d and cannot be assigned to it.", name, a.ID)
			}
		}
		return nil
	})
	if err != nil {
		return AssignResult{}, err
	}
	return res, nil
}

// AssignReviewersToCall assigns reviewer accounts to every submitted
// application of a call, skipping those on which a reviewer declared a
// conflict of interest.
func (s *Store) AssignReviewersToCall(ctx context.Context, actor user.Actor, callID int64, reviewerIDs []int64) (AssignResult, error) {
	var res AssignResult
	if !MayEditSome(actor) {
		return res, problem.Forbiddenf("Only programme officers and administrators assign reviewers.")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, _, err := editableCall(ctx, tx, actor, callID)
		if err != nil {
			return err
		}
		ids, err := checkReviewers(ctx, tx, reviewerIDs)
		if err != nil {
			return err
		}
		var w where
		w.add("a.call_id = $%d", c.ID)
		w.add("a.status = $%d", string(AppSubmitted))
		var apps []*Application
		err = db.Each(ctx, tx, applicationSelect+w.String()+` ORDER BY a.id`, w.args, func(rows *sql.Rows) error {
			a, err := scanApplication(rows)
			if err == nil {
				apps = append(apps, a)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("call applications: %w", err)
		}
		if len(apps) == 0 {
			return problem.Conflictf("Call %s has no submitted application awaiting review.", c.Number)
		}
		for _, a := range apps {
			for _, id := range ids {
				if _, err := assignOne(ctx, tx, actor, a, id, &res); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return AssignResult{}, err
	}
	return res, nil
}

// DeclareConflict records the actor's declaration of conflict of interest
// on an application they are assigned to. A declared conflict unassigns
// them; the declaration is final.
func (s *Store) DeclareConflict(ctx context.Context, actor user.Actor, applicationID int64, in ConflictInput) (*Review, error) {
	var out *Review
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := myReview(ctx, tx, actor, applicationID)
		if err != nil {
			return err
		}
		if cur.Status != ReviewPending {
			return problem.Conflictf("You have already declared whether you have a conflict of interest on application #%d.", applicationID)
		}
		if err := in.Check().Err(); err != nil {
			return err
		}
		next := ReviewDraft
		if in.Conflict {
			next = ReviewConflicted
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE application_reviews SET status = $1, conflict_note = $2, declared_at = $3, updated_at = $3
			WHERE id = $4`, string(next), in.Note, now, cur.ID); err != nil {
			return fmt.Errorf("declare conflict: %w", err)
		}
		if out, err = myReview(ctx, tx, actor, applicationID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "declare_conflict", ReviewRecordType, cur.ID, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SaveReview stores the actor's score sheet of an application as a draft,
// or submits it when in.Submit (every criterion scored). Only an assigned
// reviewer who declared no conflict scores, until the panel decides.
func (s *Store) SaveReview(ctx context.Context, actor user.Actor, applicationID int64, in ReviewInput) (*Review, error) {
	var out *Review
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := myReview(ctx, tx, actor, applicationID)
		if err != nil {
			return err
		}
		switch cur.Status {
		case ReviewConflicted:
			return problem.Forbiddenf("You declared a conflict of interest on application #%d, so you may not score it.", applicationID)
		case ReviewPending:
			return problem.Conflictf("Declare whether you have a conflict of interest on application #%d before scoring it.", applicationID)
		case ReviewSubmitted:
			return problem.Conflictf("Your review of application #%d is submitted; it can no longer be changed.", applicationID)
		}
		var appStatus string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM applications WHERE id = $1`, applicationID).Scan(&appStatus); err != nil {
			return fmt.Errorf("application %d: %w", applicationID, err)
		}
		if AppStatus(appStatus) != AppSubmitted {
			return problem.Conflictf("The panel has decided on application #%d; reviews are closed.", applicationID)
		}
		c, err := loadCall(ctx, tx, user.System, cur.CallID)
		if err != nil {
			return err
		}
		if err := in.Check(c.Criteria).Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM review_scores WHERE review_id = $1`, cur.ID); err != nil {
			return fmt.Errorf("replace scores: %w", err)
		}
		for _, sc := range in.Scores {
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_scores (review_id, position, score, comment) VALUES ($1,$2,$3,$4)`,
				cur.ID, sc.Criterion, sc.Score, sc.Comment); err != nil {
				return fmt.Errorf("insert score: %w", err)
			}
		}
		now := db.Now()
		next, action, submitted := ReviewDraft, "save_review", any(nil)
		if in.Submit {
			next, action, submitted = ReviewSubmitted, "submit_review", now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE application_reviews SET status = $1, comment = $2, updated_at = $3, submitted_at = $4
			WHERE id = $5`, string(next), in.Comment, now, submitted, cur.ID); err != nil {
			return fmt.Errorf("save review: %w", err)
		}
		if out, err = myReview(ctx, tx, actor, applicationID); err != nil {
			return err
		}
		if t, ok := WeightedTotal(c.Criteria, out.Scores); ok && out.Status == ReviewSubmitted {
			out.WeightedTotal = &t
		}
		return audit.Record(ctx, tx, actor, action, ReviewRecordType, cur.ID, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Decide records the panel's decision on a submitted application and moves
// it to shortlisted or rejected. A decision may be revised; each one is
// audited. The caller emails the applicant (see DecisionMail).
func (s *Store) Decide(ctx context.Context, actor user.Actor, applicationID int64, in DecisionInput) (*Decision, *Application, error) {
	if !MayEditSome(actor) {
		return nil, nil, problem.Forbiddenf("Only programme officers and administrators record the panel's decisions.")
	}
	var d *Decision
	var a *Application
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := officerApplication(ctx, tx, actor, applicationID, "record decisions on its applications")
		if err != nil {
			return err
		}
		if cur.Status == AppDraft {
			return problem.Conflictf("Application #%d is a draft; the panel decides on submitted applications.", cur.ID)
		}
		if err := in.Check().Err(); err != nil {
			return err
		}
		before, err := findDecisions(ctx, tx, []int64{cur.ID})
		if err != nil {
			return err
		}
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO application_decisions (application_id, decision, reason, decided_by, decided_at)
			VALUES ($1,$2,$3,$4,$5) ON CONFLICT (application_id) DO UPDATE SET decision = excluded.decision, reason = excluded.reason,
			decided_by = excluded.decided_by, decided_at = excluded.decided_at`, cur.ID, string(in.Decision), in.Reason, by, db.Now())
		if err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		if err := setApplicationStatus(ctx, tx, cur.ID, in.Decision); err != nil {
			return err
		}
		after, err := findDecisions(ctx, tx, []int64{cur.ID})
		if err != nil {
			return err
		}
		d = after[cur.ID]
		if a, err = loadApplication(ctx, tx, user.System, cur.ID, appReadFilter); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "decide", ApplicationRecordType, cur.ID,
			map[string]any{"status": cur.Status, "decision": before[cur.ID]}, map[string]any{"status": a.Status, "decision": d})
	})
	if err != nil {
		return nil, nil, err
	}
	return d, a, nil
}
