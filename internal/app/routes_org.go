package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/org"
)

// orgRoutes serves the registry of organisations.
func (a *App) orgRoutes(mux *http.ServeMux) {
	s := org.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /organisations", page(org.HandleOrganisationList(s, rd)))
	mux.Handle("GET /organisations.csv", page(org.HandleOrganisationCSV(s, rd, a.Logger)))
	mux.Handle("GET /organisations/new", page(org.HandleOrganisationNew(s, rd)))
	mux.Handle("GET /organisations/pick", page(org.HandleOrganisationPick(s, rd)))
	mux.Handle("POST /organisations", page(org.HandleOrganisationCreate(s, rd)))
	mux.Handle("GET /organisations/{id}", page(org.HandleOrganisationShow(s, rd)))
	mux.Handle("GET /organisations/{id}/edit", page(org.HandleOrganisationEdit(s, rd)))
	mux.Handle("POST /organisations/{id}", page(org.HandleOrganisationUpdate(s, rd)))
	mux.Handle("POST /organisations/{id}/archive", page(org.HandleOrganisationArchive(s, rd)))
	mux.Handle("POST /organisations/{id}/restore", page(org.HandleOrganisationRestore(s, rd)))

	a.api(mux, "GET /api/v1/organisations", org.HandleAPIOrganisationList(s, a.Logger))
	a.api(mux, "POST /api/v1/organisations", org.HandleAPIOrganisationCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/organisations/{id}", org.HandleAPIOrganisationGet(s, a.Logger))
	a.api(mux, "PATCH /api/v1/organisations/{id}", org.HandleAPIOrganisationPatch(s, a.Logger))
	a.api(mux, "POST /api/v1/organisations/{id}/archive", org.HandleAPIOrganisationArchive(s, a.Logger))
	a.api(mux, "POST /api/v1/organisations/{id}/restore", org.HandleAPIOrganisationRestore(s, a.Logger))
}
