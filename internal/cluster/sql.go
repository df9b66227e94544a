package cluster

import (
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

// scope appends a scope rule such as user.ClusterReadFilter for alias.
func (w *where) scope(rule func(user.Actor, string, int) (string, []any), actor user.Actor, alias string) {
	cond, args := rule(actor, alias, len(w.args)+1)
	w.conds = append(w.conds, "("+cond+")")
	w.args = append(w.args, args...)
}

// next is the number of the next placeholder.
func (w *where) next() int { return len(w.args) + 1 }

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

// anyOf turns a slice of strings into query arguments.
func anyOf(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
