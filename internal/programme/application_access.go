package programme

import (
	"fmt"

	"github.com/clusterobservatory/observatory/internal/user"
)

// Who may do what with applications:
//
//   - BSO staff draft, edit and submit their BSO's applications, and read
//     those of the clusters their BSO leads; cluster managers those of
//     their cluster; administrators every one;
//   - programme officers read the applications to the calls of the
//     programmes they may edit, and change none of them;
//   - a submitted application is no longer the applicant's to change.

// ApplicationRecordType names applications in the audit log.
const ApplicationRecordType = "application"

// MayApply reports whether the actor's role may draft applications.
func MayApply(a user.Actor) bool {
	switch a.Role {
	case user.Admin:
		return true
	case user.BSOStaff, user.ClusterManager:
		return a.Scope.IntID() > 0
	}
	return false
}

// appReadFilter limits applications (alias a) to those the actor may read.
func appReadFilter(a user.Actor, alias string, next int) (string, []any) {
	switch a.Role {
	case user.ProgrammeOfficer:
		cond, args := writeFilter(a, "c_s.programme_id", next)
		return fmt.Sprintf("EXISTS (SELECT 1 FROM calls c_s WHERE c_s.id = %s.call_id AND %s)", alias, cond), args
	}
	return appWriteFilter(a, alias, next)
}

// appWriteFilter limits applications (alias a) to those the actor may
// change as the applicant: their BSO's or their cluster's.
func appWriteFilter(a user.Actor, alias string, next int) (string, []any) {
	switch a.Role {
	case user.Admin:
		return "1=1", nil
	case user.BSOStaff:
		return fmt.Sprintf("(%s.bso_id = $%d OR %s.cluster_id IN (SELECT cl_s.id FROM clusters cl_s WHERE cl_s.lead_bso_id = $%d))",
			alias, next, alias, next), []any{a.Scope.IntID()}
	case user.ClusterManager:
		return fmt.Sprintf("%s.cluster_id = $%d", alias, next), []any{a.Scope.IntID()}
	}
	return "1=0", nil
}
