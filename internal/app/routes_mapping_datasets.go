package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/mapping"
)

// mappingDatasetRoutes serves the employment datasets: the list, the upload
// that queues an import job, a dataset's page and CSV download, the empty
// template, archiving, area outlines, and the API.
func (a *App) mappingDatasetRoutes(mux *http.ServeMux) {
	s := mapping.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /mapping/datasets", page(mapping.HandleDatasetList(s, rd)))
	mux.Handle("GET /mapping/datasets/new", page(mapping.HandleDatasetNew(s, rd)))
	mux.Handle("POST /mapping/datasets/new", page(mapping.HandleDatasetCreate(s, a.Jobs, rd)))
	mux.Handle("GET /mapping/datasets/template.csv", page(mapping.HandleDatasetTemplate()))
	// {id} is also "{id}.csv", the cells in the import format.
	mux.Handle("GET /mapping/datasets/{id}", page(mapping.HandleDatasetShow(s, rd)))
	mux.Handle("POST /mapping/datasets/{id}/archive", page(mapping.HandleDatasetArchive(s, rd)))
	mux.Handle("POST /mapping/datasets/{id}/restore", page(mapping.HandleDatasetRestore(s, rd)))
	mux.Handle("POST /mapping/datasets/{id}/outlines", page(mapping.HandleOutlinesUpload(s, rd)))
	mux.Handle("POST /mapping/datasets/{id}/outlines/delete", page(mapping.HandleOutlinesDelete(s, rd)))
	mux.Handle("GET /mapping/datasets/{id}/outlines.geojson", page(mapping.HandleOutlinesGeoJSON(s, rd)))

	a.api(mux, "GET /api/v1/datasets", mapping.HandleAPIDatasetList(s, a.Logger))
	a.api(mux, "POST /api/v1/datasets", mapping.HandleAPIDatasetImport(s, a.Jobs, a.Logger))
	a.api(mux, "GET /api/v1/datasets/{id}", mapping.HandleAPIDatasetGet(s, a.Logger))
}
