package region

import (
	"html/template"
	"net/http"
	"slices"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/web"
)

// section is the main-navigation entry the region pages highlight.
const section = "region"

// CountryRow is a row of the figures-by-country table, named in the page's language.
type CountryRow struct {
	CountryFigures
	Label string
}

// HomeData is the region home page's data; the tables come rendered (see
// fragment.go).
type HomeData struct {
	Totals       Totals
	CrossBorder  int
	At           time.Time
	CountryTable template.HTML
	SectorTable  template.HTML // empty when there are no initiatives
	StageTable   template.HTML
}

// countsTable is the data of a counts fragment: initiatives by sector or stage.
type countsTable struct {
	ID      string
	Caption string
	Head    string
	Rows    []LabelledCount
	Badges  bool // show labels as stage badges
}

// HandleHome shows the region home page: headline figures, the map with its
// table of figures by country, and the initiatives by sector and by stage.
// It is public: anonymous visitors see the same published aggregates.
func HandleHome(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := s.Region(r.Context())
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		d := &HomeData{Totals: f.Totals, CrossBorder: f.CrossBorder, At: f.At}
		d.CountryTable, err = s.frags.table("country-figures", "", loc, f, func() any { return countryRows(loc, f.Countries) })
		if err == nil && len(f.Sectors) > 0 {
			d.SectorTable, err = s.frags.table("counts", "region-sectors", loc, f, func() any {
				return countsTable{ID: "clusters-by-sector", Caption: loc.T("region.by_sector_caption"), Head: loc.T("region.col.sector"),
					Rows: labelCounts(loc, f.Sectors, SectorLabel)}
			})
		}
		if err == nil && len(f.Stages) > 0 {
			d.StageTable, err = s.frags.table("counts", "region-stages", loc, f, func() any {
				return countsTable{ID: "clusters-by-stage", Caption: loc.T("region.by_stage_caption"), Head: loc.T("region.col.stage"),
					Rows: labelCounts(loc, f.Stages, StageLabel), Badges: true}
			})
		}
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		p := rd.NewPage(r, loc.T("region.title"), d)
		p.Section = section
		rd.Render(w, r, http.StatusOK, "region/home", p)
	})
}

// countryRows names the countries in the page's language and sorts them by
// that name, as a reader of that language expects.
func countryRows(loc *i18n.Localizer, figures []CountryFigures) []CountryRow {
	rows := make([]CountryRow, len(figures))
	for i, f := range figures {
		rows[i] = CountryRow{CountryFigures: f, Label: geo.CountryLabel(loc, f.ISO3, f.Name)}
	}
	col := collate.New(language.Make(loc.Lang), collate.IgnoreCase)
	slices.SortStableFunc(rows, func(a, b CountryRow) int { return col.CompareString(a.Label, b.Label) })
	return rows
}
