package portfolio

import (
	"embed"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Templates are the portfolio pages.
//
//go:embed templates/*.html
var Templates embed.FS

// namesFor names countries and sectors in the reader's language.
func namesFor(loc *i18n.Localizer) Names {
	return Names{
		Country: func(iso3 string) string { return geo.CountryLabel(loc, iso3, iso3) },
		Sector: func(code string) string {
			if code == "" {
				return loc.T("portfolio.sector_not_given")
			}
			return loc.T(cluster.Sector(code).Key())
		},
	}
}

// ProgrammePage is a programme portfolio page's data.
type ProgrammePage struct {
	P   *Programme
	loc *i18n.Localizer
}

// Money formats an amount in the programme's currency.
func (d *ProgrammePage) Money(minor int64) string { return programme.Money(d.loc, minor, d.P.Currency) }

// Share formats n of the submitted applications as a percentage.
func (d *ProgrammePage) Share(n int) string {
	if d.P.Total[Submitted] == 0 {
		return ""
	}
	return d.loc.Percent(float64(n)/float64(d.P.Total[Submitted]), 0)
}

// Disbursed formats the disbursed share of a committed grant.
func (d *ProgrammePage) Disbursed(m Money) string {
	if s := m.GrantShareDisbursed(); s >= 0 {
		return d.loc.Percent(s, 0)
	}
	return "–"
}

// Major is an amount in major units, for chart values.
func (d *ProgrammePage) Major(minor int64) string {
	return strconv.FormatFloat(float64(minor)/pow10(programme.MinorDigits(d.P.Currency)), 'f', -1, 64)
}

func pow10(n int) float64 {
	x := 1.0
	for range n {
		x *= 10
	}
	return x
}

// HandleProgramme shows a programme's pipeline and money.
func HandleProgramme(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		pf, err := s.ForProgramme(r.Context(), user.ActorFrom(r.Context()), id, namesFor(loc))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		title := loc.T("portfolio.title", "name", pf.ProgrammeName)
		p := rd.NewPage(r, title, &ProgrammePage{P: pf, loc: loc})
		p.Section = "programmes"
		p.Crumbs = []web.Crumb{{Label: loc.T("nav.programmes"), URL: "/programmes"},
			{Label: pf.ProgrammeName, URL: "/programmes/" + strconv.FormatInt(id, 10)}, {Label: loc.T("portfolio.crumb")}}
		rd.Render(w, r, http.StatusOK, "portfolio/programme", p)
	})
}

// ApplicantPage is the applicant's portfolio page's data.
type ApplicantPage struct {
	A   *Applicant
	loc *i18n.Localizer
}

// Money formats an amount in an application's currency.
func (d *ApplicantPage) Money(minor int64, cur string) string {
	return programme.Money(d.loc, minor, cur)
}

// HandleApplicant shows the applications, plans and projects of the
// person's BSO or cluster.
func HandleApplicant(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loc := web.Localizer(r)
		a, err := s.ForApplicant(r.Context(), user.ActorFrom(r.Context()))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		title := loc.T("portfolio.mine_title")
		p := rd.NewPage(r, title, &ApplicantPage{A: a, loc: loc})
		p.Section = "applications"
		p.Crumbs = []web.Crumb{{Label: loc.T("nav.applications"), URL: "/applications"}, {Label: title}}
		rd.Render(w, r, http.StatusOK, "portfolio/applicant", p)
	})
}

// HandleAPIProgramme answers a programme's portfolio as JSON.
func HandleAPIProgramme(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		pf, err := s.ForProgramme(r.Context(), actor, id, namesFor(web.Localizer(r)))
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, apiProgramme(pf))
		return nil
	})
}

// Stages lists the pipeline's stages for the page.
func (d *ProgrammePage) Stages() []Stage { return Stages }
