package indicator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// ValueRecordType names indicator values in the audit log.
const ValueRecordType = "indicator_value"

// The values table is aliased t, like targets, so that the same scope
// condition (targetScope) limits both to subjects the actor may read.
const valueFrom = ` FROM indicator_values t
	JOIN indicators i ON i.id = t.indicator_id
	LEFT JOIN clusters c ON t.subject_kind = 'cluster' AND c.id = t.subject_id
	LEFT JOIN organisations o ON t.subject_kind = 'organisation' AND o.id = t.subject_id
	LEFT JOIN countries co ON t.subject_kind = 'country' AND co.iso3 = t.subject_iso3
	LEFT JOIN indicator_dimensions dm ON dm.code = t.dimension_code
	LEFT JOIN indicator_categories ct ON ct.dimension_code = t.dimension_code AND ct.code = t.category_code `

const valueSelect = `SELECT t.id, t.indicator_id, i.code, i.name, i.unit, t.subject_kind, t.subject_id, t.subject_iso3,
	COALESCE(c.name, o.name, co.name, ''), t.period_type, t.period_key, t.dimension_code, t.category_code, t.version,
	t.value, t.source, t.note, t.state, t.review_comment, t.reviewer, t.reviewed_at, t.actor, t.created_at` + valueFrom

const valueOrder = ` ORDER BY i.code, t.subject_kind, t.subject_id, t.subject_iso3, t.period_start, t.period_type DESC,
	COALESCE(dm.position, 0), COALESCE(ct.position, 0), t.version DESC`

// sameKey matches the rows x of the same key as t.
const sameKey = `x.indicator_id = t.indicator_id AND x.subject_kind = t.subject_kind AND x.subject_id = t.subject_id
	AND x.subject_iso3 = t.subject_iso3 AND x.period_key = t.period_key AND x.dimension_code = t.dimension_code
	AND x.category_code = t.category_code`

// latestVersion keeps only the latest version of each key.
const latestVersion = `t.version = (SELECT MAX(x.version) FROM indicator_values x WHERE ` + sameKey + `)`

// latestApproved keeps only the latest approved version of each key.
const latestApproved = `t.state = 'approved' AND t.version = (SELECT MAX(x.version) FROM indicator_values x WHERE ` +
	sameKey + ` AND x.state = 'approved')`

func scanValue(row scanner) (*Value, error) {
	var v Value
	var reviewed sql.NullTime
	err := row.Scan(&v.ID, &v.IndicatorID, &v.IndicatorCode, &v.IndicatorName, &v.Unit, &v.Subject.Kind, &v.Subject.ID,
		&v.Subject.ISO3, &v.SubjectName, &v.PeriodType, &v.Period, &v.Category.Dimension, &v.Category.Code, &v.Version,
		&v.Value, &v.Source, &v.Note, &v.State, &v.ReviewComment, &v.Reviewer, &reviewed, &v.Actor, &v.CreatedAt)
	if reviewed.Valid {
		v.ReviewedAt = &reviewed.Time
	}
	return &v, err
}

// FindValues lists the values whose subject the actor may read that match
// the filter (the latest version of each unless AllVersions), with the
// total before paging.
func (s *Store) FindValues(ctx context.Context, actor user.Actor, f ValueFilter) ([]*Value, int, error) {
	if !actor.SignedIn() {
		return nil, 0, problem.New(problem.Unauthorized, "Sign in to read values.")
	}
	w := valueWhere(actor, f)
	return findPage(ctx, s, "values", valueFrom, valueSelect, valueOrder, &w, f.Limit, f.Offset, scanValue)
}

// valueWhere is the condition of FindValues: the actor's scope and the filter.
func valueWhere(actor user.Actor, f ValueFilter) where {
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
	if f.Period != "" {
		w.add("t.period_key = $%d", f.Period)
	}
	if !f.AllVersions {
		w.raw(latestVersion)
	}
	return w
}

// FindValueByID returns one value version whose subject the actor may read.
func (s *Store) FindValueByID(ctx context.Context, actor user.Actor, id int64) (*Value, error) {
	return loadValue(ctx, s.db.Read(), actor, id)
}

func loadValue(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Value, error) {
	var w where
	w.add("t.id = $%d", id)
	targetScope(&w, actor, false)
	v, err := scanValue(q.QueryRowContext(ctx, valueSelect+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No value #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("value %d: %w", id, err)
	}
	return v, nil
}

// SaveResult is what saving values did: the versions added (a value equal
// to the latest version adds none) and the warnings of the sum rule.
type SaveResult struct {
	Saved     []*Value     `json:"saved"`
	Unchanged int          `json:"unchanged"`
	Warnings  []SumWarning `json:"warnings"`
	// Violations are the validation rules that do not hold for the
	// subjects and periods saved (rule_run.go).
	Violations []*Violation `json:"violations"`
}

// SaveValues enters values, all or none: every problem with every item is
// reported (fields named values[N].field), and nothing is written unless
// all are good. A value for a key that has one adds a version and keeps the
// earlier ones; it starts received. Sums of categories that exceed the
// total are warnings, not problems.
func (s *Store) SaveValues(ctx context.Context, actor user.Actor, ins []ValueInput) (*SaveResult, error) {
	if !MaySetTargets(actor) {
		return nil, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may enter values.")
	}
	if len(ins) == 0 {
		return nil, problem.Fields{{Field: "values", Message: "Enter at least one value."}}.Err()
	}
	if len(ins) > 1000 {
		return nil, problem.Fields{{Field: "values", Message: "Send at most 1000 values at once."}}.Err()
	}
	res := &SaveResult{}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var f problem.Fields
		keys := make([]valueKey, len(ins))
		periods := make([]Period, len(ins))
		inds := map[int64]*Indicator{}
		subjects := map[string]error{}
		seen := map[valueKey]int{}
		for n := range ins {
			in := &ins[n]
			at := fmt.Sprintf("values[%d].", n)
			k, p := in.check(at, &f)
			keys[n], periods[n] = k, p
			ind, err := cachedIndicator(ctx, tx, inds, in.IndicatorID)
			if err != nil {
				return err
			}
			if in.IndicatorID > 0 && ind == nil {
				f.Add(at+"indicator_id", "There is no indicator #%d.", in.IndicatorID)
			}
			if ind != nil {
				label := ind.Code
				if !k.category.IsTotal() {
					label += " (" + k.category.String() + ")"
				}
				switch {
				case ind.Archived():
					f.Add(at+"indicator_id", "%s is archived; it takes no new values.", ind.Code)
				case ind.IsFormula():
					f.Add(at+"indicator_id", "%s is computed by its formula; enter the values of its inputs instead.", ind.Code)
				}
				if !f.Has(at+"category") && !k.category.IsTotal() && !oneOf(k.category.Dimension, ind.Dimensions) {
					f.Add(at+"category", "%s is not disaggregated by %s.", ind.Code, k.category.Dimension)
				}
				if !f.Has(at+"period") && !p.FitsFrequency(ind.Frequency) {
					f.Add(at+"period", "%s is collected %s; enter values for periods at least that long.", ind.Code, ind.Frequency)
				}
				if msg := CheckNumber(ind, in.Value, in.Text); msg != "" {
					f.Add(at+"value", "%s: %s.", label, msg)
				}
			} else if in.Value == nil {
				f.Add(at+"value", "Enter the value.")
			}
			if !f.Has(at + "subject") {
				sk := k.subject.String()
				err, ok := subjects[sk]
				if !ok {
					var write bool
					_, write, err = subjectAccess(ctx, tx, actor, k.subject)
					if err == nil && !write {
						err = problem.Forbiddenf("You may not enter values for %s.", k.subject)
					}
					subjects[sk] = err
				}
				switch {
				case problem.Is(err, problem.NotFound):
					f.Add(at+"subject", "There is no %s that you may see.", k.subject)
				case err != nil:
					return err
				}
			}
			if first, dup := seen[k]; dup {
				f.Add(at+"category", "The same value is also item %d.", first)
			} else {
				seen[k] = n
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := db.Now()
		var uid any
		if actor.UserID != 0 {
			uid = actor.UserID
		}
		type group struct {
			ind     *Indicator
			subject Subject
			period  string
		}
		var groups []group
		touched := map[string]bool{}
		for n, in := range ins {
			k := keys[n]
			var version int
			var last float64
			var note string
			err := tx.QueryRowContext(ctx, `SELECT version, value, note FROM indicator_values WHERE indicator_id = $1
				AND subject_kind = $2 AND subject_id = $3 AND subject_iso3 = $4 AND period_key = $5
				AND dimension_code = $6 AND category_code = $7 ORDER BY version DESC LIMIT 1`,
				k.indicatorID, string(k.subject.Kind), k.subject.ID, k.subject.ISO3, k.period, k.category.Dimension,
				k.category.Code).Scan(&version, &last, &note)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return fmt.Errorf("latest value: %w", err)
			case last == *in.Value && note == in.Note:
				res.Unchanged++
				continue
			}
			var id int64
			err = tx.QueryRowContext(ctx, `INSERT INTO indicator_values (indicator_id, subject_kind, subject_id, subject_iso3,
				period_type, period_key, period_start, dimension_code, category_code, version, value, source, note, state,
				created_by, actor, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'received',$14,$15,$16) RETURNING id`,
				k.indicatorID, string(k.subject.Kind), k.subject.ID, k.subject.ISO3, string(periods[n].Type), k.period,
				periods[n].Start(), k.category.Dimension, k.category.Code, version+1, *in.Value, string(in.Source), in.Note,
				uid, actor.Label(), now).Scan(&id)
			if db.IsUniqueViolation(err) {
				return problem.Conflictf("Someone entered this value at the same moment; reload and try again.")
			}
			if err != nil {
				return fmt.Errorf("insert value: %w", err)
			}
			v, err := loadValue(ctx, tx, user.System, id)
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, actor, "create", ValueRecordType, id, nil, v); err != nil {
				return err
			}
			res.Saved = append(res.Saved, v)
			gk := fmt.Sprint(k.indicatorID, k.subject, k.period)
			if !touched[gk] {
				touched[gk] = true
				groups = append(groups, group{inds[k.indicatorID], k.subject, k.period})
			}
		}
		for _, g := range groups {
			ws, err := sumWarnings(ctx, tx, g.ind, g.subject, g.period, "t.state <> 'rejected' AND "+latestVersion)
			if err != nil {
				return err
			}
			res.Warnings = append(res.Warnings, ws...)
		}
		var err error
		res.Violations, err = checkOnEntry(ctx, tx, actor, res.Saved)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// cachedIndicator loads an indicator once per save; nil when there is none.
func cachedIndicator(ctx context.Context, q db.Querier, cache map[int64]*Indicator, id int64) (*Indicator, error) {
	if id <= 0 {
		return nil, nil
	}
	if ind, ok := cache[id]; ok {
		return ind, nil
	}
	ind, err := loadIndicator(ctx, q, "i.id = $1", id)
	if problem.Is(err, problem.NotFound) {
		cache[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cache[id] = ind
	return ind, nil
}

// sumWarnings applies the sum rule to the values of one indicator, subject
// and period that match cond.
func sumWarnings(ctx context.Context, q db.Querier, ind *Indicator, sub Subject, period, cond string) ([]SumWarning, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.dimension_code, t.category_code, t.value FROM indicator_values t
		WHERE t.indicator_id = $1 AND t.subject_kind = $2 AND t.subject_id = $3 AND t.subject_iso3 = $4 AND t.period_key = $5 AND `+cond,
		ind.ID, string(sub.Kind), sub.ID, sub.ISO3, period)
	if err != nil {
		return nil, fmt.Errorf("values for the sum rule: %w", err)
	}
	defer rows.Close()
	vals := map[Category]float64{}
	for rows.Next() {
		var c Category
		var v float64
		if err := rows.Scan(&c.Dimension, &c.Code, &v); err != nil {
			return nil, err
		}
		vals[c] = v
	}
	ws := CheckSums(ind, vals)
	for n := range ws {
		ws[n].Subject, ws[n].Period = sub, period
	}
	return ws, rows.Err()
}

// ReviewValue records an officer's decision on the latest version of a
// value: approve, or say it has issues or reject it with a comment.
func (s *Store) ReviewValue(ctx context.Context, actor user.Actor, id int64, d Decision, comment string) (*Value, error) {
	if !MayReviewValues(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers review values.")
	}
	state, comment, f := checkDecision(d, comment)
	var v *Value
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadValue(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		latest, err := latestVersionOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if latest != before.Version {
			return problem.Conflictf("Version %d of this value has been entered since; review that one.", latest)
		}
		v, err = recordReview(ctx, tx, actor, before, state, comment)
		return err
	})
	return v, err
}

// checkDecision checks a decision and its comment (trimmed): the state it
// leads to, and the problems with fields decision and comment.
func checkDecision(d Decision, comment string) (ReviewState, string, problem.Fields) {
	comment = strings.TrimSpace(comment)
	var f problem.Fields
	state, ok := d.State()
	if !ok {
		f.Add("decision", "Use decision approve, issues or reject.")
	}
	if (d == DecideIssues || d == DecideReject) && comment == "" {
		f.Add("comment", "Say what is wrong, so that the person who entered the value can correct it.")
	}
	if n := utf8.RuneCountInString(comment); n > maxNote {
		f.Add("comment", "Use at most %d characters (this has %d).", maxNote, n)
	}
	return state, comment, f
}

// latestVersionOf is the latest version of the key of value id.
func latestVersionOf(ctx context.Context, tx *sql.Tx, id int64) (int, error) {
	var latest int
	err := tx.QueryRowContext(ctx, `SELECT MAX(x.version) FROM indicator_values x, indicator_values t WHERE t.id = $1 AND `+sameKey, id).Scan(&latest)
	if err != nil {
		return 0, fmt.Errorf("latest version: %w", err)
	}
	return latest, nil
}

// recordReview stores a checked decision on the value before, with its
// audit record, inside tx, and returns the value as reviewed.
func recordReview(ctx context.Context, tx *sql.Tx, actor user.Actor, before *Value, state ReviewState, comment string) (*Value, error) {
	var uid any
	if actor.UserID != 0 {
		uid = actor.UserID
	}
	id := before.ID
	if _, err := tx.ExecContext(ctx, `UPDATE indicator_values SET state = $1, review_comment = $2, reviewed_by = $3,
		reviewer = $4, reviewed_at = $5 WHERE id = $6`, string(state), comment, uid, actor.Label(), db.Now(), id); err != nil {
		return nil, fmt.Errorf("review value %d: %w", id, err)
	}
	v, err := loadValue(ctx, tx, user.System, id)
	if err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, actor, "review", ValueRecordType, id, before, v); err != nil {
		return nil, err
	}
	return v, nil
}
