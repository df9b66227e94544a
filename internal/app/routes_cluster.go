package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/cluster"
)

// clusterRoutes serves cluster initiatives and their memberships.
func (a *App) clusterRoutes(mux *http.ServeMux) {
	s := cluster.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /clusters", page(cluster.HandleClusterList(s, rd)))
	mux.Handle("GET /clusters/new", page(cluster.HandleClusterNew(s, rd)))
	mux.Handle("GET /clusters/pick", page(cluster.HandleClusterPick(s, rd)))
	mux.Handle("POST /clusters", page(cluster.HandleClusterCreate(s, rd)))
	mux.Handle("GET /clusters/{id}", page(cluster.HandleClusterShow(s, rd)))
	mux.Handle("GET /clusters/{id}/edit", page(cluster.HandleClusterEdit(s, rd)))
	mux.Handle("POST /clusters/{id}", page(cluster.HandleClusterUpdate(s, rd)))
	mux.Handle("POST /clusters/{id}/archive", page(cluster.HandleClusterArchive(s, rd)))
	mux.Handle("POST /clusters/{id}/restore", page(cluster.HandleClusterRestore(s, rd)))
	mux.Handle("GET /clusters/{id}/candidates", page(cluster.HandleMemberCandidates(s, rd)))
	mux.Handle("POST /clusters/{id}/members", page(cluster.HandleMemberAdd(s, rd)))
	mux.Handle("POST /clusters/{id}/members/{mid}/end", page(cluster.HandleMemberEnd(s, rd)))

	a.api(mux, "GET /api/v1/clusters", cluster.HandleAPIClusterList(s, a.Logger))
	a.api(mux, "POST /api/v1/clusters", cluster.HandleAPIClusterCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/clusters/{id}", cluster.HandleAPIClusterGet(s, a.Logger))
	a.api(mux, "PATCH /api/v1/clusters/{id}", cluster.HandleAPIClusterPatch(s, a.Logger))
	a.api(mux, "POST /api/v1/clusters/{id}/archive", cluster.HandleAPIClusterArchive(s, a.Logger))
	a.api(mux, "POST /api/v1/clusters/{id}/restore", cluster.HandleAPIClusterRestore(s, a.Logger))
	a.api(mux, "GET /api/v1/memberships", cluster.HandleAPIMembershipList(s, a.Logger))
	a.api(mux, "POST /api/v1/memberships", cluster.HandleAPIMembershipCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/memberships/{id}", cluster.HandleAPIMembershipGet(s, a.Logger))
	a.api(mux, "PATCH /api/v1/memberships/{id}", cluster.HandleAPIMembershipPatch(s, a.Logger))
	a.api(mux, "POST /api/v1/memberships/{id}/end", cluster.HandleAPIMembershipEnd(s, a.Logger))
}
