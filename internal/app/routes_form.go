package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
)

// formRoutes serves data-collection forms: the list, uploads of XLSForm
// workbooks and the standard templates, each form's versions with their
// fields, original workbook and XForm, publication, field-to-indicator
// mappings, and the API.
func (a *App) formRoutes(mux *http.ServeMux) {
	s := form.NewStore(a.DB, indicator.NewStore(a.DB))
	rd := a.Render
	mux.Handle("GET /forms", page(form.HandleList(s, rd)))
	mux.Handle("GET /forms/new", page(form.HandleNew(rd)))
	mux.Handle("POST /forms", page(form.HandleUpload(s, rd)))
	mux.Handle("GET /forms/templates/{file}", page(form.HandleTemplateDownload(rd)))
	mux.Handle("POST /forms/templates/{name}", page(form.HandleTemplateCreate(s, rd)))
	mux.Handle("GET /forms/{id}", page(form.HandleShow(s, rd)))
	mux.Handle("GET /forms/{id}/versions/{v}", page(form.HandleShow(s, rd)))
	mux.Handle("GET /forms/{id}/versions/{v}/xlsform", page(form.HandleWorkbook(s, rd)))
	mux.Handle("GET /forms/{id}/versions/{v}/xform.xml", page(form.HandleXForm(s, rd)))
	mux.Handle("POST /forms/{id}/versions/{v}/publish", page(form.HandlePublish(s, rd, true)))
	mux.Handle("POST /forms/{id}/versions/{v}/unpublish", page(form.HandlePublish(s, rd, false)))
	mux.Handle("GET /forms/{id}/versions/{v}/mappings", page(form.HandleMappings(s, rd)))
	mux.Handle("POST /forms/{id}/versions/{v}/mappings", page(form.HandleMappingsSave(s, rd)))

	a.api(mux, "GET /api/v1/forms", form.HandleAPIList(s, a.Logger))
	a.api(mux, "POST /api/v1/forms", form.HandleAPIImport(s, a.Logger))
	a.api(mux, "GET /api/v1/forms/{id}", form.HandleAPIGet(s, a.Logger))
	a.api(mux, "GET /api/v1/forms/{id}/versions/{version}", form.HandleAPIVersion(s, a.Logger))
}
