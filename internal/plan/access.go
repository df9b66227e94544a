package plan

import (
	"fmt"

	"github.com/clusterobservatory/observatory/internal/user"
)

// Who may do what with plans:
//
//   - BSO staff edit the plans of their BSO's applications and of the
//     clusters their BSO leads; cluster managers their cluster's;
//     programme officers those of the programmes they may edit (all of
//     them without a programme scope); administrators every one;
//   - country coordinators read the plans of the clusters of their country;
//   - programme officers and administrators approve or return a
//     submitted plan;
//   - nobody else sees a plan.

// RecordType names plans in the audit log.
const RecordType = "plan"

// writeFilter limits plans (alias p) to those the actor may edit, as an
// SQL condition numbered from next.
func writeFilter(a user.Actor, p string, next int) (string, []any) {
	switch a.Role {
	case user.Admin:
		return "1=1", nil
	case user.ProgrammeOfficer:
		if a.Scope.Kind == user.ScopeProgramme {
			return fmt.Sprintf("%s.programme_id = $%d", p, next), []any{a.Scope.IntID()}
		}
		return "1=1", nil
	case user.BSOStaff:
		return fmt.Sprintf("(%s.bso_id = $%d OR %s.cluster_id IN (SELECT cl_p.id FROM clusters cl_p WHERE cl_p.lead_bso_id = $%d))",
			p, next, p, next), []any{a.Scope.IntID()}
	case user.ClusterManager:
		return fmt.Sprintf("%s.cluster_id = $%d", p, next), []any{a.Scope.IntID()}
	}
	return "1=0", nil
}

// readFilter limits plans (alias p) to those the actor may read.
func readFilter(a user.Actor, p string, next int) (string, []any) {
	if a.Role == user.CountryCoordinator {
		return fmt.Sprintf("EXISTS (SELECT 1 FROM cluster_countries cc_p WHERE cc_p.cluster_id = %s.cluster_id AND cc_p.country_iso3 = $%d)",
			p, next), []any{a.Scope.ID}
	}
	return writeFilter(a, p, next)
}

// MayDecide reports whether the actor may approve or return plans of the
// programme.
func MayDecide(a user.Actor, programmeID int64) bool {
	switch a.Role {
	case user.Admin:
		return true
	case user.ProgrammeOfficer:
		return a.Scope.Kind != user.ScopeProgramme || a.Scope.IntID() == programmeID
	}
	return false
}

// mayOpen reports whether the actor may start the plan of an application
// of the programme with that BSO and cluster (the cluster's lead BSO is
// leadBSO, 0 without a cluster).
func mayOpen(a user.Actor, programmeID int64, bso, cluster *int64, leadBSO int64) bool {
	switch a.Role {
	case user.Admin:
		return true
	case user.ProgrammeOfficer:
		return MayDecide(a, programmeID)
	case user.BSOStaff:
		id := a.Scope.IntID()
		return id > 0 && ((bso != nil && *bso == id) || leadBSO == id)
	case user.ClusterManager:
		return cluster != nil && *cluster == a.Scope.IntID()
	}
	return false
}
