package event

import (
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ListData is the event list page's data.
type ListData struct {
	Items        []*Event
	Summary      Summary
	Page, Pages  int
	Filter       Filter
	YearText     string
	Clusters     []Option
	Countries    []Country
	CountryNames map[string]string
	Types        []Type
	Headers      []web.SortHeader
	CanCreate    bool
	PlanLabel    string // the plan (and project) the list is filtered by, when known
}

// planLabel names the plan project a list is filtered by from the events
// found, "" when none of them shows it.
func planLabel(f Filter, items []*Event) string {
	for _, e := range items {
		l := e.PlanProject
		if l == nil || !l.Readable || l.PlanID != f.PlanID || (f.Project != 0 && l.Project != f.Project) {
			continue
		}
		if f.Project != 0 {
			return l.PlanTitle + ": " + l.ProjectTitle
		}
		return l.PlanTitle
	}
	return ""
}

// HandleEventList shows the events the person may read, with filters by
// cluster, country, type and year, pages, and the participants of all the
// events that match added up.
func HandleEventList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		loc := web.Localizer(r)
		params := web.ParseList(r, "-date", perPage)
		// Invalid filter values are dropped; the form shows what applies.
		f, _ := parseFilter(r.URL.Query(), params)
		params.Sort = f.Sort
		items, sum, err := s.FindEvents(ctx, actor, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &ListData{Items: items, Summary: sum, Page: params.Page, Pages: params.Pages(sum.Total), Filter: f,
			Types: Types, CanCreate: MayRecord(actor), PlanLabel: planLabel(f, items)}
		if f.Year != 0 {
			d.YearText = strconv.Itoa(f.Year)
		}
		if d.Countries, d.CountryNames, err = s.Countries(ctx); err != nil {
			rd.Error(w, r, err)
			return
		}
		var keep []int64
		if f.ClusterID != 0 {
			keep = []int64{f.ClusterID}
		}
		if d.Clusters, err = s.ClusterOptions(ctx, actor, keep); err != nil {
			rd.Error(w, r, err)
			return
		}
		p := rd.NewPage(r, loc.T("event.list_title"), d)
		p.Section = section
		p.Crumbs = listCrumbs(loc)
		d.Headers = web.SortHeaders(p, f.Sort, "date", loc.T("event.col.date"), "title", loc.T("event.field.title"),
			"type", loc.T("event.field.type"), "participants", loc.T("event.field.participants"))
		rd.Render(w, r, http.StatusOK, "event/list", p)
	})
}
