package indicator

import (
	"context"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// OverlapFilter chooses the overlaps to list: the initiatives of a country
// (any of their countries; "" for every one), one indicator by code (""
// for every one that adds up), the periods that start within one period
// ("" for every period; a year takes its quarters and months too), one
// verdict ("" for both), and whether values not yet approved count (as
// the dashboards' "all values" switch).
type OverlapFilter struct {
	Country   string
	Indicator string
	Period    string
	Verdict   OverlapVerdict
	All       bool
}

// overlapVersions are the versions of the values that may overlap: of an
// initiative beside which a member has a value for the same indicator,
// period and category, or of an organisation beside whose value one of its
// initiatives has one. Rejected versions never count and are left out.
const overlapClusterSide = `t.subject_kind = 'cluster' AND EXISTS (SELECT 1 FROM memberships m JOIN indicator_values x
	ON x.subject_kind = 'organisation' AND x.subject_id = m.organisation_id AND x.indicator_id = t.indicator_id
	AND x.period_key = t.period_key AND x.dimension_code = t.dimension_code AND x.category_code = t.category_code
	AND x.state <> 'rejected' WHERE m.cluster_id = t.subject_id)`

const overlapMemberSide = `t.subject_kind = 'organisation' AND EXISTS (SELECT 1 FROM memberships m JOIN indicator_values x
	ON x.subject_kind = 'cluster' AND x.subject_id = m.cluster_id AND x.indicator_id = t.indicator_id
	AND x.period_key = t.period_key AND x.dimension_code = t.dimension_code AND x.category_code = t.category_code
	AND x.state <> 'rejected' WHERE m.organisation_id = t.subject_id)`

// FindOverlaps lists the initiative values that may count twice with their
// members' values (see DetectOverlaps), among the values the actor may
// read: an initiative's value is looked at when the actor may read it, and
// only the member values the actor may read are added up.
func (s *Store) FindOverlaps(ctx context.Context, actor user.Actor, f OverlapFilter) ([]*Overlap, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read the values counted twice.")
	}
	var fs problem.Fields
	f.Country = strings.ToUpper(strings.TrimSpace(f.Country))
	if f.Country != "" && !iso3Re.MatchString(f.Country) {
		fs.Add("country", "%q is not a country: use its ISO 3166-1 alpha-3 code, such as JAM.", f.Country)
	}
	var period Period
	if f.Period = strings.TrimSpace(f.Period); f.Period != "" {
		p, err := ParsePeriod(f.Period)
		if err != nil {
			fs.Add("period", "%s.", upperFirst(err.Error()))
		}
		period = p
	}
	if f.Verdict != "" && !f.Verdict.Valid() {
		fs.Add("verdict", "Use verdict %s.", valuesText(OverlapVerdicts))
	}
	inds, err := s.OverlapIndicators(ctx, actor)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*Indicator{}
	for _, ind := range inds {
		byCode[ind.Code] = ind
	}
	codes := make([]any, 0, len(inds))
	if f.Indicator = strings.ToUpper(strings.TrimSpace(f.Indicator)); f.Indicator != "" {
		if byCode[f.Indicator] == nil {
			fs.Add("indicator", "%q is not an indicator whose values add up over subjects: choose one of the list (averages and formulas cannot count twice).", f.Indicator)
		}
		codes = append(codes, f.Indicator)
	} else {
		for _, ind := range inds {
			codes = append(codes, ind.Code)
		}
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, nil
	}
	read := func(side string, country bool) ([]ResultFact, error) {
		var w where
		targetScope(&w, actor, false)
		w.raw(side)
		w.raw("t.state <> 'rejected'")
		w.raw("i.code IN (" + db.Placeholders(len(w.args)+1, len(codes)) + ")")
		w.args = append(w.args, codes...)
		if f.Period != "" {
			w.add("t.period_start >= $%d", period.Start())
			w.add("t.period_start < $%d", qualityPeriodEnd(period))
			switch period.Type { // periods within the one chosen, never longer
			case PeriodQuarter:
				w.raw("t.period_type IN ('quarter', 'month')")
			case PeriodMonth:
				w.raw("t.period_type = 'month'")
			}
		}
		if country && f.Country != "" {
			w.add("EXISTS (SELECT 1 FROM cluster_countries cq WHERE cq.cluster_id = t.subject_id AND cq.country_iso3 = $%d)", f.Country)
		}
		return overlapFacts(ctx, s.db.Read(), &w)
	}
	clusterVersions, err := read(overlapClusterSide, true)
	if err != nil {
		return nil, err
	}
	if len(clusterVersions) == 0 {
		return nil, nil
	}
	memberVersions, err := read(overlapMemberSide, false)
	if err != nil {
		return nil, err
	}
	values := append(CountedVersions(clusterVersions, f.All), CountedVersions(memberVersions, f.All)...)
	att := &ResultsAttribution{OrgCountry: map[int64]string{}, Memberships: map[int64][]MembershipSpan{}}
	if err := s.memberships(ctx, att, values); err != nil {
		return nil, err
	}
	in := OverlapInput{Indicators: byCode, Values: values, Att: att, ClusterNames: map[int64]string{}, Countries: map[int64]string{}}
	for _, v := range values {
		if v.Subject.Kind == SubjectCluster {
			in.ClusterNames[v.Subject.ID], in.Countries[v.Subject.ID] = v.SubjectName, v.Country
		}
	}
	var out []*Overlap
	for _, o := range DetectOverlaps(in) {
		if f.Verdict == "" || o.Verdict == f.Verdict {
			out = append(out, o)
		}
	}
	return out, nil
}

// OverlapIndicators lists the indicators whose values add up over subjects
// (see Indicator.AddsUp), by code: those the overlap check looks at.
func (s *Store) OverlapIndicators(ctx context.Context, actor user.Actor) ([]*Indicator, error) {
	all, _, err := s.FindIndicators(ctx, actor, Filter{Limit: 500, IncludeArchived: true})
	if err != nil {
		return nil, err
	}
	var out []*Indicator
	for _, ind := range all {
		if ind.AddsUp() {
			out = append(out, ind)
		}
	}
	return out, nil
}

// overlapFacts reads the value versions matching w, each with its
// subject's name and country (an initiative's first country).
func overlapFacts(ctx context.Context, q db.Querier, w *where) ([]ResultFact, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.code, t.subject_kind, t.subject_id, t.subject_iso3, COALESCE(c.name, o.name, ''), `+subjectCountry+`,
		t.period_key, t.dimension_code, t.category_code, t.value, t.state, t.version FROM indicator_values t`+dashFrom+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("values that may overlap: %w", err)
	}
	defer rows.Close()
	var out []ResultFact
	for rows.Next() {
		var f ResultFact
		if err := rows.Scan(&f.IndicatorCode, &f.Subject.Kind, &f.Subject.ID, &f.Subject.ISO3, &f.SubjectName, &f.Country,
			&f.Period, &f.Category.Dimension, &f.Category.Code, &f.Value, &f.State, &f.Version); err != nil {
			return nil, fmt.Errorf("values that may overlap: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
