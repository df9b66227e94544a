package indicator

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// dashSection is the main-navigation entry the results dashboards highlight.
const dashSection = "results"

// DashboardData is a results dashboard page's data.
type DashboardData struct {
	*Dashboard
	// Query is the dashboard's filters as a query string, for the download links.
	Query  string
	Errors *web.FormErrors
}

// TableID is the HTML id of the series table, which its chart reads.
func (s *ResultSeries) TableID() string { return "res-" + strings.ToLower(s.Indicator.Code) }

// ShareTableID is the HTML id of the table of a focus category's shares.
func (s *ResultSeries) ShareTableID(c Category) string {
	return "share-" + strings.ToLower(s.Indicator.Code) + "-" + c.Dimension
}

// Decimals is how many decimals show a number: none for whole numbers.
func (s *ResultSeries) Decimals(v float64) int { return decimals(v) }

// ShareAt is row n's share of focus category c, for the share tables.
func (s *ResultSeries) ShareAt(n int, c Category) *FocusShare {
	for i := range s.Rows[n].Shares {
		if s.Rows[n].Shares[i].Category == c {
			return &s.Rows[n].Shares[i]
		}
	}
	return nil
}

// Percent is the share in percent, for the chart (nil: no data).
func (s FocusShare) Percent() *float64 { return percentOf(s.Share) }

// TargetPercent is the target share in percent, for the chart.
func (s FocusShare) TargetPercent() *float64 { return percentOf(s.TargetShare) }

func percentOf(v *float64) *float64 {
	if v == nil {
		return nil
	}
	p := math.Round(*v*1000) / 10
	return &p
}

// HasData reports whether any year has a value or a target.
func (s *ResultSeries) HasData() bool {
	for _, r := range s.Rows {
		if r.Actual != nil || r.Target != nil {
			return true
		}
	}
	return false
}

// IsChosen reports whether an indicator is on the dashboard.
func (d *Dashboard) IsChosen(code string) bool { return dashContains(d.Chosen, code) }

// ScopeParam is the scope as the downloads and the API write it.
func (d *Dashboard) ScopeParam() string { return d.Scope.String() }

// Years lists the years the from and to menus offer.
func (d *Dashboard) Years() []int {
	var out []int
	for y := min(d.From, 2015); y <= max(d.To, 2030); y++ {
		out = append(out, y)
	}
	return out
}

// parseDashQuery reads a dashboard's filters: indicator (repeated or
// comma-separated codes), from and to (years), values (approved or all).
func parseDashQuery(q url.Values, sc ResultsScope) (DashboardQuery, error) {
	dq := DashboardQuery{Scope: sc}
	var f problem.Fields
	for _, v := range q["indicator"] {
		for _, code := range strings.Split(v, ",") {
			if code = strings.TrimSpace(code); code != "" {
				dq.Codes = append(dq.Codes, strings.ToUpper(code))
			}
		}
	}
	year := func(name string) int {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < MinYear || n > MaxYear {
			f.Add(name, "%q is not a year: write it like 2021 (from %d to %d).", v, MinYear, MaxYear)
			return 0
		}
		return n
	}
	dq.From, dq.To = year("from"), year("to")
	switch v := q.Get("values"); v {
	case "", "approved":
	case "all":
		dq.All = true
	default:
		f.Add("values", "Use values=approved (the default) or values=all.")
	}
	return dq, f.Err()
}

// dashQueryString keeps a dashboard's filters for its download links.
func dashQueryString(d *Dashboard) string {
	q := url.Values{"scope": {d.Scope.String()}, "from": {strconv.Itoa(d.From)}, "to": {strconv.Itoa(d.To)}}
	for _, c := range d.Chosen {
		q.Add("indicator", c)
	}
	if d.All {
		q.Set("values", "all")
	}
	return q.Encode()
}

// HandleResultsRegion shows the results dashboard of the whole region.
func HandleResultsRegion(s *Store, rd *web.Renderer) http.Handler {
	return handleDash(s, rd, func(*http.Request) (ResultsScope, error) {
		return ResultsScope{Kind: ScopeRegion}, nil
	})
}

// HandleResultsCountry shows the results dashboard of one country.
func HandleResultsCountry(s *Store, rd *web.Renderer) http.Handler {
	return handleDash(s, rd, func(r *http.Request) (ResultsScope, error) {
		sc, err := ParseResultsScope("country:" + r.PathValue("iso3"))
		if err != nil {
			return sc, problem.NotFoundf("%s", err)
		}
		return sc, nil
	})
}

// HandleResultsCluster shows the results dashboard of one cluster initiative.
func HandleResultsCluster(s *Store, rd *web.Renderer) http.Handler {
	return handleDash(s, rd, func(r *http.Request) (ResultsScope, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return ResultsScope{}, err
		}
		return ResultsScope{Kind: ScopeCluster, ClusterID: id}, nil
	})
}

func handleDash(s *Store, rd *web.Renderer, scope func(*http.Request) (ResultsScope, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		sc, err := scope(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		status := http.StatusOK
		var fe *web.FormErrors
		dq, err := parseDashQuery(r.URL.Query(), sc)
		if err != nil {
			// Show the dashboard with its defaults and the problems beside the filters.
			status, fe = http.StatusUnprocessableEntity, web.NewFormErrors(err)
			dq = DashboardQuery{Scope: sc}
		}
		d, err := s.Dashboard(ctx, actor, dq)
		if fe == nil && problem.Is(err, problem.Invalid) {
			status, fe = http.StatusUnprocessableEntity, web.NewFormErrors(err)
			d, err = s.Dashboard(ctx, actor, DashboardQuery{Scope: sc})
		}
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		title := loc.T("indicatorresults.title_region")
		crumbs := []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("indicatorresults.title_region"), URL: "/results"}}
		switch sc.Kind {
		case ScopeCountry:
			title = loc.T("indicatorresults.title_of", "name", d.ScopeName)
			crumbs = append(crumbs, web.Crumb{Label: d.ScopeName})
		case ScopeCluster:
			title = loc.T("indicatorresults.title_of", "name", d.ScopeName)
			if d.Country != "" {
				crumbs = append(crumbs, web.Crumb{Label: d.Country, URL: "/results/countries/" + d.Country})
			}
			crumbs = append(crumbs, web.Crumb{Label: d.ScopeName})
		default:
			crumbs[1].URL = ""
		}
		p := rd.NewPage(r, title, &DashboardData{Dashboard: d, Query: dashQueryString(d), Errors: fe})
		p.Section = dashSection
		p.Crumbs = crumbs
		rd.Render(w, r, status, "indicator/dashboard", p)
	})
}
