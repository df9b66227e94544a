package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// DashboardQuery is what a results dashboard shows: a scope, the
// indicators (by code; none means the standard ones), the years (zero: the
// years that have targets or values), and whether every value received
// counts or only approved ones.
type DashboardQuery struct {
	Scope    ResultsScope
	Codes    []string
	From, To int
	All      bool
	Now      time.Time
}

// ScopeLink is a smaller scope a dashboard links to: a country of the
// region, a cluster initiative of a country.
type ScopeLink struct {
	Scope ResultsScope
	Name  string
}

// Dashboard is the results of one scope: a series per indicator and the
// values behind them.
type Dashboard struct {
	Scope     ResultsScope
	ScopeName string
	// Country is the ISO3 code of a cluster initiative's lead country.
	Country    string
	Indicators []*Indicator // every indicator that may be chosen
	Chosen     []string
	Series     []*ResultSeries
	Facts      []ResultFact // the counted values in scope, every category
	From, To   int
	All        bool
	// Partial is true when the viewer may not read every subject, so the
	// figures hold only those they may.
	Partial bool
	Links   []ScopeLink
}

// dashFrom joins values or targets (alias t) to their subjects, with
// the aliases targetScope expects.
const dashFrom = ` JOIN indicators i ON i.id = t.indicator_id
	LEFT JOIN clusters c ON t.subject_kind = 'cluster' AND c.id = t.subject_id
	LEFT JOIN organisations o ON t.subject_kind = 'organisation' AND o.id = t.subject_id
	LEFT JOIN countries co ON t.subject_kind = 'country' AND co.iso3 = t.subject_iso3 `

// Dashboard computes the results of a scope for the actor: values and
// targets are read under the actor's scope, so a viewer who may read only
// some subjects sees their figures alone (Partial says so).
func (s *Store) Dashboard(ctx context.Context, actor user.Actor, q DashboardQuery) (*Dashboard, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to see results.")
	}
	if q.Now.IsZero() {
		q.Now = time.Now().UTC()
	}
	d := &Dashboard{Scope: q.Scope, All: q.All, Partial: !(actor.Role == user.Admin || actor.Role == user.ProgrammeOfficer)}
	att, err := s.attribution(ctx, actor, d)
	if err != nil {
		return nil, err
	}
	all, _, err := s.FindIndicators(ctx, actor, Filter{Limit: 500})
	if err != nil {
		return nil, err
	}
	byCode := map[string]*Indicator{}
	for _, ind := range all {
		if !ind.IsFormula() {
			d.Indicators = append(d.Indicators, ind)
			byCode[ind.Code] = ind
		}
	}
	var chosen []*Indicator
	var f problem.Fields
	if len(q.Codes) == 0 {
		for _, ind := range d.Indicators {
			if ind.Standard {
				chosen = append(chosen, ind)
			}
		}
	}
	for _, code := range q.Codes {
		ind := byCode[strings.ToUpper(strings.TrimSpace(code))]
		if ind == nil {
			f.Add("indicator", "%q is not an indicator whose values add up: choose one of the list (formula indicators are not shown).", code)
			continue
		}
		chosen = append(chosen, ind)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	codes := map[string]bool{}
	for _, ind := range chosen {
		d.Chosen = append(d.Chosen, ind.Code)
		codes[ind.Code] = true
		if ind.SubjectAggregation == AggWeightedAverage && ind.WeightCode != "" {
			codes[ind.WeightCode] = true
		}
	}
	versions, err := s.dashboardFacts(ctx, actor, q.Scope, codes, "indicator_values")
	if err != nil {
		return nil, err
	}
	values := CountedVersions(versions, q.All)
	both, err := s.dashboardFacts(ctx, actor, q.Scope, codes, "indicator_targets")
	if err != nil {
		return nil, err
	}
	var targets, baselines []ResultFact
	for _, t := range both {
		kind := TargetKind(t.State)
		t.State = ""
		if kind == KindBaseline {
			baselines = append(baselines, t)
		} else {
			targets = append(targets, t)
		}
	}
	if err := s.memberships(ctx, att, values, targets); err != nil {
		return nil, err
	}
	for _, list := range [][]ResultFact{values, targets, baselines} {
		for n := range list {
			list[n].Country = att.Country(list[n].Subject)
		}
	}
	d.From, d.To = q.From, q.To
	if d.From == 0 || d.To == 0 {
		from, to, ok := YearsInScope(q.Scope, att, values, targets)
		if !ok {
			from, to = q.Now.Year()-4, q.Now.Year()
		}
		if d.From == 0 {
			d.From = from
		}
		if d.To == 0 {
			d.To = max(to, d.From)
		}
	}
	if d.To < d.From {
		f.Add("to", "The last year (%d) comes before the first (%d).", d.To, d.From)
	} else if d.To-d.From > 30 {
		f.Add("to", "Show at most 30 years at once (%d–%d is %d).", d.From, d.To, d.To-d.From+1)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	split := func(list []ResultFact) map[string][]ResultFact {
		m := map[string][]ResultFact{}
		for _, x := range list {
			m[x.IndicatorCode] = append(m[x.IndicatorCode], x)
		}
		return m
	}
	vals, tgs, bls := split(values), split(targets), split(baselines)
	for _, ind := range chosen {
		in := ResultSeriesInput{Indicator: ind, Scope: q.Scope, Att: att, Values: vals[ind.Code], Targets: tgs[ind.Code],
			Baselines: bls[ind.Code], From: d.From, To: d.To, Now: q.Now}
		if w := byCode[ind.WeightCode]; w != nil && ind.SubjectAggregation == AggWeightedAverage {
			in.Weights, in.WeightAgg = vals[w.Code], w.TimeAggregation
		}
		d.Series = append(d.Series, BuildResultSeries(in))
	}
	var shown []ResultFact
	for _, v := range values {
		if dashContains(d.Chosen, v.IndicatorCode) {
			shown = append(shown, v)
		}
	}
	d.Facts = FactsInScope(shown, q.Scope, att, d.From, d.To)
	return d, nil
}

func dashContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// attribution reads the programme countries and where each cluster
// initiative counts (its lead country), checks that the scope exists and
// may be read, names it, and lists the smaller scopes it links to.
func (s *Store) attribution(ctx context.Context, actor user.Actor, d *Dashboard) (*ResultsAttribution, error) {
	att := &ResultsAttribution{Region: map[string]bool{}, OrgCountry: map[int64]string{}, ClusterCountry: map[int64]string{},
		Memberships: map[int64][]MembershipSpan{}}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT iso3, name, in_region FROM countries ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	names := map[string]string{}
	for rows.Next() {
		var iso, name string
		var in bool
		if err := rows.Scan(&iso, &name, &in); err != nil {
			rows.Close()
			return nil, err
		}
		names[iso] = name
		if in {
			att.Region[iso] = true
			if d.Scope.Kind == ScopeRegion {
				d.Links = append(d.Links, ScopeLink{Scope: ResultsScope{Kind: ScopeCountry, ISO3: iso}, Name: name})
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A cluster initiative counts in the country of its lead BSO when that
	// is one of its countries, else in the first of its countries.
	var w where
	cond := w.rule(user.ClusterReadFilter, actor, "c")
	rows, err = s.db.Read().QueryContext(ctx, `SELECT c.id, c.name, b.country_iso3, cc.country_iso3, `+cond+`
		FROM clusters c JOIN organisations b ON b.id = c.lead_bso_id JOIN cluster_countries cc ON cc.cluster_id = c.id
		ORDER BY c.name, c.id, cc.country_iso3`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("cluster countries: %w", err)
	}
	clusterName := map[int64]string{}
	readable := map[int64]bool{}
	var order []int64
	for rows.Next() {
		var id int64
		var name, lead, iso string
		var ok bool
		if err := rows.Scan(&id, &name, &lead, &iso, &ok); err != nil {
			rows.Close()
			return nil, err
		}
		if _, seen := clusterName[id]; !seen {
			order = append(order, id)
			att.ClusterCountry[id] = iso
		}
		clusterName[id], readable[id] = name, ok
		if iso == lead {
			att.ClusterCountry[id] = iso
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	switch d.Scope.Kind {
	case ScopeRegion:
		d.ScopeName = ""
	case ScopeCountry:
		name, ok := names[d.Scope.ISO3]
		if !ok {
			return nil, problem.NotFoundf("No country %s.", d.Scope.ISO3)
		}
		d.ScopeName = name
		for _, id := range order {
			if att.ClusterCountry[id] == d.Scope.ISO3 && readable[id] {
				d.Links = append(d.Links, ScopeLink{Scope: ResultsScope{Kind: ScopeCluster, ClusterID: id}, Name: clusterName[id]})
			}
		}
	case ScopeCluster:
		if !readable[d.Scope.ClusterID] {
			return nil, problem.NotFoundf("No cluster initiative #%d that you may see.", d.Scope.ClusterID)
		}
		d.ScopeName = clusterName[d.Scope.ClusterID]
		d.Country = att.ClusterCountry[d.Scope.ClusterID]
	}
	return att, nil
}

// dashboardFacts reads values (every version) or baselines and targets (their kind in State) for
// the given indicator codes whose subject the actor may read, narrowed to
// the subjects that may count in the scope; organisations' countries go
// into the facts' Country for attribution.
func (s *Store) dashboardFacts(ctx context.Context, actor user.Actor, sc ResultsScope, codes map[string]bool, table string) ([]ResultFact, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	var w where
	targetScope(&w, actor, false)
	list := make([]any, 0, len(codes))
	for c := range codes {
		list = append(list, c)
	}
	w.raw("i.code IN (" + db.Placeholders(len(w.args)+1, len(list)) + ")")
	w.args = append(w.args, list...)
	switch sc.Kind {
	case ScopeCountry:
		n := len(w.args) + 1
		w.args = append(w.args, sc.ISO3)
		w.raw(fmt.Sprintf(`((t.subject_kind = 'country' AND t.subject_iso3 = $%[1]d) OR (t.subject_kind = 'organisation' AND o.country_iso3 = $%[1]d)
			OR (t.subject_kind = 'cluster' AND t.subject_id IN (SELECT cc.cluster_id FROM cluster_countries cc WHERE cc.country_iso3 = $%[1]d)))`, n))
	case ScopeCluster:
		n := len(w.args) + 1
		w.args = append(w.args, sc.ClusterID)
		w.raw(fmt.Sprintf(`((t.subject_kind = 'cluster' AND t.subject_id = $%[1]d)
			OR (t.subject_kind = 'organisation' AND t.subject_id IN (SELECT m.organisation_id FROM memberships m WHERE m.cluster_id = $%[1]d)))`, n))
	}
	// A target's kind (baseline or target) is read into State.
	cols := `t.kind, 0, '', CAST(NULL AS TIMESTAMP)`
	if table == "indicator_values" {
		cols = `t.state, t.version, t.source, t.created_at`
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT i.code, t.subject_kind, t.subject_id, t.subject_iso3,
		COALESCE(c.name, o.name, co.name, ''), COALESCE(o.country_iso3, ''), t.period_key, t.dimension_code, t.category_code, t.value, `+
		cols+` FROM `+table+` t`+dashFrom+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("dashboard %s: %w", table, err)
	}
	defer rows.Close()
	var out []ResultFact
	for rows.Next() {
		var f ResultFact
		var at sql.NullTime
		if err := rows.Scan(&f.IndicatorCode, &f.Subject.Kind, &f.Subject.ID, &f.Subject.ISO3, &f.SubjectName, &f.Country,
			&f.Period, &f.Category.Dimension, &f.Category.Code, &f.Value, &f.State, &f.Version, &f.Source, &at); err != nil {
			return nil, fmt.Errorf("dashboard %s: %w", table, err)
		}
		if at.Valid {
			f.ReceivedAt = at.Time
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// memberships fills the attribution with the countries of the
// organisations that have values or targets and their memberships.
func (s *Store) memberships(ctx context.Context, att *ResultsAttribution, lists ...[]ResultFact) error {
	var ids []int64
	for _, list := range lists {
		for _, f := range list {
			if f.Subject.Kind == SubjectOrganisation {
				if _, ok := att.OrgCountry[f.Subject.ID]; !ok {
					att.OrgCountry[f.Subject.ID] = f.Country
					ids = append(ids, f.Subject.ID)
				}
			}
		}
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := s.db.Read().QueryContext(ctx, `SELECT organisation_id, cluster_id, joined_on, COALESCE(left_on, '')
			FROM memberships WHERE organisation_id IN (`+db.Placeholders(1, len(args))+`)`, args...)
		if err != nil {
			return fmt.Errorf("memberships: %w", err)
		}
		for rows.Next() {
			var org int64
			var sp MembershipSpan
			if err := rows.Scan(&org, &sp.Cluster, &sp.Joined, &sp.Left); err != nil {
				rows.Close()
				return err
			}
			att.Memberships[org] = append(att.Memberships[org], sp)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
