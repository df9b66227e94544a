package mapping

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// explorePerPage is the explorer table's page size.
const explorePerPage = 50

// CandidateRow is a candidate with its labels and figures formatted for the
// page's language (a table of 50 rows × 15 figures).
type CandidateRow struct {
	Candidate
	AreaName, CountryName, ClusterName            string
	DetailURL                                     string
	EmpText, ShareText, LQText, LQRange, LQCMText string
	CAGRText, JobsNew, LQChangeText               string
	LevelKey, QuadrantKey                         string
	StarCount                                     int
}

// ExploreData is the explorer's data.
type ExploreData struct {
	Form       ExploreForm
	Choices    Choices
	Ready      bool // a dataset and a matching set exist
	NoSet      bool // there are datasets but no definition set of the chosen one's classification
	Run        *Run
	Rows       []CandidateRow
	Total      int
	Page       int
	Pages      int
	Headers    []web.SortHeader
	Clusters   []ClusterInfo // the set's clusters by name, for the cluster filter
	Errors     *web.FormErrors
	Years      []int
	Thresholds *Thresholds // of the chosen cluster, when one is chosen
	CSVURL     string
	XLSXURL    string
	Levels     []string
	Quadrants  []string
	Rules      Options
	// AreaMapURL and Areas map the chosen cluster area by area when the
	// dataset has outlines of its areas.
	AreaMapURL string
	Areas      []AreaRow
	// Countries sums the chosen cluster by country, for the region map;
	// set when a cluster is chosen and its areas span several countries.
	Countries []CountryRow
}

// CountryRow is one country of the chosen cluster's map.
type CountryRow struct {
	ISO3, Name, EmpText, LQText string
	LQ                          Value
	Employment                  int64
}

// AreaRow is one area of the chosen cluster, for the map of a dataset that
// has area outlines.
type AreaRow struct {
	Code, Name, EmpText, LQText, DetailURL string
	LQ                                     Value
	Employment                             int64
}

// HandleExplore shows the mapping explorer.
func HandleExplore(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		loc := web.Localizer(r)
		form, ferr := ParseExploreForm(r.URL.Query())
		d := &ExploreData{Form: form, Levels: Levels, Quadrants: Quadrants, Page: 1}
		if ferr != nil {
			d.Errors = web.NewFormErrors(ferr)
		}
		var err error
		d.Choices, d.Ready, err = s.Resolve(ctx, &d.Form)
		if err != nil && !problem.Is(err, problem.NotFound) {
			rd.Error(w, r, err)
			return
		}
		if err != nil {
			d.Errors = web.NewFormErrors(fieldProblem("dataset", err))
			d.Ready = false
		}
		d.NoSet = err == nil && !d.Ready && len(d.Choices.Datasets) > 0
		p := rd.NewPage(r, loc.T("mapexplore.title"), d)
		p.Section = navSection
		p.Crumbs = []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("mapexplore.title")}}
		status := http.StatusOK
		if d.Ready {
			run, err := s.Run(ctx, RunInput{DatasetID: d.Form.Dataset, SetID: d.Form.Set, Reference: d.Form.Reference, From: d.Form.From, To: d.Form.To})
			switch {
			case err == nil:
				d.Run = run
				d.fill(p, loc, r)
				if err := d.fillAreas(ctx, s, loc); err != nil {
					rd.Error(w, r, err)
					return
				}
			case problem.Is(err, problem.Invalid) || problem.Is(err, problem.NotFound):
				d.Errors = web.NewFormErrors(fieldProblem("set", err))
				status = http.StatusUnprocessableEntity
			default:
				rd.Error(w, r, err)
				return
			}
		}
		rd.Render(w, r, status, "mapping/explore", p)
	})
}

// fieldProblem turns a not-found error into a field problem, so the form
// can show it next to the choice that caused it.
func fieldProblem(field string, err error) error {
	if problem.Is(err, problem.Invalid) {
		return err
	}
	msg := err.Error()
	var pe *problem.Error
	if errors.As(err, &pe) {
		msg = pe.Message
	}
	var f problem.Fields
	f.Add(field, "%s", msg)
	return f.Err()
}

func (d *ExploreData) fill(p *web.Page, loc *i18n.Localizer, r *http.Request) {
	res := d.Run.Result
	d.Years = res.Years
	d.Rules = res.Options
	list := web.ParseList(r, DefaultSort, explorePerPage)
	d.Page = list.Page
	q := d.Form.Query
	q.Year, q.Sort = d.Form.Year, list.Sort
	q.Limit, q.Offset = list.PerPage, list.Offset()
	d.Clusters = slices.Clone(res.Clusters)
	slices.SortFunc(d.Clusters, func(a, b ClusterInfo) int { return strings.Compare(a.Name, b.Name) })
	rows, total := Candidates(res, q)
	d.Total, d.Pages = total, list.Pages(total)
	base := d.Form.Values()
	base.Del("sort")
	base.Del("page")
	for i := range rows {
		d.Rows = append(d.Rows, d.row(&rows[i], loc, base))
	}
	if q.Cluster != "" {
		for _, cf := range ByCountry(res, &d.Run.Labels, d.Form.Year, q.Cluster) {
			row := CountryRow{ISO3: cf.Country, Name: d.Run.CountryNames[cf.Country], EmpText: loc.Int(cf.Employment), LQ: cf.LQ, Employment: cf.Employment, LQText: "–"}
			if v, ok := cf.LQ.Get(); ok {
				row.LQText = loc.Float(v, 2)
			}
			d.Countries = append(d.Countries, row)
		}
		if len(d.Countries) < 2 {
			d.Countries = nil
		}
		for i := range res.Thresholds {
			if t := &res.Thresholds[i]; t.Year == d.Form.Year && t.Cluster == q.Cluster {
				d.Thresholds = t
			}
		}
	}
	d.Headers = web.SortHeaders(p, q.Sort, "area", loc.T("mapexplore.col.area"), "cluster", loc.T("mapexplore.col.cluster"),
		"employment", loc.T("mapexplore.col.employment"), "share_of_reference", loc.T("mapexplore.col.share"),
		"lq", loc.T("mapexplore.col.lq"), "lq_cm", loc.T("mapexplore.col.lq_cm"), "strength", loc.T("mapexplore.col.strength"),
		"stars", loc.T("mapexplore.col.stars"), "cagr", loc.T("mapexplore.col.cagr"), "job_creation", loc.T("mapexplore.col.jobs"),
		"lq_change", loc.T("mapexplore.col.lq_change"))
	dl := d.Form.Values()
	d.CSVURL = "/mapping/explore.csv?" + dl.Encode()
	d.XLSXURL = "/mapping/explore.xlsx?" + dl.Encode()
}

// fillAreas lists every area of the chosen cluster in the year, for the
// map of a dataset with area outlines.
func (d *ExploreData) fillAreas(ctx context.Context, s *Store, loc *i18n.Localizer) error {
	q := d.Form.Query
	if q.Cluster == "" {
		return nil
	}
	o, err := s.FindOutlines(ctx, d.Run.Dataset.ID)
	if err != nil || o == nil {
		return err
	}
	d.AreaMapURL = outlinesURL(d.Run.Dataset.ID, o)
	base := d.Form.Values()
	base.Del("sort")
	base.Del("page")
	rows, _ := Candidates(d.Run.Result, Query{Year: d.Form.Year, Cluster: q.Cluster, Sort: "area"})
	for i := range rows {
		c := d.row(&rows[i], loc, base)
		d.Areas = append(d.Areas, AreaRow{Code: c.Area, Name: c.AreaName, EmpText: c.EmpText, LQText: c.LQText,
			DetailURL: c.DetailURL, LQ: c.LQ.Value, Employment: c.Metric.Employment})
	}
	return nil
}

// row formats one candidate.
func (d *ExploreData) row(c *Candidate, loc *i18n.Localizer, base url.Values) CandidateRow {
	l := &d.Run.Labels
	out := CandidateRow{Candidate: *c, AreaName: l.AreaNames[c.Area], ClusterName: l.ClusterNames[c.Cluster],
		EmpText: loc.Int(c.Employment), StarCount: c.Stars.Count()}
	if out.AreaName == "" {
		out.AreaName = c.Area
	}
	if out.ClusterName == "" {
		out.ClusterName = c.Cluster
	}
	out.CountryName = l.AreaCountry[c.Area]
	f2 := func(v Value, prec int) string {
		if x, ok := v.Get(); ok {
			return loc.Float(x, prec)
		}
		return "–"
	}
	pct := func(v Value) string {
		if x, ok := v.Get(); ok {
			return loc.Percent(x, 1)
		}
		return "–"
	}
	out.ShareText, out.LQText, out.LQCMText = pct(c.ShareOfReference), f2(c.LQ.Value, 2), f2(c.LQClusterMapping.Value, 2)
	if c.LQ.Low.Defined() {
		out.LQRange = f2(c.LQ.Low, 2) + "–" + f2(c.LQ.High, 2)
	}
	if lv := c.Strength.Level(); lv != "" {
		out.LevelKey = "mapexplore.level." + lv
	}
	if g := c.Growth; g != nil {
		out.CAGRText, out.JobsNew, out.LQChangeText = pct(g.CAGR), f2(g.JobCreation, 0), f2(g.LQChange, 2)
		if g.Quadrant != NoQuadrant {
			out.QuadrantKey = "mapexplore.quadrant." + g.Quadrant.String()
		}
	}
	v := maps.Clone(base)
	v.Set("area", c.Area)
	v.Set("cluster", c.Cluster)
	out.DetailURL = "/mapping/explore/detail?" + v.Encode()
	return out
}
