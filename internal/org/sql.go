package org

import (
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/user"
)

// where builds a WHERE clause with numbered placeholders, so that scope
// conditions from the user package and filters combine in any order.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose %d verbs are all replaced by the number of
// one new placeholder, bound to v.
func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	n := len(w.args)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "%d", fmt.Sprint(n)))
}

// raw appends a condition without arguments.
func (w *where) raw(cond string) { w.conds = append(w.conds, cond) }

// scope appends a scope rule such as user.OrgReadFilter for alias.
func (w *where) scope(rule func(user.Actor, string, int) (string, []any), actor user.Actor, alias string) {
	cond, args := rule(actor, alias, len(w.args)+1)
	w.conds = append(w.conds, "("+cond+")")
	w.args = append(w.args, args...)
}

// String is the clause, "WHERE 1=1" when there are no conditions.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return "WHERE 1=1"
	}
	return "WHERE " + strings.Join(w.conds, " AND ")
}

// escapeLike escapes LIKE's wildcards in s (the query adds ESCAPE '\').
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// contains is a LIKE pattern that finds s anywhere.
func contains(s string) string { return "%" + escapeLike(s) + "%" }
