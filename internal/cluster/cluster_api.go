package cluster

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleAPIClusterList answers GET /api/v1/clusters.
func HandleAPIClusterList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "name", 50)
		f, err := parseFilter(r.URL.Query(), params)
		if err != nil {
			return err
		}
		items, total, err := s.FindClusters(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIClusterCreate answers POST /api/v1/clusters.
func HandleAPIClusterCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in Input
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		c, err := s.CreateCluster(r.Context(), actor, in)
		if err != nil {
			return err
		}
		created(w, apiClusterPath(c.ID), c)
		return nil
	})
}

// HandleAPIClusterGet answers GET /api/v1/clusters/{id}.
func HandleAPIClusterGet(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		c, err := s.FindClusterByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, c)
		return nil
	})
}

// HandleAPIClusterPatch answers PATCH /api/v1/clusters/{id}: fields absent
// from the body keep their values; null clears cluster_org_id and started_year.
func HandleAPIClusterPatch(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		cur, err := s.FindClusterByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		in := InputOf(cur)
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		c, err := s.UpdateCluster(r.Context(), actor, id, in)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, c)
		return nil
	})
}

// HandleAPIClusterArchive answers POST /api/v1/clusters/{id}/archive.
func HandleAPIClusterArchive(s *Store, logger *slog.Logger) http.Handler {
	return apiArchive(s, logger, (*Store).ArchiveCluster)
}

// HandleAPIClusterRestore answers POST /api/v1/clusters/{id}/restore.
func HandleAPIClusterRestore(s *Store, logger *slog.Logger) http.Handler {
	return apiArchive(s, logger, (*Store).RestoreCluster)
}

func apiArchive(s *Store, logger *slog.Logger, change func(*Store, context.Context, user.Actor, int64) (*Cluster, error)) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		c, err := change(s, r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, c)
		return nil
	})
}
