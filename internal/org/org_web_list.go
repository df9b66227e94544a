package org

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ListData is the organisation list page's data.
type ListData struct {
	Items        []*Organisation
	Total        int
	Page, Pages  int
	Filter       Filter
	Countries    []Country
	CountryNames map[string]string
	Kinds        []Kind
	SizeBands    []SizeBand
	Industries   []Industry
	Headers      []web.SortHeader
	CanCreate    bool
	CSVURL       string
	// The selected values of the size and yes/no filters, as the form sends them.
	Size, WomenLed, YouthLed string
}

// HandleOrganisationList shows the organisations the person may read, with
// search, filters, sorting and pages.
func HandleOrganisationList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		loc := web.Localizer(r)
		params := web.ParseList(r, "name", perPage)
		// Invalid filter values are dropped; the form shows what applies.
		f, _ := parseFilter(r.URL.Query(), params)
		params.Sort = f.Sort
		items, total, err := s.FindOrganisations(ctx, actor, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &ListData{Items: items, Total: total, Page: params.Page, Pages: params.Pages(total), Filter: f,
			Kinds: Kinds, SizeBands: SizeBands, CanCreate: mayCreate(actor), CSVURL: csvURL(r),
			Size: string(f.SizeBand), WomenLed: boolText(f.WomenLed), YouthLed: boolText(f.YouthLed)}
		if f.UnknownSize {
			d.Size = "unknown"
		}
		if d.Countries, d.CountryNames, err = s.countries(ctx, loc); err != nil {
			rd.Error(w, r, err)
			return
		}
		if d.Industries, err = s.IndustryOptions(ctx); err != nil {
			rd.Error(w, r, err)
			return
		}
		p := rd.NewPage(r, loc.T("org.list_title"), d)
		p.Section = section
		p.Crumbs = []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("org.list_title")}}
		d.Headers = web.SortHeaders(p, f.Sort,
			"name", loc.T("org.field.name"), "kind", loc.T("org.field.kind"), "country", loc.T("common.country"),
			"size", loc.T("org.field.size_band"), "created", loc.T("org.col.registered"))
		rd.Render(w, r, http.StatusOK, "org/list", p)
	})
}

// csvURL is the download of the list as filtered, without its paging.
func csvURL(r *http.Request) string {
	q := r.URL.Query()
	for _, k := range []string{"page", "per_page", "limit", "offset", "lang"} {
		q.Del(k)
	}
	if len(q) == 0 {
		return "/organisations.csv"
	}
	return "/organisations.csv?" + q.Encode()
}

func boolText(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "true"
	}
	return "false"
}
