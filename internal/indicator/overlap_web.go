package indicator

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// overlapPath is the page of initiative values counted twice with their
// members' values.
const overlapPath = "/indicators/quality/overlaps"

// maxOverlapRows is how many overlaps the page lists; the API pages through
// every one.
const maxOverlapRows = 500

// OverlapData is the overlap page's data: the filters and their choices,
// the overlaps found and their counts.
type OverlapData struct {
	Filter     OverlapFilter
	Errors     *web.FormErrors
	Countries  []SubjectOption
	Indicators []*Indicator
	Verdicts   []OverlapVerdict
	Overlaps   []*Overlap
	Total      int
	Likely     int
	Tolerance  float64
	MaxRows    int
}

// overlapFilterOf reads the filters of the page and of the API: country,
// indicator (a code), period, verdict and values (approved, the default,
// or all).
func overlapFilterOf(q url.Values) (OverlapFilter, error) {
	f := OverlapFilter{Country: strings.ToUpper(strings.TrimSpace(q.Get("country"))), Indicator: strings.ToUpper(strings.TrimSpace(q.Get("indicator"))),
		Period: strings.TrimSpace(q.Get("period")), Verdict: OverlapVerdict(strings.TrimSpace(q.Get("verdict")))}
	switch q.Get("values") {
	case "", "approved":
	case "all":
		f.All = true
	default:
		return f, problem.Fields{{Field: "values", Message: "Use values=approved (the default) or values=all."}}.Err()
	}
	return f, nil
}

// Query is the filters as a query string (for links that keep them).
func (d *OverlapData) Query() string {
	q := url.Values{}
	for k, v := range map[string]string{"country": d.Filter.Country, "indicator": d.Filter.Indicator, "period": d.Filter.Period,
		"verdict": string(d.Filter.Verdict)} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if d.Filter.All {
		q.Set("values", "all")
	}
	return q.Encode()
}

// ValuesLink is the entry grid of the overlap's initiative and period, where
// its value is corrected, and from where it is reviewed.
func (o *Overlap) ValuesLink() string {
	return "/indicators/values?" + url.Values{"subject": {o.Cluster.String()}, "period": {o.Period}}.Encode()
}

// ResultsLink is the initiative's results dashboard.
func (o *Overlap) ResultsLink() string {
	return ResultsScope{Kind: ScopeCluster, ClusterID: o.Cluster.ID}.Path()
}

// HandleOverlaps shows the initiative values counted twice with their
// members' values. Filters: country, indicator, period, verdict and
// values (approved or all).
func HandleOverlaps(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		loc := web.Localizer(r)
		d := &OverlapData{Verdicts: OverlapVerdicts, Tolerance: OverlapTolerance, MaxRows: maxOverlapRows}
		var err error
		if _, d.Countries, err = s.subjectOptions(ctx, actor); err != nil {
			rd.Error(w, r, err)
			return
		}
		if d.Indicators, err = s.OverlapIndicators(ctx, actor); err != nil {
			rd.Error(w, r, err)
			return
		}
		status := http.StatusOK
		d.Filter, err = overlapFilterOf(r.URL.Query())
		if err == nil {
			var list []*Overlap
			if list, err = s.FindOverlaps(ctx, actor, d.Filter); err == nil {
				d.Total, d.Likely = OverlapCounts(list)
				d.Overlaps = list[:min(len(list), maxOverlapRows)]
			}
		}
		if err != nil {
			if d.Errors = web.NewFormErrors(err); d.Errors == nil {
				rd.Error(w, r, err)
				return
			}
			status = http.StatusUnprocessableEntity
		}
		pg := rd.NewPage(r, loc.T("indicatoroverlap.title"), d)
		pg.Section = section
		pg.Crumbs = listCrumbs(loc, web.Crumb{Label: loc.T("indicatorquality.title"), URL: qualityPath},
			web.Crumb{Label: loc.T("indicatoroverlap.title")})
		rd.Render(w, r, status, "indicator/overlaps", pg)
	})
}

// HandleAPIOverlapList answers GET /api/v1/cluster-overlaps with the
// initiative values counted twice with their members' values, filtered as
// the page is, a page at a time, with the total.
func HandleAPIOverlapList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "", 200)
		f, err := overlapFilterOf(r.URL.Query())
		if err != nil {
			return err
		}
		list, err := s.FindOverlaps(r.Context(), actor, f)
		if err != nil {
			return err
		}
		from := min(params.Offset(), len(list))
		to := min(from+params.PerPage, len(list))
		web.JSON(w, http.StatusOK, web.NewListResponse(list[from:to], len(list), params))
		return nil
	})
}
