package campaign

import (
	"fmt"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Who may do what with campaigns: administrators and programme officers
// run every campaign; BSO staff the campaigns of their BSO. Everyone else
// sees none.

// MayRun reports whether the actor may create and run campaigns at all.
func MayRun(a user.Actor) bool {
	switch a.Role {
	case user.Admin, user.ProgrammeOfficer, user.BSOStaff:
		return true
	}
	return false
}

func mayRun(a user.Actor) error {
	if !a.SignedIn() {
		return problem.New(problem.Unauthorized, "Sign in to see campaigns.")
	}
	if !MayRun(a) {
		return problem.Forbiddenf("Only administrators, programme officers and BSO staff run campaigns.")
	}
	return nil
}

// campaignScope limits campaigns (alias c) to those the actor may see and
// run, as a condition numbered from $next.
func campaignScope(a user.Actor, c string, next int) (string, []any) {
	switch a.Role {
	case user.Admin, user.ProgrammeOfficer:
		return "1=1", nil
	case user.BSOStaff:
		return fmt.Sprintf("%s.bso_id = $%d", c, next), []any{a.Scope.IntID()}
	}
	return "1=0", nil
}

// pathCampaign is the campaign the request's {id} names, if actor may see
// it.
func (s *Store) pathCampaign(r *http.Request, actor user.Actor) (*Campaign, error) {
	id, err := web.ParseID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.FindCampaign(r.Context(), actor, id)
}
