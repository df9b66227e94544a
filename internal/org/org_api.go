package org

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxBody is the largest JSON body the organisation API reads.
const maxBody = 64 << 10

// serveAPI serves h to signed-in callers (see user.API).
func serveAPI(logger *slog.Logger, h user.APIHandler) http.Handler { return user.API(logger, h) }

func apiPath(id int64) string { return "/api/v1/organisations/" + strconv.FormatInt(id, 10) }

// HandleAPIOrganisationList answers GET /api/v1/organisations.
func HandleAPIOrganisationList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "name", perPage)
		f, err := parseFilter(r.URL.Query(), params)
		if err != nil {
			return err
		}
		items, total, err := s.FindOrganisations(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIOrganisationCreate answers POST /api/v1/organisations.
func HandleAPIOrganisationCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in Input
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		o, err := s.CreateOrganisation(r.Context(), actor, in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", apiPath(o.ID))
		web.JSON(w, http.StatusCreated, o)
		return nil
	})
}

// HandleAPIOrganisationGet answers GET /api/v1/organisations/{id}.
func HandleAPIOrganisationGet(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		o, err := s.FindOrganisationByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, o)
		return nil
	})
}

// HandleAPIOrganisationPatch answers PATCH /api/v1/organisations/{id}: only
// the fields in the body change (see Patch).
func HandleAPIOrganisationPatch(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var p Patch
		if err := web.DecodeJSON(w, r, &p, maxBody); err != nil {
			return err
		}
		o, err := s.PatchOrganisation(r.Context(), actor, id, p)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, o)
		return nil
	})
}

// HandleAPIOrganisationArchive answers POST /api/v1/organisations/{id}/archive.
func HandleAPIOrganisationArchive(s *Store, logger *slog.Logger) http.Handler {
	return apiArchive(s, logger, (*Store).ArchiveOrganisation)
}

// HandleAPIOrganisationRestore answers POST /api/v1/organisations/{id}/restore.
func HandleAPIOrganisationRestore(s *Store, logger *slog.Logger) http.Handler {
	return apiArchive(s, logger, (*Store).RestoreOrganisation)
}

func apiArchive(s *Store, logger *slog.Logger, change func(*Store, context.Context, user.Actor, int64) (*Organisation, error)) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		o, err := change(s, r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, o)
		return nil
	})
}
