package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/importer"
)

// importRoutes serves bulk import of organisations and memberships: the
// upload page, the dry run, the commit, the templates and the API.
func (a *App) importRoutes(mux *http.ServeMux) {
	im := importer.New(a.DB)
	rd := a.Render
	mux.Handle("GET /import", page(importer.HandleForm(rd)))
	mux.Handle("POST /import", page(importer.HandleCheck(im, rd)))
	mux.Handle("POST /import/{batch}/commit", page(importer.HandleCommit(im, rd)))
	mux.Handle("GET /import/templates/{file}", page(importer.HandleTemplate(im, rd)))

	a.api(mux, "POST /api/v1/imports", importer.HandleAPIImport(im, a.Logger))
}
