package event

import (
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/user"
)

// The scope rules for events as SQL conditions over the events table
// (alias e), numbered from next, in the manner of user.ClusterReadFilter.
// An event is within a person's reach when its organiser or one of its
// clusters is.

// ReadFilter limits events to those the actor may read: everything for
// admins and programme officers; for BSO staff the events their BSO
// organised or that served a cluster their BSO leads; for cluster managers
// the events of their cluster; for country coordinators the events held in
// their country or serving a cluster of their country.
func ReadFilter(a user.Actor, e string, next int) (string, []any) {
	switch a.Role {
	case user.Admin, user.ProgrammeOfficer:
		return "1=1", nil
	case user.BSOStaff:
		return fmt.Sprintf(`(%[1]s.organiser_id = $%[2]d OR EXISTS (SELECT 1 FROM event_clusters ec_s
			JOIN clusters c_s ON c_s.id = ec_s.cluster_id WHERE ec_s.event_id = %[1]s.id AND c_s.lead_bso_id = $%[2]d))`, e, next),
			[]any{a.Scope.IntID()}
	case user.ClusterManager:
		return fmt.Sprintf(`EXISTS (SELECT 1 FROM event_clusters ec_s WHERE ec_s.event_id = %s.id AND ec_s.cluster_id = $%d)`, e, next),
			[]any{a.Scope.IntID()}
	case user.CountryCoordinator:
		return fmt.Sprintf(`(%[1]s.country_iso3 = $%[2]d OR EXISTS (SELECT 1 FROM event_clusters ec_s
			JOIN cluster_countries cc_s ON cc_s.cluster_id = ec_s.cluster_id WHERE ec_s.event_id = %[1]s.id AND cc_s.country_iso3 = $%[2]d))`, e, next),
			[]any{a.Scope.ID}
	}
	return "1=0", nil
}

// WriteFilter limits events to those the actor may change: admins all,
// BSO staff and cluster managers those they may read.
func WriteFilter(a user.Actor, e string, next int) (string, []any) {
	switch a.Role {
	case user.Admin, user.BSOStaff, user.ClusterManager:
		return ReadFilter(a, e, next)
	}
	return "1=0", nil
}

// MayRecord reports whether the actor's role may record events at all
// (the store then checks the clusters and organiser against the scope).
func MayRecord(a user.Actor) bool {
	return a.Role == user.Admin || a.Role == user.BSOStaff || a.Role == user.ClusterManager
}

// where builds a WHERE clause with numbered placeholders, so that scope
// conditions and filters can be combined in any order.
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

// scope appends a scope rule for alias.
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

// likePattern makes a LIKE pattern that finds s anywhere, with LIKE's own
// wildcards escaped (the query adds ESCAPE '\').
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
