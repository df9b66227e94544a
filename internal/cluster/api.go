package cluster

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxBody is the largest JSON body the cluster API reads.
const maxBody = 64 << 10

// apiHandler is an API handler that returns its error; the wrapper answers
// anonymous callers with 401 and turns errors into problem details.
type apiHandler func(w http.ResponseWriter, r *http.Request, actor user.Actor) error

func serveAPI(logger *slog.Logger, h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !actor.SignedIn() {
			web.APIError(w, r, logger, problem.New(problem.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>."))
			return
		}
		if err := h(w, r, actor); err != nil {
			web.APIError(w, r, logger, err)
		}
	})
}

// created answers 201 with the new record and its address.
func created(w http.ResponseWriter, location string, v any) {
	w.Header().Set("Location", location)
	web.JSON(w, http.StatusCreated, v)
}

func apiClusterPath(id int64) string    { return "/api/v1/clusters/" + strconv.FormatInt(id, 10) }
func apiMembershipPath(id int64) string { return "/api/v1/memberships/" + strconv.FormatInt(id, 10) }
