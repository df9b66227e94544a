package indicator

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// RecordType names indicators in the audit log.
const RecordType = "indicator"

// CreateIndicator validates, stores and audits a new indicator. Only
// administrators and programme officers define indicators, and only
// administrators mark one as a programme standard.
func (s *Store) CreateIndicator(ctx context.Context, actor user.Actor, in Input) (*Indicator, error) {
	if !MayEditIndicators(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers may define indicators.")
	}
	f := in.check()
	if in.Standard && !actor.IsAdmin() {
		f.Add("standard", "Only an administrator may mark an indicator as a programme standard.")
	}
	var out *Indicator
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkRefs(ctx, tx, &in, 0, &f); err != nil {
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
		err := tx.QueryRowContext(ctx, `INSERT INTO indicators (code, name, definition, unit, level, calculation, direction,
			subject_aggregation, time_aggregation, weight_code, means_of_verification, frequency, responsible_role, standard,
			formula, created_by, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17) RETURNING id`,
			in.Code, in.Name, in.Definition, in.Unit, in.Level, in.Calculation, in.Direction, in.SubjectAggregation,
			in.TimeAggregation, in.WeightCode, in.MeansOfVerification, in.Frequency, in.ResponsibleRole, in.Standard,
			in.Formula, by, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return problem.Fields{{Field: "code", Message: fmt.Sprintf("Another indicator already has the code %s.", in.Code)}}.Err()
		}
		if err != nil {
			return fmt.Errorf("insert indicator: %w", err)
		}
		if err := writeDimensions(ctx, tx, id, in.Dimensions); err != nil {
			return err
		}
		if out, err = loadIndicator(ctx, tx, "i.id = $1", id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", RecordType, id, nil, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateIndicator changes a reference sheet. The reason is required and
// kept in the change log with the fields that changed; an edit that changes
// nothing writes nothing. The code never changes, since formulas and data
// refer to it.
func (s *Store) UpdateIndicator(ctx context.Context, actor user.Actor, id int64, up Update) (*Indicator, error) {
	if !MayEditIndicators(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers may edit indicators.")
	}
	var out *Indicator
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Touch the row first so that on PostgreSQL a second editor waits
		// for this one and then diffs against what it saved.
		if _, err := tx.ExecContext(ctx, `UPDATE indicators SET updated_at = updated_at WHERE id = $1`, id); err != nil {
			return fmt.Errorf("lock indicator %d: %w", id, err)
		}
		cur, err := loadIndicator(ctx, tx, "i.id = $1", id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return problem.Conflictf("%s is archived; it must be restored before it can be edited.", cur.Code)
		}
		in := up.Input
		f := in.check()
		if in.Code != cur.Code && !f.Has("code") {
			f.Add("code", "The code cannot change once set (it stays %s): formulas and data refer to it.", cur.Code)
		}
		if in.Standard != cur.Standard && !actor.IsAdmin() {
			f.Add("standard", "Only an administrator may change whether an indicator is a programme standard.")
		}
		checkReason(&up.Reason, &f)
		if err := checkRefs(ctx, tx, &in, id, &f); err != nil {
			return err
		}
		if err := checkDroppedDimensions(ctx, tx, cur, in.Dimensions, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		changes := Diff(InputOf(cur), in)
		if len(changes) == 0 {
			out = cur
			return nil
		}
		now := db.Now()
		_, err = tx.ExecContext(ctx, `UPDATE indicators SET name = $1, definition = $2, unit = $3, level = $4, calculation = $5,
			direction = $6, subject_aggregation = $7, time_aggregation = $8, weight_code = $9, means_of_verification = $10,
			frequency = $11, responsible_role = $12, standard = $13, formula = $14, updated_at = $15 WHERE id = $16`,
			in.Name, in.Definition, in.Unit, in.Level, in.Calculation, in.Direction, in.SubjectAggregation, in.TimeAggregation,
			in.WeightCode, in.MeansOfVerification, in.Frequency, in.ResponsibleRole, in.Standard, in.Formula, now, id)
		if err != nil {
			return fmt.Errorf("update indicator %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM indicator_disaggregations WHERE indicator_id = $1`, id); err != nil {
			return err
		}
		if err := writeDimensions(ctx, tx, id, in.Dimensions); err != nil {
			return err
		}
		j, _ := json.Marshal(changes)
		var uid any
		if actor.UserID != 0 {
			uid = actor.UserID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO indicator_changes (indicator_id, at, user_id, actor, changes_json, reason)
			VALUES ($1,$2,$3,$4,$5,$6)`, id, now, uid, actor.Label(), string(j), up.Reason)
		if err != nil {
			return fmt.Errorf("indicator change log: %w", err)
		}
		if out, err = loadIndicator(ctx, tx, "i.id = $1", id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", RecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func writeDimensions(ctx context.Context, tx *sql.Tx, id int64, dims []string) error {
	for _, d := range dims {
		if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_disaggregations (indicator_id, dimension_code) VALUES ($1, $2)`, id, d); err != nil {
			return fmt.Errorf("indicator %d dimension %s: %w", id, d, err)
		}
	}
	return nil
}

// checkDroppedDimensions refuses to drop a dimension that baselines or
// targets are set for.
func checkDroppedDimensions(ctx context.Context, q db.Querier, cur *Indicator, dims []string, f *problem.Fields) error {
	for _, d := range cur.Dimensions {
		if oneOf(d, dims) {
			continue
		}
		var n int
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_targets WHERE indicator_id = $1 AND dimension_code = $2`, cur.ID, d).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			f.Add("dimensions", "Baselines or targets are set by %s (%d of them); the disaggregation cannot be dropped.", d, n)
		}
	}
	return nil
}

// ArchiveIndicator takes an indicator out of lists and choices; it is kept
// with its change log and targets. An indicator that active formulas or
// weighted averages use cannot be archived, nor can a programme standard
// except by an administrator.
func (s *Store) ArchiveIndicator(ctx context.Context, actor user.Actor, id int64) (*Indicator, error) {
	return s.setArchived(ctx, actor, id, true)
}

// RestoreIndicator brings an archived indicator back.
func (s *Store) RestoreIndicator(ctx context.Context, actor user.Actor, id int64) (*Indicator, error) {
	return s.setArchived(ctx, actor, id, false)
}

func (s *Store) setArchived(ctx context.Context, actor user.Actor, id int64, archive bool) (*Indicator, error) {
	if !MayEditIndicators(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers may archive indicators.")
	}
	var out *Indicator
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadIndicator(ctx, tx, "i.id = $1", id)
		if err != nil {
			return err
		}
		if cur.Archived() == archive {
			out = cur
			return nil
		}
		action := "restore"
		var at any
		if archive {
			action, at = "archive", db.Now()
			if cur.Standard && !actor.IsAdmin() {
				return problem.Forbiddenf("%s is a programme standard; only an administrator may archive it.", cur.Code)
			}
			users, err := usersOf(ctx, tx, cur.Code)
			if err != nil {
				return err
			}
			if len(users) > 0 {
				return problem.Conflictf("%s is used by %v; change those first.", cur.Code, users)
			}
		} else {
			// A restored formula must still refer to indicators that exist.
			in := InputOf(cur)
			var f problem.Fields
			if err := checkRefs(ctx, tx, &in, id, &f); err != nil {
				return err
			}
			if len(f) > 0 {
				return problem.Conflictf("%s cannot be restored: %s", cur.Code, f[0].Message)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE indicators SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, db.Now(), id); err != nil {
			return fmt.Errorf("%s indicator %d: %w", action, id, err)
		}
		if out, err = loadIndicator(ctx, tx, "i.id = $1", id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, action, RecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChangeEntry is one entry of a reference sheet's change log.
type ChangeEntry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Changes []Change  `json:"changes"`
	Reason  string    `json:"reason"`
}

// FindChanges lists an indicator's change log, newest first.
func (s *Store) FindChanges(ctx context.Context, actor user.Actor, id int64) ([]*ChangeEntry, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read indicators.")
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, at, actor, changes_json, reason FROM indicator_changes
		WHERE indicator_id = $1 ORDER BY at DESC, id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("indicator changes: %w", err)
	}
	defer rows.Close()
	var out []*ChangeEntry
	for rows.Next() {
		var c ChangeEntry
		var j string
		if err := rows.Scan(&c.ID, &c.At, &c.Actor, &j, &c.Reason); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(j), &c.Changes); err != nil {
			return nil, fmt.Errorf("indicator change %d: %w", c.ID, err)
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}
