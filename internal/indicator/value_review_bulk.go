package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// MaxReviewBatch is how many values one bulk review decides at most.
const MaxReviewBatch = 1000

// Reviewable reports whether a value still waits for a decision (received,
// or said to have issues): only those are reviewed many at once.
func (v *Value) Reviewable() bool {
	return v.State == StateReceived || v.State == StateHasIssues
}

// label names a value in a problem: "#12 (JOBS_CREATED, sex:women)".
func (v *Value) label() string {
	what := v.IndicatorCode
	if !v.Category.IsTotal() {
		what += ", " + v.Category.String()
	}
	return fmt.Sprintf("#%d (%s)", v.ID, what)
}

// ReviewValues records one decision on many values, all or none: each value
// is checked as ReviewValue checks it (the actor's scope, the latest version
// only, a comment to reject or flag issues) and must still wait for a
// decision (received or has issues); a value already approved or rejected
// is reviewed on its own. Every bad item is reported as ids[N], and nothing
// is stored unless all are good. The values come back in the order of ids,
// each with its own audit record.
func (s *Store) ReviewValues(ctx context.Context, actor user.Actor, ids []int64, d Decision, comment string) ([]*Value, error) {
	if !MayReviewValues(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers review values.")
	}
	state, comment, f := checkDecision(d, comment)
	switch {
	case len(ids) == 0:
		f.Add("ids", "Choose at least one value to review.")
	case len(ids) > MaxReviewBatch:
		f.Add("ids", "Review at most %d values at once (this has %d); narrow the list or select fewer.", MaxReviewBatch, len(ids))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out []*Value
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		befores := make([]*Value, 0, len(ids))
		seen := map[int64]int{}
		for n, id := range ids {
			at := fmt.Sprintf("ids[%d]", n)
			if first, dup := seen[id]; dup {
				f.Add(at, "Value #%d is also item %d.", id, first)
				continue
			}
			seen[id] = n
			before, err := loadValue(ctx, tx, actor, id)
			if problem.Is(err, problem.NotFound) {
				f.Add(at, "There is no value #%d that you may see.", id)
				continue
			}
			if err != nil {
				return err
			}
			latest, err := latestVersionOf(ctx, tx, id)
			if err != nil {
				return err
			}
			switch {
			case latest != before.Version:
				f.Add(at, "Value %s: version %d has been entered since; review that one.", before.label(), latest)
			case !before.Reviewable():
				f.Add(at, "Value %s is already %s; change that decision on its own.", before.label(),
					strings.ReplaceAll(string(before.State), "_", " "))
			}
			befores = append(befores, before)
		}
		if err := f.Err(); err != nil {
			return err
		}
		out = make([]*Value, 0, len(befores))
		for _, before := range befores {
			v, err := recordReview(ctx, tx, actor, before, state, comment)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PendingValueIDs lists the values that match the filter (the latest
// version of each key) and still wait for a decision, in the order of the
// values list, under the actor's scope: what "approve all shown" reviews.
// It reads at most one more than MaxReviewBatch, so that ReviewValues
// refuses a list that is too long.
func (s *Store) PendingValueIDs(ctx context.Context, actor user.Actor, f ValueFilter) ([]int64, error) {
	if !MayReviewValues(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers review values.")
	}
	f.AllVersions = false
	w := valueWhere(actor, f)
	w.raw("t.state IN ('received', 'has_issues')")
	rows, err := s.db.Read().QueryContext(ctx, `SELECT t.id`+valueFrom+w.String()+valueOrder+
		fmt.Sprintf(" LIMIT %d", MaxReviewBatch+1), w.args...)
	if err != nil {
		return nil, fmt.Errorf("pending values: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
