package indicator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// TargetRecordType names baselines and targets in the audit log.
const TargetRecordType = "indicator_target"

const targetFrom = ` FROM indicator_targets t
	JOIN indicators i ON i.id = t.indicator_id
	LEFT JOIN clusters c ON t.subject_kind = 'cluster' AND c.id = t.subject_id
	LEFT JOIN organisations o ON t.subject_kind = 'organisation' AND o.id = t.subject_id
	LEFT JOIN countries co ON t.subject_kind = 'country' AND co.iso3 = t.subject_iso3
	LEFT JOIN indicator_dimensions dm ON dm.code = t.dimension_code
	LEFT JOIN indicator_categories ct ON ct.dimension_code = t.dimension_code AND ct.code = t.category_code `

const targetSelect = `SELECT t.id, t.indicator_id, i.code, i.name, i.unit, t.subject_kind, t.subject_id, t.subject_iso3,
	COALESCE(c.name, o.name, co.name, ''), t.kind, t.period_type, t.period_key, t.dimension_code, t.category_code,
	t.value, t.note, t.revision, t.created_at, t.updated_at` + targetFrom

const targetOrder = ` ORDER BY i.code, t.subject_kind, t.subject_id, t.subject_iso3, t.kind, t.period_start, t.period_type DESC,
	COALESCE(dm.position, 0), COALESCE(ct.position, 0)`

func scanTarget(row scanner) (*Target, error) {
	var t Target
	err := row.Scan(&t.ID, &t.IndicatorID, &t.IndicatorCode, &t.IndicatorName, &t.Unit, &t.Subject.Kind, &t.Subject.ID,
		&t.Subject.ISO3, &t.SubjectName, &t.Kind, &t.PeriodType, &t.Period, &t.Category.Dimension, &t.Category.Code,
		&t.Value, &t.Note, &t.Revision, &t.CreatedAt, &t.UpdatedAt)
	return &t, err
}

// FindTargets lists the baselines and targets whose subject the actor may
// read that match the filter, with the total before paging.
func (s *Store) FindTargets(ctx context.Context, actor user.Actor, f TargetFilter) ([]*Target, int, error) {
	if !actor.SignedIn() {
		return nil, 0, problem.New(problem.Unauthorized, "Sign in to read targets.")
	}
	var w where
	targetScope(&w, actor, false)
	if f.IndicatorID != 0 {
		w.add("t.indicator_id = $%d", f.IndicatorID)
	}
	if !f.Subject.IsZero() {
		w.add("t.subject_kind = $%d", string(f.Subject.Kind))
		w.add("t.subject_id = $%d", f.Subject.ID)
		w.add("t.subject_iso3 = $%d", f.Subject.ISO3)
	}
	if f.Kind != "" {
		w.add("t.kind = $%d", string(f.Kind))
	}
	return findPage(ctx, s, "targets", targetFrom, targetSelect, targetOrder, &w, f.Limit, f.Offset, scanTarget)
}

// FindTargetByID returns one baseline or target whose subject the actor may read.
func (s *Store) FindTargetByID(ctx context.Context, actor user.Actor, id int64) (*Target, error) {
	return loadTarget(ctx, s.db.Read(), actor, id)
}

func loadTarget(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Target, error) {
	var w where
	w.add("t.id = $%d", id)
	targetScope(&w, actor, false)
	t, err := scanTarget(q.QueryRowContext(ctx, targetSelect+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No target #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("target %d: %w", id, err)
	}
	return t, nil
}

// FindRevisions lists every value a target has had, newest first.
func (s *Store) FindRevisions(ctx context.Context, actor user.Actor, targetID int64) ([]*Revision, error) {
	if _, err := s.FindTargetByID(ctx, actor, targetID); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT revision, value, previous_value, note, reason, actor, at
		FROM indicator_target_revisions WHERE target_id = $1 ORDER BY revision DESC`, targetID)
	if err != nil {
		return nil, fmt.Errorf("target revisions: %w", err)
	}
	defer rows.Close()
	var out []*Revision
	for rows.Next() {
		var r Revision
		var prev sql.NullFloat64
		if err := rows.Scan(&r.Revision, &r.Value, &prev, &r.Note, &r.Reason, &r.Actor, &r.At); err != nil {
			return nil, err
		}
		if prev.Valid {
			r.PreviousValue = &prev.Float64
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// SubjectAccess names a subject the actor may read and says whether the
// actor may set its targets. A subject that does not exist or that the
// actor may not read is not found.
func (s *Store) SubjectAccess(ctx context.Context, actor user.Actor, sub Subject) (name string, write bool, err error) {
	return subjectAccess(ctx, s.db.Read(), actor, sub)
}

func subjectAccess(ctx context.Context, q db.Querier, actor user.Actor, sub Subject) (string, bool, error) {
	if !actor.SignedIn() {
		return "", false, problem.New(problem.Unauthorized, "Sign in to read targets.")
	}
	var table, alias string
	var read, write func(user.Actor, string, int) (string, []any)
	switch sub.Kind {
	case SubjectCluster:
		table, alias, read, write = "clusters", "c", user.ClusterReadFilter, user.ClusterWriteFilter
	case SubjectOrganisation:
		table, alias, read, write = "organisations", "o", user.OrgReadFilter, user.OrgWriteFilter
	case SubjectCountry:
		var name string
		err := q.QueryRowContext(ctx, `SELECT name FROM countries WHERE iso3 = $1`, sub.ISO3).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return "", false, problem.NotFoundf("No country %s.", sub.ISO3)
		}
		return name, mayWriteEverySubject(actor) && MaySetTargets(actor), err
	default:
		return "", false, problem.NotFoundf("No subject %s.", sub)
	}
	var w where
	w.add(alias+".id = $%d", sub.ID)
	readCond := w.rule(read, actor, alias)
	writeCond := w.rule(write, actor, alias)
	if mayWriteEverySubject(actor) {
		writeCond = "1=1"
	}
	var name string
	var canWrite bool
	err := q.QueryRowContext(ctx, `SELECT `+alias+`.name, CASE WHEN `+writeCond+` THEN 1 ELSE 0 END = 1 FROM `+table+` `+alias+` `+
		w.String()+` AND `+readCond, w.args...).Scan(&name, &canWrite)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, problem.NotFoundf("No %s #%d that you may see.", sub.Kind, sub.ID)
	}
	if err != nil {
		return "", false, fmt.Errorf("subject %s: %w", sub, err)
	}
	return name, canWrite, nil
}

// SetTarget sets a baseline or target. A new one is created; an existing
// one (same indicator, subject, kind, period and category) is revised,
// which needs a reason and keeps the earlier value in its history. Setting
// the same value and note again changes nothing. created reports a new one.
func (s *Store) SetTarget(ctx context.Context, actor user.Actor, in TargetInput) (t *Target, created bool, err error) {
	if !MaySetTargets(actor) {
		return nil, false, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may set targets.")
	}
	c, f := in.check()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var ind *Indicator
		if !f.Has("indicator_id") {
			ind, err = loadIndicator(ctx, tx, "i.id = $1", in.IndicatorID)
			switch {
			case problem.Is(err, problem.NotFound):
				f.Add("indicator_id", "There is no indicator #%d.", in.IndicatorID)
			case err != nil:
				return err
			case ind.Archived():
				f.Add("indicator_id", "%s is archived; it takes no new targets.", ind.Code)
			}
		}
		if ind != nil {
			if !f.Has("category") && !c.category.IsTotal() && !oneOf(c.category.Dimension, ind.Dimensions) {
				f.Add("category", "%s is not disaggregated by %s.", ind.Code, c.category.Dimension)
			}
			if !f.Has("period") && !c.period.FitsFrequency(ind.Frequency) {
				f.Add("period", "%s is collected %s; set its baselines and targets for periods at least that long.", ind.Code, ind.Frequency)
			}
		}
		if !f.Has("subject") {
			_, write, err := subjectAccess(ctx, tx, actor, c.subject)
			switch {
			case problem.Is(err, problem.NotFound):
				f.Add("subject", "There is no %s that you may see.", c.subject)
			case err != nil:
				return err
			case !write:
				return problem.Forbiddenf("You may not set targets for %s.", c.subject)
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		var id int64
		var value float64
		var note string
		var rev int
		err := tx.QueryRowContext(ctx, `SELECT id, value, note, revision FROM indicator_targets WHERE indicator_id = $1
			AND subject_kind = $2 AND subject_id = $3 AND subject_iso3 = $4 AND kind = $5 AND period_key = $6
			AND dimension_code = $7 AND category_code = $8`,
			in.IndicatorID, string(c.subject.Kind), c.subject.ID, c.subject.ISO3, string(in.Kind), in.Period,
			c.category.Dimension, c.category.Code).Scan(&id, &value, &note, &rev)
		now := db.Now()
		switch {
		case errors.Is(err, sql.ErrNoRows):
			created = true
			var by any
			if actor.UserID != 0 {
				by = actor.UserID
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO indicator_targets (indicator_id, subject_kind, subject_id, subject_iso3, kind,
				period_type, period_key, period_start, dimension_code, category_code, value, note, revision, created_by, created_at, updated_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,1,$13,$14,$14) RETURNING id`,
				in.IndicatorID, string(c.subject.Kind), c.subject.ID, c.subject.ISO3, string(in.Kind), string(c.period.Type),
				in.Period, c.period.Start(), c.category.Dimension, c.category.Code, *in.Value, in.Note, by, now).Scan(&id)
			if db.IsUniqueViolation(err) {
				return problem.Conflictf("Someone set this target at the same moment; reload and try again.")
			}
			if err != nil {
				return fmt.Errorf("insert target: %w", err)
			}
			if err := addRevision(ctx, tx, actor, id, 1, *in.Value, nil, in.Note, in.Reason, now); err != nil {
				return err
			}
			if t, err = loadTarget(ctx, tx, user.System, id); err != nil {
				return err
			}
			return audit.Record(ctx, tx, actor, "create", TargetRecordType, id, nil, t)
		case err != nil:
			return fmt.Errorf("find target: %w", err)
		}
		before, err := loadTarget(ctx, tx, user.System, id)
		if err != nil {
			return err
		}
		if value == *in.Value && note == in.Note {
			t = before
			return nil
		}
		checkReason(&in.Reason, &f)
		if err := f.Err(); err != nil {
			return err
		}
		// Only the revision read above is replaced: two people revising at
		// once cannot both write revision rev+1.
		res, err := tx.ExecContext(ctx, `UPDATE indicator_targets SET value = $1, note = $2, revision = $3, updated_at = $4
			WHERE id = $5 AND revision = $6`, *in.Value, in.Note, rev+1, now, id, rev)
		if err != nil {
			return fmt.Errorf("update target %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return problem.Conflictf("Someone revised this value at the same moment; reload and try again.")
		}
		if err := addRevision(ctx, tx, actor, id, rev+1, *in.Value, &value, in.Note, in.Reason, now); err != nil {
			return err
		}
		if t, err = loadTarget(ctx, tx, user.System, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", TargetRecordType, id, before, t)
	})
	if err != nil {
		return nil, false, err
	}
	return t, created, nil
}

func addRevision(ctx context.Context, tx *sql.Tx, actor user.Actor, targetID int64, rev int, value float64, prev *float64, note, reason string, at any) error {
	var uid any
	if actor.UserID != 0 {
		uid = actor.UserID
	}
	var p any
	if prev != nil {
		p = *prev
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO indicator_target_revisions (target_id, revision, value, previous_value, note, reason, user_id, actor, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, targetID, rev, value, p, note, reason, uid, actor.Label(), at)
	if err != nil {
		return fmt.Errorf("target %d revision %d: %w", targetID, rev, err)
	}
	return nil
}

// revisionsFor reads the revisions of targets the caller has already read
// under the actor's scope, newest first per target.
func (s *Store) revisionsFor(ctx context.Context, ids []int64) (map[int64][]*Revision, error) {
	out := map[int64][]*Revision{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for n, id := range ids {
		args[n] = id
		marks[n] = fmt.Sprintf("$%d", n+1)
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT target_id, revision, value, previous_value, note, reason, actor, at
		FROM indicator_target_revisions WHERE target_id IN (`+strings.Join(marks, ", ")+`) ORDER BY target_id, revision DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("target revisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r Revision
		var prev sql.NullFloat64
		if err := rows.Scan(&id, &r.Revision, &r.Value, &prev, &r.Note, &r.Reason, &r.Actor, &r.At); err != nil {
			return nil, err
		}
		if prev.Valid {
			r.PreviousValue = &prev.Float64
		}
		out[id] = append(out[id], &r)
	}
	return out, rows.Err()
}

// SubjectOption is a subject offered on the targets page.
type SubjectOption struct {
	Subject Subject
	Name    string
}

// subjectOptions lists the active cluster initiatives the actor may read
// and the region's countries, to choose a subject from.
func (s *Store) subjectOptions(ctx context.Context, actor user.Actor) (clusters, countries []SubjectOption, err error) {
	var w where
	w.raw(w.rule(user.ClusterReadFilter, actor, "c"))
	w.raw("c.archived_at IS NULL")
	rows, err := s.db.Read().QueryContext(ctx, `SELECT c.id, c.name FROM clusters c `+w.String()+` ORDER BY c.name_norm, c.id LIMIT 1000`, w.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("cluster choices: %w", err)
	}
	for rows.Next() {
		o := SubjectOption{Subject: Subject{Kind: SubjectCluster}}
		if err := rows.Scan(&o.Subject.ID, &o.Name); err != nil {
			rows.Close()
			return nil, nil, err
		}
		clusters = append(clusters, o)
	}
	rows.Close()
	rows, err = s.db.Read().QueryContext(ctx, `SELECT iso3, name FROM countries WHERE in_region ORDER BY name`)
	if err != nil {
		return nil, nil, fmt.Errorf("country choices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o := SubjectOption{Subject: Subject{Kind: SubjectCountry}}
		if err := rows.Scan(&o.Subject.ISO3, &o.Name); err != nil {
			return nil, nil, err
		}
		countries = append(countries, o)
	}
	return clusters, countries, rows.Err()
}
