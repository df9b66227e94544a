package indicator

import (
	"github.com/clusterobservatory/observatory/internal/user"
)

// Who may do what with the results framework. Everyone signed in reads
// indicators; administrators and programme officers define them. Baselines
// and targets are read and set per subject: a cluster initiative under the
// cluster domain's own rules (user.ClusterReadFilter, user.ClusterWriteFilter),
// an organisation under the organisation rules, and a country's by
// everyone (read) and administrators and programme officers (write).

// MayEditIndicators reports whether the actor may create, edit and archive indicators.
func MayEditIndicators(a user.Actor) bool {
	return a.Role == user.Admin || a.Role == user.ProgrammeOfficer
}

// MaySetTargets reports whether the actor's role may set baselines and
// targets at all; the store checks the subject against the actor's scope.
func MaySetTargets(a user.Actor) bool {
	switch a.Role {
	case user.Admin, user.ProgrammeOfficer, user.BSOStaff, user.ClusterManager:
		return true
	}
	return false
}

// mayWriteEverySubject reports whether the actor sets targets for any subject.
func mayWriteEverySubject(a user.Actor) bool {
	return a.Role == user.Admin || a.Role == user.ProgrammeOfficer
}

// targetScope adds the condition that limits targets (alias t, with
// clusters c and organisations o joined on the subject) to those whose
// subject the actor may read, or write.
func targetScope(w *where, a user.Actor, write bool) {
	if write && mayWriteEverySubject(a) {
		return
	}
	clusterRule, orgRule := user.ClusterReadFilter, user.OrgReadFilter
	country := "t.subject_kind = 'country'"
	if write {
		clusterRule, orgRule = user.ClusterWriteFilter, user.OrgWriteFilter
		country = "1=0"
	}
	cc := w.rule(clusterRule, a, "c")
	oc := w.rule(orgRule, a, "o")
	w.raw("(" + country + " OR (t.subject_kind = 'cluster' AND " + cc + ") OR (t.subject_kind = 'organisation' AND " + oc + "))")
}
