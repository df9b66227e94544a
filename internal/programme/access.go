package programme

import (
	"fmt"

	"github.com/clusterobservatory/observatory/internal/user"
)

// Who may do what with programmes and calls:
//
//   - administrators create, edit and archive every programme and call;
//   - a programme officer whose account has a programme scope
//     (programme:ID) edits that programme and its calls only, and creates
//     no programme; one without a scope works on every programme, as the
//     funder's officer for all of them;
//   - everyone signed in reads programmes and published calls; a call that
//     is not published yet is seen only by those who may edit it;
//   - a published call's public page needs no account.

// MayCreateProgramme reports whether the actor may start a programme.
func MayCreateProgramme(a user.Actor) bool {
	switch a.Role {
	case user.Admin:
		return true
	case user.ProgrammeOfficer:
		return a.Scope.Kind != user.ScopeProgramme
	}
	return false
}

// MayEditSome reports whether the actor's role may edit any programme at all.
func MayEditSome(a user.Actor) bool { return a.Role == user.Admin || a.Role == user.ProgrammeOfficer }

// MayEdit reports whether the actor may change programme id and its calls.
func MayEdit(a user.Actor, programmeID int64) bool {
	switch a.Role {
	case user.Admin:
		return true
	case user.ProgrammeOfficer:
		return a.Scope.Kind != user.ScopeProgramme || a.Scope.IntID() == programmeID
	}
	return false
}

// writeFilter limits programmes (column col holds the programme's ID) to
// those the actor may change, as an SQL condition numbered from next.
func writeFilter(a user.Actor, col string, next int) (string, []any) {
	switch a.Role {
	case user.Admin:
		return "1=1", nil
	case user.ProgrammeOfficer:
		if a.Scope.Kind == user.ScopeProgramme {
			return fmt.Sprintf("%s = $%d", col, next), []any{a.Scope.IntID()}
		}
		return "1=1", nil
	}
	return "1=0", nil
}

// callReadFilter limits calls (alias c) to those the actor may read:
// published ones, and the drafts of programmes the actor may change.
func callReadFilter(a user.Actor, c string, next int) (string, []any) {
	if !a.SignedIn() {
		return c + ".published = TRUE", nil
	}
	cond, args := writeFilter(a, c+".programme_id", next)
	return fmt.Sprintf("(%s.published = TRUE OR %s)", c, cond), args
}
