package programme

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleAPIApplicationList answers GET /api/v1/applications (?call=ID).
func HandleAPIApplicationList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "-updated", perPage)
		f := ApplicationFilter{Limit: params.PerPage, Offset: params.Offset()}
		var fs problem.Fields
		if v := strings.TrimSpace(r.URL.Query().Get("call")); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				fs.Add("call", "%q is not a call ID.", v)
			}
			f.CallID = n
		}
		switch v := AppStatus(r.URL.Query().Get("status")); v {
		case "", AppDraft, AppSubmitted:
			f.Status = v
		default:
			fs.Add("status", "Unknown status %q: use draft or submitted.", v)
		}
		if err := fs.Err(); err != nil {
			return err
		}
		items, total, err := s.FindApplications(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIApplicationGet answers GET /api/v1/applications/{id}.
func HandleAPIApplicationGet(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		a, err := s.FindApplicationByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, a)
		return nil
	})
}

// HandleAPIApplicationCreate answers POST /api/v1/applications.
func HandleAPIApplicationCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in ApplicationInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		a, err := s.CreateApplication(r.Context(), actor, in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/applications/"+strconv.FormatInt(a.ID, 10))
		web.JSON(w, http.StatusCreated, a)
		return nil
	})
}

// HandleAPIApplicationPatch answers PATCH /api/v1/applications/{id}.
func HandleAPIApplicationPatch(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var p ApplicationPatch
		if err := web.DecodeJSON(w, r, &p, maxBody); err != nil {
			return err
		}
		a, err := s.PatchApplication(r.Context(), actor, id, p)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, a)
		return nil
	})
}

// HandleAPIApplicationSubmit answers POST /api/v1/applications/{id}/submit;
// the reasons of the eligibility results are in the request's language.
func HandleAPIApplicationSubmit(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		loc := web.Localizer(r)
		names, _, err := countryNames(r.Context(), s, loc, nil)
		if err != nil {
			return err
		}
		a, err := s.SubmitApplication(r.Context(), actor, id, loc, names)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, a)
		return nil
	})
}
