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

// maxBody is the largest JSON body the programme API reads.
const maxBody = 256 << 10

// serveAPI serves h to signed-in callers (see user.API).
func serveAPI(logger *slog.Logger, h user.APIHandler) http.Handler { return user.API(logger, h) }

// HandleAPIProgrammeList answers GET /api/v1/programmes.
func HandleAPIProgrammeList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "name", perPage)
		f := ProgrammeFilter{Query: params.Query, Limit: params.PerPage, Offset: params.Offset()}
		switch v := r.URL.Query().Get("archived"); v {
		case "", "false":
		case "true":
			f.IncludeArchived = true
		default:
			var fs problem.Fields
			fs.Add("archived", "Use archived=true or archived=false.")
			return fs.Err()
		}
		items, total, err := s.FindProgrammes(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIProgrammeCreate answers POST /api/v1/programmes.
func HandleAPIProgrammeCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in ProgrammeInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		p, err := s.CreateProgramme(r.Context(), actor, in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/programmes/"+strconv.FormatInt(p.ID, 10))
		web.JSON(w, http.StatusCreated, p)
		return nil
	})
}

// HandleAPIProgrammeGet answers GET /api/v1/programmes/{id}.
func HandleAPIProgrammeGet(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		p, err := s.FindProgrammeByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, p)
		return nil
	})
}

// HandleAPIProgrammePatch answers PATCH /api/v1/programmes/{id}.
func HandleAPIProgrammePatch(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var p ProgrammePatch
		if err := web.DecodeJSON(w, r, &p, maxBody); err != nil {
			return err
		}
		out, err := s.PatchProgramme(r.Context(), actor, id, p)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, out)
		return nil
	})
}

// HandleAPICallList answers GET /api/v1/calls (?programme=ID, ?status=open).
func HandleAPICallList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "-opens", perPage)
		q := r.URL.Query()
		f := CallFilter{Limit: params.PerPage, Offset: params.Offset()}
		var fs problem.Fields
		if v := strings.TrimSpace(q.Get("programme")); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				fs.Add("programme", "%q is not a programme ID.", v)
			}
			f.ProgrammeID = n
		}
		if v := Status(strings.TrimSpace(q.Get("status"))); v != "" {
			valid := false
			for _, st := range Statuses {
				valid = valid || st == v
			}
			if !valid {
				fs.Add("status", "Unknown status %q: use draft, upcoming, open or closed.", v)
			}
			f.Status = v
		}
		switch v := q.Get("archived"); v {
		case "", "false":
		case "true":
			f.IncludeArchived = true
		default:
			fs.Add("archived", "Use archived=true or archived=false.")
		}
		if err := fs.Err(); err != nil {
			return err
		}
		items, total, err := s.FindCalls(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPICallCreate answers POST /api/v1/calls.
func HandleAPICallCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in CallInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		c, err := s.CreateCall(r.Context(), actor, in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/calls/"+strconv.FormatInt(c.ID, 10))
		web.JSON(w, http.StatusCreated, c)
		return nil
	})
}

// HandleAPICallGet answers GET /api/v1/calls/{id}.
func HandleAPICallGet(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		c, err := s.FindCallByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, c)
		return nil
	})
}

// HandleAPICallPatch answers PATCH /api/v1/calls/{id}.
func HandleAPICallPatch(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var p CallPatch
		if err := web.DecodeJSON(w, r, &p, maxBody); err != nil {
			return err
		}
		c, err := s.PatchCall(r.Context(), actor, id, p)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, c)
		return nil
	})
}
