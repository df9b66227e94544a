package cluster

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ListData is the cluster list page's data.
type ListData struct {
	Items        []*Cluster
	Total        int
	Page, Pages  int
	Filter       Filter
	Countries    []Country
	CountryNames map[string]string
	Sectors      []Sector
	Stages       []Stage
	Headers      []web.SortHeader
	CanCreate    bool
}

// HandleClusterList shows the cluster initiatives the person may read, with
// search, filters, sorting and pages.
func HandleClusterList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		loc := web.Localizer(r)
		params := web.ParseList(r, "name", 50)
		// Invalid filter values are dropped; the form shows what applies.
		f, _ := parseFilter(r.URL.Query(), params)
		params.Sort = f.Sort
		items, total, err := s.FindClusters(r.Context(), actor, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		countries, names, err := s.countryNames(r.Context())
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		data := &ListData{
			Items: items, Total: total, Page: params.Page, Pages: params.Pages(total), Filter: f,
			Countries: countries, CountryNames: names, Sectors: Sectors, Stages: Stages,
			CanCreate: actor.Role == user.Admin || actor.Role == user.BSOStaff,
		}
		p := rd.NewPage(r, loc.T("cluster.list_title"), data)
		p.Section = section
		p.Crumbs = []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("cluster.list_title")}}
		data.Headers = web.SortHeaders(p, f.Sort,
			"name", loc.T("cluster.field.name"), "sector", loc.T("cluster.field.sector"), "stage", loc.T("cluster.field.stage"),
			"members", loc.T("cluster.col.members"), "started", loc.T("cluster.col.started"))
		rd.Render(w, r, http.StatusOK, "cluster/list", p)
	})
}
