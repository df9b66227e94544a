package region

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// CountryData is the country page's data; the large tables come rendered
// (see fragment.go). Clusters and BSOs are filled only for signed-in
// people, with what their scope lets them read.
type CountryData struct {
	Country      *geo.Country
	Name         string // in the page's language
	Languages    []string
	Currency     string
	Figures      CountryFigures
	At           time.Time
	SectorTable  template.HTML // empty when the country has no initiatives
	AreaTable    template.HTML // empty when the country has no areas
	Nested       bool
	SignedIn     bool
	SignInURL    string
	ClusterRows  template.HTML
	MoreClusters bool
	BSOs         []BSOItem
	MoreBSOs     bool
	ListLimit    int
}

// HandleCountry shows a country page: facts, figures, firms by area and
// initiatives by sector for everyone; the initiatives and BSOs the viewer
// may read for signed-in people. A code in another form (jam, JM) is
// redirected to the canonical address; an unknown country is not found.
func HandleCountry(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		code := r.PathValue("iso3")
		if len(code) != 3 || strings.ToUpper(code) != code {
			c, err := s.geo.FindCountryByISO3(ctx, code)
			if err != nil {
				rd.Error(w, r, err)
				return
			}
			http.Redirect(w, r, "/countries/"+c.ISO3, http.StatusMovedPermanently)
			return
		}
		f, err := s.Country(ctx, code)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		actor := user.ActorFrom(ctx)
		d, err := s.countryData(loc, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d.SignedIn = actor.SignedIn()
		d.SignInURL = "/login?next=" + url.QueryEscape(r.URL.Path)
		p := rd.NewPage(r, d.Name, d)
		p.Section = section
		p.Crumbs = []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: d.Name}}
		fill := func() error {
			if d.SignedIn {
				return s.fillLists(r, loc, actor, d)
			}
			return nil
		}
		if s.pages == nil {
			err = fill()
		} else {
			// The content is the same for every reader of a language with
			// the same scope, for one snapshot of the figures (f): keep it
			// until the next write, rather than escape its tables again.
			key := fmt.Sprintf("%s|%p|%s|%t|%s|%v|%s", code, f, p.Lang, d.SignedIn, actor.Role, actor.Scope, r.URL.RawQuery)
			p.Content, err = s.pages.Get(key, func() (template.HTML, error) {
				if err := fill(); err != nil {
					return "", err
				}
				return rd.Fragment("region/country", "content", p)
			})
		}
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		rd.Render(w, r, http.StatusOK, "region/country", p)
	})
}

// countryData puts a country's published figures in the page's language.
func (s *Store) countryData(loc *i18n.Localizer, f *CountryPage) (*CountryData, error) {
	c := f.Country
	d := &CountryData{
		Country: c, Name: geo.CountryLabel(loc, c.ISO3, c.Name),
		Currency: geo.CurrencyLabel(loc, c.Currency),
		Figures:  f.Figures, Nested: f.Nested, At: f.At, ListLimit: ListLimit,
	}
	for _, l := range c.Languages {
		d.Languages = append(d.Languages, geo.LanguageLabel(loc, l))
	}
	var err error
	if len(f.Sectors) > 0 {
		d.SectorTable, err = s.frags.table("counts", "sectors|"+c.ISO3, loc, f, func() any {
			return countsTable{ID: "clusters-by-sector", Caption: loc.T("region.country_sector_caption", "country", d.Name),
				Head: loc.T("region.col.sector"), Rows: labelCounts(loc, f.Sectors, SectorLabel)}
		})
		if err != nil {
			return nil, err
		}
	}
	if len(f.Areas) > 0 {
		d.AreaTable, err = s.frags.table("areas", c.ISO3, loc, f, func() any {
			return areasTable{Caption: loc.T("region.by_area_caption", "country", d.Name), Groups: areaGroups(loc, f.Areas, f.Nested),
				NoArea: f.NoArea, Total: f.Figures.Firms}
		})
	}
	return d, err
}

// fillLists adds the initiatives and BSOs of the country that the actor may
// read. Each initiative's row is rendered once per language and content.
func (s *Store) fillLists(r *http.Request, loc *i18n.Localizer, actor user.Actor, d *CountryData) error {
	ctx := r.Context()
	items, more, err := s.FindCountryClusters(ctx, actor, d.Country.ISO3)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.Grow(len(items) * 512)
	for _, c := range items {
		row, err := s.frags.row("cluster-row", loc, c, func() any {
			return ClusterRow{ClusterItem: c, SectorLabel: SectorLabel(loc, c.Sector), StageLabel: StageLabel(loc, c.Stage)}
		})
		if err != nil {
			return err
		}
		b.WriteString(string(row))
	}
	// Each row was rendered by html/template and is safe HTML.
	d.ClusterRows, d.MoreClusters = template.HTML(b.String()), more
	d.BSOs, d.MoreBSOs, err = s.FindCountryBSOs(ctx, actor, d.Country.ISO3)
	return err
}
