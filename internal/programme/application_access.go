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
//   - the lead applicant may share a draft with co-applicants (BSO staff or
//     cluster managers of other organisations), who edit it too; only the
//     lead applicant shares, and submits;
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
// change as an applicant: their own (appOwnerFilter) and the drafts shared
// with them as a co-applicant.
func appWriteFilter(a user.Actor, alias string, next int) (string, []any) {
	cond, args := appOwnerFilter(a, alias, next)
	if !MayApply(a) || a.Role == user.Admin || a.UserID == 0 {
		return cond, args
	}
	return fmt.Sprintf("(%s OR %s.id IN (SELECT sh_s.application_id FROM application_sharing sh_s WHERE sh_s.user_id = $%d))",
		cond, alias, next+len(args)), append(args, a.UserID)
}

// appOwnerFilter limits applications (alias a) to those the actor applies
// for: their BSO's or their cluster's.
func appOwnerFilter(a user.Actor, alias string, next int) (string, []any) {
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
