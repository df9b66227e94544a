package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/indicator"
)

// indicatorExcelRoutes serves Excel entry of indicator values: templates
// to download, uploads checked and previewed, and their commit.
func (a *App) indicatorExcelRoutes(mux *http.ServeMux) {
	s := indicator.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /indicators/values/excel", page(indicator.HandleValueExcel(s, rd)))
	mux.Handle("GET /indicators/values/excel/template.xlsx", page(indicator.HandleValueExcelTemplate(s, rd)))
	mux.Handle("POST /indicators/values/excel", page(indicator.HandleValueExcelUpload(s, rd)))
	mux.Handle("POST /indicators/values/excel/commit", page(indicator.HandleValueExcelCommit(s, rd)))

	a.api(mux, "GET /api/v1/values/template.xlsx", indicator.HandleAPIValueTemplate(s, a.Logger))
	a.api(mux, "POST /api/v1/values/import", indicator.HandleAPIValueImport(s, a.Logger))
}
