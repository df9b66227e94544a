package programme

import (
	"context"
	"embed"
	"net/http"
	"slices"
	"strconv"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Templates are the programme and call pages.
//
//go:embed templates/*.html
var Templates embed.FS

// section is the main-navigation entry the programme pages highlight.
const section = "programmes"

// perPage is the size of a page of the programme list.
const perPage = 50

func programmePath(id int64) string { return "/programmes/" + strconv.FormatInt(id, 10) }

func callPath(c *Call) string {
	return programmePath(c.ProgrammeID) + "/calls/" + strconv.FormatInt(c.ID, 10)
}

// PublicPath is the address of a call's public page.
func PublicPath(id int64) string { return "/calls/" + strconv.FormatInt(id, 10) }

// pathID reads a record ID from the URL path; a malformed one is not found.
func pathID(r *http.Request, name string) (int64, error) { return web.ParseID(r.PathValue(name)) }

// Country is a country offered in a form, named in the page's language.
type Country struct {
	ISO3 string
	Name string
}

// countryNames names every country the platform knows in loc's language,
// and lists those of the region (and any of keep) in its collation order.
func countryNames(ctx context.Context, s *Store, loc *i18n.Localizer, keep []string) (map[string]string, []Country, error) {
	cs, err := geo.NewStore(s.db).FindCountries(ctx, geo.Filter{})
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(cs))
	var region []Country
	for _, c := range cs {
		names[c.ISO3] = geo.CountryLabel(loc, c.ISO3, c.Name)
		if c.InRegion || slices.Contains(keep, c.ISO3) {
			region = append(region, Country{ISO3: c.ISO3, Name: names[c.ISO3]})
		}
	}
	col := collate.New(language.Make(loc.Lang), collate.IgnoreCase)
	slices.SortStableFunc(region, func(a, b Country) int { return col.CompareString(a.Name, b.Name) })
	return names, region, nil
}

// envFor is a programme's rule environment naming countries in names.
func envFor(p *Programme, names map[string]string) Env {
	env := p.Env()
	env.CountryName = func(iso3 string) string {
		if n := names[iso3]; n != "" {
			return n
		}
		return iso3
	}
	return env
}

// programmeCrumbs is the trail Programmes → programme, with more after it.
func programmeCrumbs(loc *i18n.Localizer, p *Programme, more ...web.Crumb) []web.Crumb {
	out := []web.Crumb{{Label: loc.T("programme.list_title"), URL: "/programmes"}}
	if p != nil {
		link := ""
		if len(more) > 0 {
			link = programmePath(p.ID)
		}
		out = append(out, web.Crumb{Label: p.Name, URL: link})
	}
	return append(out, more...)
}

// formStatus is the status of a form page that shows err: 200 without one,
// 422 or 409 with a validation problem, and false for other errors, which
// the caller shows as an error page.
func formStatus(err error) (int, *web.FormErrors, bool) {
	if err == nil {
		return http.StatusOK, nil, true
	}
	fe := web.NewFormErrors(err)
	if fe == nil {
		return 0, nil, false
	}
	return problem.KindOf(err).Status(), fe, true
}
