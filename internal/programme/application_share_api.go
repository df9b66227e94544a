package programme

import (
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// coApplicantList is the API's list of the accounts a draft is shared with.
type coApplicantList struct {
	Items []CoApplicant `json:"items"`
	Total int           `json:"total"`
}

// HandleAPICoApplicants answers GET /api/v1/applications/{id}/co-applicants.
func HandleAPICoApplicants(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		cs, err := s.CoApplicants(r.Context(), actor, id)
		if err != nil {
			return err
		}
		if cs == nil {
			cs = []CoApplicant{}
		}
		web.JSON(w, http.StatusOK, coApplicantList{Items: cs, Total: len(cs)})
		return nil
	})
}

// HandleAPIShare answers POST /api/v1/applications/{id}/co-applicants with
// {"email": "…"}: the lead applicant shares the draft.
func HandleAPIShare(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in struct {
			Email string `json:"email"`
		}
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		c, err := s.ShareApplication(r.Context(), actor, id, in.Email)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusCreated, c)
		return nil
	})
}

// HandleAPIUnshare answers DELETE /api/v1/applications/{id}/co-applicants/{user}.
func HandleAPIUnshare(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		other, err := pathID(r, "user")
		if err != nil {
			return err
		}
		if err := s.UnshareApplication(r.Context(), actor, id, other); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}
