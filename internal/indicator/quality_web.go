package indicator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// qualityPath is the data-quality page.
const qualityPath = "/indicators/quality"

// QualityData is the data-quality page's data: the filters, the form that
// starts a run, the current violations, the outliers of the period and the
// quality scores per BSO and per country.
type QualityData struct {
	Country     string
	Period      string
	PeriodError string
	RuleID      int64
	Importance  Importance
	RunID       int64
	Grace       int
	Countries   []SubjectOption
	Clusters    []SubjectOption
	Rules       []*Rule
	Importances []Importance
	CanRun      bool
	Run         RunInput
	RunErrors   *web.FormErrors
	Runs        []*Run
	Violations  []*Violation
	Total       int
	Outliers    []*Outlier
	OutlierNote string
	Scores      *QualityReport
	ScoreNote   string
	MaxValues   int
	MinHistory  int
	MinPeers    int
	ZThreshold  float64
	ModZ        float64
	// Overlaps and OverlapsLikely count the initiative values of the
	// period counted twice with their members' (see overlap.go).
	Overlaps       int
	OverlapsLikely int
}

// HandleQuality shows the data-quality page. Filters: country, period
// (the previous year by default), rule, importance, run and grace days.
func HandleQuality(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renderQuality(w, r, rd, s, RunInput{}, nil)
	})
}

// HandleQualityRun starts an on-demand run from the page and shows its
// violations, or the page again with the problems of the form.
func HandleQualityRun(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		in := RunInput{Country: r.PostFormValue("country"), From: r.PostFormValue("from"), To: r.PostFormValue("to")}
		if v := strings.TrimSpace(r.PostFormValue("cluster_id")); v != "" {
			in.ClusterID, _ = strconv.ParseInt(v, 10, 64)
			if in.ClusterID == 0 {
				in.ClusterID = -1 // reported as not a cluster ID
			}
		}
		run, err := s.RunRules(r.Context(), user.ActorFrom(r.Context()), in)
		if err != nil {
			renderQuality(w, r, rd, s, in, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("indicatorquality.flash.run", "n", run.Violations, "checks", run.Checks))
		http.Redirect(w, r, qualityPath+"?"+url.Values{"run": {strconv.FormatInt(run.ID, 10)}}.Encode()+"#h-violations", http.StatusSeeOther)
	})
}

func renderQuality(w http.ResponseWriter, r *http.Request, rd *web.Renderer, s *Store, run RunInput, runErr error) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	loc := web.Localizer(r)
	q := r.URL.Query()
	d := &QualityData{Country: strings.ToUpper(strings.TrimSpace(q.Get("country"))), Importances: Importances,
		CanRun: MaySetTargets(actor), Run: run, MaxValues: MaxRunValues, MinHistory: MinHistory, MinPeers: MinPeers,
		ZThreshold: DefaultZThreshold, ModZ: DefaultModZThreshold, Grace: DefaultGraceDays}
	status := http.StatusOK
	if runErr != nil {
		if d.RunErrors = web.NewFormErrors(runErr); d.RunErrors == nil {
			rd.Error(w, r, runErr)
			return
		}
		status = http.StatusUnprocessableEntity
	}
	if d.Run.From == "" {
		last := strconv.Itoa(time.Now().Year() - 1)
		d.Run.From, d.Run.To = last, last
	}
	d.Period = strings.TrimSpace(q.Get("period"))
	if d.Period == "" {
		d.Period = strconv.Itoa(time.Now().Year() - 1)
	}
	p, perr := ParsePeriod(d.Period)
	if perr != nil {
		d.PeriodError = upperFirst(perr.Error()) + "."
	} else {
		d.Period = p.Key()
	}
	d.RuleID, _ = strconv.ParseInt(q.Get("rule"), 10, 64)
	d.RunID, _ = strconv.ParseInt(q.Get("run"), 10, 64)
	if v := Importance(q.Get("importance")); v.Valid() {
		d.Importance = v
	}
	if g, err := strconv.Atoi(q.Get("grace")); err == nil && g >= 0 && g <= 366 {
		d.Grace = g
	}
	var err error
	if d.Clusters, d.Countries, err = s.subjectOptions(ctx, actor); err != nil {
		rd.Error(w, r, err)
		return
	}
	if d.Rules, err = s.FindRules(ctx, actor, RuleFilter{IncludeArchived: true}); err != nil {
		rd.Error(w, r, err)
		return
	}
	if d.Runs, err = s.FindRuns(ctx, actor, 10); err != nil {
		rd.Error(w, r, err)
		return
	}
	vf := ViolationFilter{RunID: d.RunID, RuleID: d.RuleID, Country: d.Country, Importance: d.Importance, Limit: 200}
	if q.Get("period") != "" && perr == nil {
		vf.Period = d.Period
	}
	if d.Violations, d.Total, err = s.FindViolations(ctx, actor, vf); err != nil {
		rd.Error(w, r, err)
		return
	}
	if perr == nil {
		var oerr, serr error
		d.Outliers, oerr = s.FindOutliers(ctx, actor, OutlierFilter{Country: d.Country, Period: d.Period})
		d.Scores, serr = s.QualityScores(ctx, actor, QualityFilter{Period: d.Period, Country: d.Country, GraceDays: d.Grace})
		overlaps, verr := s.FindOverlaps(ctx, actor, OverlapFilter{Country: d.Country, Period: d.Period})
		if p := problem.As(verr); verr != nil && (p == nil || p.Kind != problem.Invalid) {
			rd.Error(w, r, verr)
			return
		}
		d.Overlaps, d.OverlapsLikely = OverlapCounts(overlaps)
		for _, e := range []struct {
			err  error
			note *string
		}{{oerr, &d.OutlierNote}, {serr, &d.ScoreNote}} {
			if e.err == nil {
				continue
			}
			// A scope too large is said on the page; anything else fails it.
			p := problem.As(e.err)
			if p == nil || p.Kind != problem.Invalid {
				rd.Error(w, r, e.err)
				return
			}
			*e.note = p.Message
			if len(p.Details) > 0 {
				*e.note = p.Details[0].Message
			}
		}
	}
	pg := rd.NewPage(r, loc.T("indicatorquality.title"), d)
	pg.Section = section
	pg.Crumbs = listCrumbs(loc, web.Crumb{Label: loc.T("indicatorquality.title")})
	rd.Render(w, r, status, "indicator/quality", pg)
}

// RuleName is the name of a rule in the page's list, for the violations filter.
func (d *QualityData) RuleName(id int64) string {
	for _, r := range d.Rules {
		if r.ID == id {
			return r.Name
		}
	}
	return ""
}
