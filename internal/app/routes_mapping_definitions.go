package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/mapping"
)

// mappingDefinitionRoutes serves the cluster definition sets: the list, a
// set's page and CSV download, the import, the derivation of an ISIC set
// from a NAICS set, archiving, and the API.
func (a *App) mappingDefinitionRoutes(mux *http.ServeMux) {
	s := mapping.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /mapping/definitions", page(mapping.HandleDefinitionList(s, rd)))
	mux.Handle("GET /mapping/definitions/import", page(mapping.HandleDefinitionImportForm(rd)))
	mux.Handle("POST /mapping/definitions/import", page(mapping.HandleDefinitionImport(s, rd)))
	// {id} is also "{id}.csv", the download in the import format.
	mux.Handle("GET /mapping/definitions/{id}", page(mapping.HandleDefinitionShow(s, rd)))
	mux.Handle("POST /mapping/definitions/{id}/derive", page(mapping.HandleDefinitionDerive(s, rd)))
	mux.Handle("POST /mapping/definitions/{id}/archive", page(mapping.HandleDefinitionArchive(s, rd)))
	mux.Handle("POST /mapping/definitions/{id}/restore", page(mapping.HandleDefinitionRestore(s, rd)))

	a.api(mux, "GET /api/v1/definition-sets", mapping.HandleAPIDefinitionSetList(s, a.Logger))
	a.api(mux, "POST /api/v1/definition-sets", mapping.HandleAPIDefinitionSetSave(s, a.Logger))
	a.api(mux, "GET /api/v1/definition-sets/{id}", mapping.HandleAPIDefinitionSetGet(s, a.Logger))
	a.api(mux, "POST /api/v1/definition-sets/{id}/derive-isic", mapping.HandleAPIDefinitionSetDerive(s, a.Logger))
}
