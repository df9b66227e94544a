package event

import (
	"context"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleEventArchive archives an event and returns to it.
func HandleEventArchive(s *Store, rd *web.Renderer) http.Handler {
	return handleArchive(s, rd, (*Store).ArchiveEvent, "event.flash.archived")
}

// HandleEventRestore restores an archived event.
func HandleEventRestore(s *Store, rd *web.Renderer) http.Handler {
	return handleArchive(s, rd, (*Store).RestoreEvent, "event.flash.restored")
}

func handleArchive(s *Store, rd *web.Renderer, change func(*Store, context.Context, user.Actor, int64) (*Event, error), flashKey string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := change(s, r.Context(), user.ActorFrom(r.Context()), id); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T(flashKey))
		http.Redirect(w, r, eventPath(id), http.StatusSeeOther)
	})
}
