package audit

import (
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleAPIAuditList answers GET /api/v1/audit (administrators): entries
// newest first, filtered by record_type, record_id and user_id, with the
// stored before and after JSON.
func HandleAPIAuditList(s *Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !actor.SignedIn() {
			web.APIError(w, r, logger, problem.New(problem.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>."))
			return
		}
		if !user.MayReadAudit(actor) {
			web.APIError(w, r, logger, problem.Forbiddenf("Only administrators may read the audit log."))
			return
		}
		params := web.ParseList(r, "-at", 50)
		f, err := parseFilter(r.URL.Query(), params)
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		entries, total, err := s.FindEntries(r.Context(), f)
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(entries, total, params))
	})
}
