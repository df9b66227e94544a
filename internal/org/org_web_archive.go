package org

import (
	"context"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleOrganisationArchive archives an organisation and returns to its profile.
func HandleOrganisationArchive(s *Store, rd *web.Renderer) http.Handler {
	return handleArchive(s, rd, (*Store).ArchiveOrganisation, "org.flash.archived")
}

// HandleOrganisationRestore restores an archived organisation (administrators only).
func HandleOrganisationRestore(s *Store, rd *web.Renderer) http.Handler {
	return handleArchive(s, rd, (*Store).RestoreOrganisation, "org.flash.restored")
}

func handleArchive(s *Store, rd *web.Renderer, change func(*Store, context.Context, user.Actor, int64) (*Organisation, error), flashKey string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := change(s, r.Context(), user.ActorFrom(r.Context()), id); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T(flashKey))
		http.Redirect(w, r, orgPath(id), http.StatusSeeOther)
	})
}
