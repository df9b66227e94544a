package form

import (
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Who may do what with forms. Forms are shared by the whole platform:
// everyone signed in reads them (campaigns of any scope use them);
// administrators, programme officers and BSO staff import forms, publish
// versions and map fields to indicators.

// MayEdit reports whether the actor may import forms, publish versions and
// edit field mappings.
func MayEdit(a user.Actor) bool {
	switch a.Role {
	case user.Admin, user.ProgrammeOfficer, user.BSOStaff:
		return true
	}
	return false
}

func mayRead(a user.Actor) error {
	if !a.SignedIn() {
		return problem.New(problem.Unauthorized, "Sign in to read forms.")
	}
	return nil
}

func mayEdit(a user.Actor) error {
	if !MayEdit(a) {
		return problem.Forbiddenf("Only administrators, programme officers and BSO staff may change forms.")
	}
	return nil
}
