package user

import (
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// APIHandler serves one API request for a signed-in actor and returns its
// error, if any.
type APIHandler func(w http.ResponseWriter, r *http.Request, actor Actor) error

// API serves h to signed-in callers (a session or a bearer token): an
// anonymous caller gets 401, and an error h returns becomes a problem
// details answer.
func API(logger *slog.Logger, h APIHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := ActorFrom(r.Context())
		if !actor.SignedIn() {
			web.APIError(w, r, logger, problem.New(problem.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>."))
			return
		}
		if err := h(w, r, actor); err != nil {
			web.APIError(w, r, logger, err)
		}
	})
}
