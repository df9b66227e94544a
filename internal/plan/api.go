package plan

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxBody is the largest JSON body the plan API reads.
const maxBody = 1 << 20

// APIPlan is a plan as the API answers it: the plan with its latest
// content and the co-financing checks of its budget.
type APIPlan struct {
	*Plan
	Checks Checks `json:"checks"`
}

func (s *Store) apiPlan(r *http.Request, p *Plan) (*APIPlan, error) {
	call, err := s.Call(r.Context(), p)
	if err != nil {
		return nil, err
	}
	return &APIPlan{Plan: p, Checks: Evaluate(p.Content.Budget, TermsOf(call))}, nil
}

// HandleAPIList answers GET /api/v1/plans (?call=ID&status=S).
func HandleAPIList(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "-updated", perPage)
		f := Filter{Limit: params.PerPage, Offset: params.Offset()}
		var fs problem.Fields
		if v := strings.TrimSpace(r.URL.Query().Get("call")); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				fs.Add("call", "%q is not a call ID.", v)
			}
			f.CallID = n
		}
		if v := Status(r.URL.Query().Get("status")); v != "" {
			if !v.Valid() {
				fs.Add("status", "Unknown status %q: use draft, submitted, approved or returned.", v)
			}
			f.Status = v
		}
		if err := fs.Err(); err != nil {
			return err
		}
		items, total, err := s.FindPlans(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIGet answers GET /api/v1/plans/{id}.
func HandleAPIGet(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		p, err := s.FindPlanByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		out, err := s.apiPlan(r, p)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, out)
		return nil
	})
}

// StaleProblem is the 409 answer to a save based on an old version: the
// problem details with the latest version and what changed since.
type StaleProblem struct {
	web.ProblemDetails
	BaseVersion    int      `json:"base_version"`
	CurrentVersion int      `json:"current_version"`
	Changes        []Change `json:"changes"`
}

// HandleAPIPut answers PUT /api/v1/plans/{id}: a new version of the whole
// content, based on base_version.
func HandleAPIPut(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var in SaveInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		p, err := s.SavePlan(r.Context(), actor, id, in)
		var stale *StaleError
		if errors.As(err, &stale) {
			body := StaleProblem{ProblemDetails: web.ProblemDetails{Type: "https://clusterobservatory.org/problems/conflict",
				Title: http.StatusText(http.StatusConflict), Status: http.StatusConflict, Instance: r.URL.Path,
				Detail: "The plan was saved as version " + strconv.Itoa(stale.Current) + " after version " + strconv.Itoa(stale.Base) +
					", which this change is based on. Review the changes and send the content again with base_version " +
					strconv.Itoa(stale.Current) + "."},
				BaseVersion: stale.Base, CurrentVersion: stale.Current, Changes: stale.Changes}
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusConflict)
			return json.NewEncoder(w).Encode(body)
		}
		if err != nil {
			return err
		}
		out, err := s.apiPlan(r, p)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, out)
		return nil
	})
}

// ReturnInput is the body of a return: what must change.
type ReturnInput struct {
	Comment string `json:"comment"`
}

// HandleAPISubmit answers POST /api/v1/plans/{id}/submit.
func HandleAPISubmit(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		p, err := s.Submit(r.Context(), actor, id, web.Localizer(r))
		return s.answer(w, r, p, err)
	})
}

// HandleAPIApprove answers POST /api/v1/plans/{id}/approve.
func HandleAPIApprove(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		p, err := s.Approve(r.Context(), actor, id)
		return s.answer(w, r, p, err)
	})
}

// HandleAPIReturn answers POST /api/v1/plans/{id}/return.
func HandleAPIReturn(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var in ReturnInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		p, err := s.Return(r.Context(), actor, id, in.Comment)
		return s.answer(w, r, p, err)
	})
}

func (s *Store) answer(w http.ResponseWriter, r *http.Request, p *Plan, err error) error {
	if err != nil {
		return err
	}
	out, err := s.apiPlan(r, p)
	if err != nil {
		return err
	}
	web.JSON(w, http.StatusOK, out)
	return nil
}
