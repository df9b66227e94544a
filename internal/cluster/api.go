package cluster

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxBody is the largest JSON body the cluster API reads.
const maxBody = 64 << 10

// serveAPI serves h to signed-in callers (see user.API).
func serveAPI(logger *slog.Logger, h user.APIHandler) http.Handler { return user.API(logger, h) }

// created answers 201 with the new record and its address.
func created(w http.ResponseWriter, location string, v any) {
	w.Header().Set("Location", location)
	web.JSON(w, http.StatusCreated, v)
}

func apiClusterPath(id int64) string    { return "/api/v1/clusters/" + strconv.FormatInt(id, 10) }
func apiMembershipPath(id int64) string { return "/api/v1/memberships/" + strconv.FormatInt(id, 10) }
