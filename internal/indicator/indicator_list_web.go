package indicator

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ListData is the indicator list page's data.
type ListData struct {
	Items       []*Indicator
	Total       int
	Page, Pages int
	Filter      Filter
	Levels      []Level
	CanCreate   bool
}

// HandleIndicatorList shows the indicators with search, filters by level
// and by standard or custom, and pages.
func HandleIndicatorList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		loc := web.Localizer(r)
		params := web.ParseList(r, "code", 50)
		// Invalid filter values are dropped; the form shows what applies.
		f, _ := parseFilter(r.URL.Query(), params)
		items, total, err := s.FindIndicators(r.Context(), actor, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		data := &ListData{Items: items, Total: total, Page: params.Page, Pages: params.Pages(total), Filter: f,
			Levels: Levels, CanCreate: MayEditIndicators(actor)}
		p := rd.NewPage(r, loc.T("indicator.list_title"), data)
		p.Section = section
		p.Crumbs = listCrumbs(loc)
		rd.Render(w, r, http.StatusOK, "indicator/list", p)
	})
}
