package user

import "fmt"

// The scope rules as SQL conditions, so that every store filters in the
// query itself. Each function returns a condition over the given table alias
// and its arguments, numbered from next ($next, $next+1, …).

// ClusterReadFilter limits rows of clusters (alias c) to those the actor may read.
func ClusterReadFilter(a Actor, c string, next int) (string, []any) {
	switch a.Role {
	case Admin, ProgrammeOfficer:
		return "1=1", nil
	case BSOStaff:
		return fmt.Sprintf("%s.lead_bso_id = $%d", c, next), []any{a.Scope.IntID()}
	case ClusterManager:
		return fmt.Sprintf("%s.id = $%d", c, next), []any{a.Scope.IntID()}
	case CountryCoordinator:
		return fmt.Sprintf("EXISTS (SELECT 1 FROM cluster_countries cc_r WHERE cc_r.cluster_id = %s.id AND cc_r.country_iso3 = $%d)", c, next),
			[]any{a.Scope.ID}
	}
	return "1=0", nil
}

// ClusterWriteFilter limits clusters (alias c) to those the actor may change:
// admins all, BSO staff the clusters their BSO leads, cluster managers their own.
func ClusterWriteFilter(a Actor, c string, next int) (string, []any) {
	switch a.Role {
	case Admin, BSOStaff, ClusterManager:
		return ClusterReadFilter(a, c, next)
	}
	return "1=0", nil
}

// CanCreateCluster reports whether the actor may start a cluster initiative
// led by the BSO leadBSO.
func CanCreateCluster(a Actor, leadBSO int64) bool {
	return a.Role == Admin || (a.Role == BSOStaff && a.Scope.IntID() == leadBSO)
}

// OrgReadFilter limits rows of organisations (alias o) to those the actor may
// read: the whole registry for admins and programme officers; for BSO staff
// the organisations of their BSO's country and of their active clusters'
// countries (where they may register organisations, so they see what they
// register) and the members of their clusters; for cluster managers the organisations of their cluster's
// countries and its members; for country coordinators their country.
func OrgReadFilter(a Actor, o string, next int) (string, []any) {
	switch a.Role {
	case Admin, ProgrammeOfficer:
		return "1=1", nil
	case BSOStaff:
		return fmt.Sprintf(`(%[1]s.country_iso3 IN (SELECT b_r.country_iso3 FROM organisations b_r WHERE b_r.id = $%[2]d
				UNION SELECT cc_r.country_iso3 FROM cluster_countries cc_r JOIN clusters c_r ON c_r.id = cc_r.cluster_id
				WHERE c_r.lead_bso_id = $%[2]d AND c_r.archived_at IS NULL)
			OR %[1]s.id IN (SELECT m_r.organisation_id FROM memberships m_r JOIN clusters c_r ON c_r.id = m_r.cluster_id WHERE c_r.lead_bso_id = $%[2]d))`, o, next),
			[]any{a.Scope.IntID()}
	case ClusterManager:
		return fmt.Sprintf(`(%[1]s.country_iso3 IN (SELECT cc_r.country_iso3 FROM cluster_countries cc_r WHERE cc_r.cluster_id = $%[2]d)
			OR %[1]s.id IN (SELECT m_r.organisation_id FROM memberships m_r WHERE m_r.cluster_id = $%[2]d))`, o, next),
			[]any{a.Scope.IntID()}
	case CountryCoordinator:
		return fmt.Sprintf("%s.country_iso3 = $%d", o, next), []any{a.Scope.ID}
	}
	return "1=0", nil
}

// OrgWriteFilter limits organisations (alias o) to those the actor may
// change: admins all; BSO staff and cluster managers those they may read.
func OrgWriteFilter(a Actor, o string, next int) (string, []any) {
	switch a.Role {
	case Admin, BSOStaff, ClusterManager:
		return OrgReadFilter(a, o, next)
	}
	return "1=0", nil
}

// CanCreateOrgIn reports whether the actor may register organisations (the
// store then checks the country against OrgWriteFilter's rule).
func CanCreateOrg(a Actor) bool {
	return a.Role == Admin || a.Role == BSOStaff || a.Role == ClusterManager
}

// MayReadAudit reports whether the actor may see the audit log.
func MayReadAudit(a Actor) bool { return a.Role == Admin }
