package cluster

import (
	"context"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleClusterArchive archives a cluster initiative and returns to its profile.
func HandleClusterArchive(s *Store, rd *web.Renderer) http.Handler {
	return handleArchive(s, rd, (*Store).ArchiveCluster, "cluster.flash.archived")
}

// HandleClusterRestore restores an archived cluster initiative.
func HandleClusterRestore(s *Store, rd *web.Renderer) http.Handler {
	return handleArchive(s, rd, (*Store).RestoreCluster, "cluster.flash.restored")
}

func handleArchive(s *Store, rd *web.Renderer, change func(*Store, context.Context, user.Actor, int64) (*Cluster, error), flashKey string) http.Handler {
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
		http.Redirect(w, r, clusterPath(id), http.StatusSeeOther)
	})
}
