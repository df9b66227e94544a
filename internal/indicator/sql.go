package indicator

import (
	"context"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/user"
)

// where builds a WHERE clause with numbered placeholders, so that scope
// conditions from the user package and filters can be combined in any order.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose single %d is replaced by the next
// placeholder number, bound to v.
func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, fmt.Sprintf(cond, len(w.args)))
}

// raw appends a condition without arguments.
func (w *where) raw(cond string) { w.conds = append(w.conds, cond) }

// rule renders a scope rule such as user.ClusterWriteFilter for alias,
// numbering its placeholders after those already added.
func (w *where) rule(rule func(user.Actor, string, int) (string, []any), actor user.Actor, alias string) string {
	cond, args := rule(actor, alias, len(w.args)+1)
	w.args = append(w.args, args...)
	return "(" + cond + ")"
}

// String is the clause, "WHERE 1=1" when there are no conditions.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return "WHERE 1=1"
	}
	return "WHERE " + strings.Join(w.conds, " AND ")
}

// likePattern makes a LIKE pattern that finds s anywhere, with LIKE's own
// wildcards in s escaped (the query adds ESCAPE '\').
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// findPage reads one page of targets or values (what) matching w, with the
// total before paging: from is the FROM clause, sel the SELECT with it,
// order the ORDER BY. Limits outside 1–1000 read 200.
func findPage[T any](ctx context.Context, s *Store, what, from, sel, order string, w *where, limit, offset int,
	scan func(scanner) (T, error)) ([]T, int, error) {
	total, err := s.db.Count(ctx, `SELECT COUNT(*)`+from+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", what, err)
	}
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	args := append(append([]any(nil), w.args...), limit, max(offset, 0))
	rows, err := s.db.Read().QueryContext(ctx, sel+w.String()+order+fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}
