package programme

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// CreateCall validates, stores and audits a new call of a programme, with
// its rules and criteria, in one transaction.
func (s *Store) CreateCall(ctx context.Context, actor user.Actor, in CallInput) (*Call, error) {
	var out *Call
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if in.ProgrammeID <= 0 {
			var f problem.Fields
			f.Add("programme_id", "Choose the programme the call belongs to.")
			return f.Err()
		}
		p, err := editableProgramme(ctx, tx, actor, in.ProgrammeID)
		if err != nil {
			if problem.Is(err, problem.NotFound) {
				var f problem.Fields
				f.Add("programme_id", "There is no programme #%d.", in.ProgrammeID)
				return f.Err()
			}
			return err
		}
		if p.Archived() {
			return problem.Conflictf("%s is archived; restore it before adding calls.", p.Name)
		}
		f := in.CheckCall(p.Env())
		if err := checkNumberFree(ctx, tx, in, 0, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := db.Now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO calls (programme_id, number, title, description, time_zone, opens_at, closes_at,
			full_plan_due_at, published, grant_ceiling, max_grant_share, min_counterpart_share, in_kind_rule, in_kind_share,
			created_by, created_at, updated_at, disagreement_margin) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16,$17)
			RETURNING id`,
			in.ProgrammeID, in.Number, in.Title, in.Description, in.TimeZone, in.OpensAt, in.ClosesAt, nullTime(in),
			in.Published, in.GrantCeiling, in.MaxGrantShare, in.MinCounterpartShare, string(in.InKindRule), in.InKindShare,
			by, now, in.DisagreementMargin).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert call: %w", err)
		}
		if err := writeCallDetails(ctx, tx, id, in); err != nil {
			return err
		}
		if out, err = loadCall(ctx, tx, user.System, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", CallRecordType, id, nil, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateCall replaces a call's properties, rules and criteria. The
// programme of in is ignored: a call stays in its programme.
func (s *Store) UpdateCall(ctx context.Context, actor user.Actor, id int64, in CallInput) (*Call, error) {
	return s.updateCall(ctx, actor, id, func(cur *Call) CallInput { in.ProgrammeID = cur.ProgrammeID; return in })
}

// PatchCall changes the fields the patch sets.
func (s *Store) PatchCall(ctx context.Context, actor user.Actor, id int64, p CallPatch) (*Call, error) {
	return s.updateCall(ctx, actor, id, func(cur *Call) CallInput { return p.Apply(CallInputOf(cur)) })
}

// editableCall loads a call and its programme when the actor may change them.
func editableCall(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Call, *Programme, error) {
	c, err := loadCall(ctx, q, actor, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := editableProgramme(ctx, q, actor, c.ProgrammeID)
	if err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

func (s *Store) updateCall(ctx context.Context, actor user.Actor, id int64, next func(*Call) CallInput) (*Call, error) {
	var out *Call
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, p, err := editableCall(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return problem.Conflictf("Call %s is archived; it must be restored before it can be edited.", cur.Number)
		}
		in := next(cur)
		f := in.CheckCall(p.Env())
		if err := checkNumberFree(ctx, tx, in, id, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := checkCriteriaUnlocked(ctx, tx, cur, in.Criteria); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE calls SET number = $1, title = $2, description = $3, time_zone = $4, opens_at = $5,
			closes_at = $6, full_plan_due_at = $7, published = $8, grant_ceiling = $9, max_grant_share = $10,
			min_counterpart_share = $11, in_kind_rule = $12, in_kind_share = $13, updated_at = $14, disagreement_margin = $15
			WHERE id = $16`,
			in.Number, in.Title, in.Description, in.TimeZone, in.OpensAt, in.ClosesAt, nullTime(in), in.Published,
			in.GrantCeiling, in.MaxGrantShare, in.MinCounterpartShare, string(in.InKindRule), in.InKindShare, db.Now(),
			in.DisagreementMargin, id)
		if err != nil {
			return fmt.Errorf("update call %d: %w", id, err)
		}
		for _, t := range []string{"call_criterion_levels", "call_criteria", "call_rules"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE call_id = $1`, id); err != nil {
				return fmt.Errorf("replace %s: %w", t, err)
			}
		}
		if err := writeCallDetails(ctx, tx, id, in); err != nil {
			return err
		}
		if out, err = loadCall(ctx, tx, user.System, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", CallRecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ArchiveCall takes a call out of lists and off its public page.
func (s *Store) ArchiveCall(ctx context.Context, actor user.Actor, id int64) (*Call, error) {
	return s.setCallArchived(ctx, actor, id, true)
}

// RestoreCall brings an archived call back.
func (s *Store) RestoreCall(ctx context.Context, actor user.Actor, id int64) (*Call, error) {
	return s.setCallArchived(ctx, actor, id, false)
}

func (s *Store) setCallArchived(ctx context.Context, actor user.Actor, id int64, archive bool) (*Call, error) {
	var out *Call
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, _, err := editableCall(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if cur.Archived() == archive {
			out = cur
			return nil
		}
		now := db.Now()
		var at any
		action := "restore"
		if archive {
			at, action = now, "archive"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, now, id); err != nil {
			return fmt.Errorf("%s call %d: %w", action, id, err)
		}
		if out, err = loadCall(ctx, tx, user.System, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, action, CallRecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkNumberFree adds a problem when another call of the programme has
// the number.
func checkNumberFree(ctx context.Context, q db.Querier, in CallInput, except int64, f *problem.Fields) error {
	if f.Has("number") {
		return nil
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls WHERE programme_id = $1 AND number = $2 AND id <> $3`,
		in.ProgrammeID, in.Number, except).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		f.Add("number", "The programme already has a call numbered %s.", in.Number)
	}
	return nil
}

// writeCallDetails stores the rules and the criteria with their levels.
func writeCallDetails(ctx context.Context, tx *sql.Tx, id int64, in CallInput) error {
	for i, r := range in.Rules {
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_rules (call_id, position, kind, params) VALUES ($1,$2,$3,$4)`,
			id, i, string(r.Kind), string(r.Params)); err != nil {
			return fmt.Errorf("insert rule: %w", err)
		}
	}
	for i, c := range in.Criteria {
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_criteria (call_id, position, name, description, weight) VALUES ($1,$2,$3,$4,$5)`,
			id, i, c.Name, c.Description, c.Weight); err != nil {
			return fmt.Errorf("insert criterion: %w", err)
		}
		for _, l := range c.Levels {
			if _, err := tx.ExecContext(ctx, `INSERT INTO call_criterion_levels (call_id, position, score, descriptor) VALUES ($1,$2,$3,$4)`,
				id, i, l.Score, l.Descriptor); err != nil {
				return fmt.Errorf("insert criterion level: %w", err)
			}
		}
	}
	return nil
}

func nullTime(in CallInput) any {
	if in.FullPlanDueAt == nil {
		return nil
	}
	return *in.FullPlanDueAt
}
