package mapping

import "github.com/clusterobservatory/observatory/internal/user"

// Employment datasets and definition sets are shared reference material:
// every signed-in person may read them, whatever their scope, since a BSO
// maps its country against the region's data and a ministry checks a BSO's
// figures. Bringing data in is for the roles that hold it; changing or
// archiving a dataset or set is for its importer and administrators.

// MayImport reports whether the actor may import employment datasets and
// create definition sets.
func MayImport(a user.Actor) bool {
	switch a.Role {
	case user.Admin, user.ProgrammeOfficer, user.BSOStaff, user.CountryCoordinator:
		return true
	}
	return false
}

// MayChange reports whether the actor may replace or archive a dataset or
// definition set created by createdBy (0 for built-in or command-line ones,
// which only administrators, and so the command line, may change).
func MayChange(a user.Actor, createdBy int64) bool {
	if a.Role == user.Admin {
		return true
	}
	return createdBy != 0 && a.UserID == createdBy && MayImport(a)
}
