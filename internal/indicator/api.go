package indicator

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxBody is the largest JSON body the indicator API reads.
const maxBody = 64 << 10

// serveAPI serves h to signed-in callers (see user.API).
func serveAPI(logger *slog.Logger, h user.APIHandler) http.Handler { return user.API(logger, h) }

func apiIndicatorPath(id int64) string { return "/api/v1/indicators/" + strconv.FormatInt(id, 10) }

// HandleAPIIndicatorList answers GET /api/v1/indicators.
func HandleAPIIndicatorList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "code", 50)
		f, err := parseFilter(r.URL.Query(), params)
		if err != nil {
			return err
		}
		items, total, err := s.FindIndicators(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIIndicatorCreate answers POST /api/v1/indicators.
func HandleAPIIndicatorCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in Input
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		ind, err := s.CreateIndicator(r.Context(), actor, in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", apiIndicatorPath(ind.ID))
		web.JSON(w, http.StatusCreated, ind)
		return nil
	})
}

// HandleAPIIndicatorGet answers GET /api/v1/indicators/{id}.
func HandleAPIIndicatorGet(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		ind, err := s.FindIndicatorByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, ind)
		return nil
	})
}

// HandleAPIIndicatorPatch answers PATCH /api/v1/indicators/{id}: fields
// absent from the body keep their values; reason is required.
func HandleAPIIndicatorPatch(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		cur, err := s.FindIndicatorByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		up := Update{Input: InputOf(cur)}
		if err := web.DecodeJSON(w, r, &up, maxBody); err != nil {
			return err
		}
		ind, err := s.UpdateIndicator(r.Context(), actor, id, up)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, ind)
		return nil
	})
}

// HandleAPITargetList answers GET /api/v1/targets?subject=&indicator=&kind=.
func HandleAPITargetList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "", 200)
		q := r.URL.Query()
		var fs problem.Fields
		f := TargetFilter{Limit: params.PerPage, Offset: params.Offset()}
		if v := q.Get("subject"); v != "" {
			sub, err := ParseSubject(v)
			if err != nil {
				fs.Add("subject", "%s.", err)
			}
			f.Subject = sub
		}
		if v := q.Get("indicator"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				fs.Add("indicator", "%q is not an indicator ID.", v)
			}
			f.IndicatorID = n
		}
		if v := TargetKind(q.Get("kind")); v != "" {
			if !v.Valid() {
				fs.Add("kind", "Use kind=baseline or kind=target.")
			}
			f.Kind = v
		}
		if err := fs.Err(); err != nil {
			return err
		}
		items, total, err := s.FindTargets(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// TargetResponse is a baseline or target with its revision history.
type TargetResponse struct {
	*Target
	Revisions []*Revision `json:"revisions"`
}

// HandleAPITargetSet answers POST /api/v1/targets: 201 with a new target,
// 200 with a revised (or unchanged) one.
func HandleAPITargetSet(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in TargetInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		t, created, err := s.SetTarget(r.Context(), actor, in)
		if err != nil {
			return err
		}
		revs, err := s.FindRevisions(r.Context(), actor, t.ID)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		web.JSON(w, status, TargetResponse{Target: t, Revisions: revs})
		return nil
	})
}
