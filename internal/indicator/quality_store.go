package indicator

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// QualityFilter chooses the period (and optionally the country) of the
// scores and the grace days for timeliness (0 takes DefaultGraceDays;
// negative is refused).
type QualityFilter struct {
	Period    string
	Country   string
	GraceDays int
}

// QualityRow is the scores of one BSO or country.
type QualityRow struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	QualityRatios
}

// QualityReport is the scores of a period per BSO and per country, and for
// all the expected values together.
type QualityReport struct {
	Period          string        `json:"period"`
	GraceDays       int           `json:"grace_days"`
	QualityDeadline time.Time     `json:"deadline"`
	ByBSO           []QualityRow  `json:"by_bso"`
	ByCountry       []QualityRow  `json:"by_country"`
	Total           QualityRatios `json:"total"`
}

// qualityExpected is one expected triple with the groups it counts in.
type qualityExpected struct {
	Triple
	bsoID   int64
	bsoName string
	country string
}

// QualityScores scores the period's expected values — one per indicator and
// subject with a target for the period, among the subjects the actor may
// read — per BSO (the lead BSO of a cluster, or the BSO itself) and per
// country (a cluster's first country).
func (s *Store) QualityScores(ctx context.Context, actor user.Actor, f QualityFilter) (*QualityReport, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read data-quality scores.")
	}
	var fs problem.Fields
	p, err := ParsePeriod(f.Period)
	if err != nil {
		fs.Add("period", "%s.", upperFirst(err.Error()))
	}
	if f.GraceDays < 0 || f.GraceDays > 366 {
		fs.Add("grace", "Grace days are from 0 to 366.")
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	if f.GraceDays == 0 {
		f.GraceDays = DefaultGraceDays
	}
	q := s.db.Read()
	var w where
	targetScope(&w, actor, false)
	qualityCountryScope(&w, f.Country)
	w.raw("t.kind = 'target'")
	w.add("t.period_key = $%d", p.Key())
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT t.indicator_id, t.subject_kind, t.subject_id, t.subject_iso3, `+subjectCountry+`,
		COALESCE(c.lead_bso_id, CASE WHEN o.kind = 'bso' THEN o.id END, 0), COALESCE(b.name, CASE WHEN o.kind = 'bso' THEN o.name END, '')`+
		ruleFrom("indicator_targets")+` LEFT JOIN organisations b ON b.id = c.lead_bso_id `+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("expected values: %w", err)
	}
	var exp []qualityExpected
	for rows.Next() {
		var e qualityExpected
		if err := rows.Scan(&e.IndicatorID, &e.Subject.Kind, &e.Subject.ID, &e.Subject.ISO3, &e.country, &e.bsoID, &e.bsoName); err != nil {
			rows.Close()
			return nil, err
		}
		e.Period = p.Key()
		exp = append(exp, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	triples := make([]Triple, len(exp))
	for n, e := range exp {
		triples[n] = e.Triple
	}
	got, err := qualityReceipts(ctx, q, triples, f.Country)
	if err != nil {
		return nil, err
	}
	names, err := qualityCountryNames(ctx, q)
	if err != nil {
		return nil, err
	}
	rep := &QualityReport{Period: p.Key(), GraceDays: f.GraceDays, QualityDeadline: QualityDeadline(p, f.GraceDays),
		Total: ScoreTriples(triples, got, f.GraceDays)}
	group := func(key func(qualityExpected) (string, string)) []QualityRow {
		byKey := map[string][]Triple{}
		label := map[string]string{}
		for _, e := range exp {
			k, name := key(e)
			if k == "" {
				continue
			}
			byKey[k] = append(byKey[k], e.Triple)
			label[k] = name
		}
		var out []QualityRow
		for k, ts := range byKey {
			out = append(out, QualityRow{Key: k, Name: label[k], QualityRatios: ScoreTriples(ts, got, f.GraceDays)})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out
	}
	rep.ByBSO = group(func(e qualityExpected) (string, string) {
		if e.bsoID == 0 {
			return "", ""
		}
		return strconv.FormatInt(e.bsoID, 10), e.bsoName
	})
	rep.ByCountry = group(func(e qualityExpected) (string, string) {
		if n := names[e.country]; n != "" {
			return e.country, n
		}
		return e.country, e.country
	})
	return rep, nil
}

// ScoreExpected scores any set of expected triples (a campaign's, say)
// against the values received, with the peers for outliers taken from the
// country given ("" for every country).
func (s *Store) ScoreExpected(ctx context.Context, expected []Triple, country string, graceDays int) (QualityRatios, error) {
	got, err := qualityReceipts(ctx, s.db.Read(), expected, country)
	if err != nil {
		return QualityRatios{}, err
	}
	return ScoreTriples(expected, got, graceDays), nil
}

// QualityReceipts finds what was received for each expected triple, with
// the peers for outliers taken from the country given ("" for every
// country), so that callers that score several groups of triples of one
// period (the campaigns of a list, say) read the values once and score
// each group with ScoreTriples.
func (s *Store) QualityReceipts(ctx context.Context, expected []Triple, country string) (map[Triple]Receipt, error) {
	return qualityReceipts(ctx, s.db.Read(), expected, country)
}

// qualityReceipts finds, for each expected triple, whether a counted value is there
// (any category), when its first version not rejected was entered, and
// whether it is clean: no rule violated for its subject and period uses
// its indicator, and none of its values is flagged as an outlier.
func qualityReceipts(ctx context.Context, q db.Querier, expected []Triple, country string) (map[Triple]Receipt, error) {
	out := map[Triple]Receipt{}
	want := map[Triple]bool{}
	var periods []string
	for _, t := range expected {
		want[t] = true
		if !oneOf(t.Period, periods) {
			periods = append(periods, t.Period)
		}
	}
	rules, err := compileRules(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, key := range periods {
		p, err := ParsePeriod(key)
		if err != nil {
			continue
		}
		var w where
		qualityCountryScope(&w, country)
		w.add("t.period_key = $%d", p.Key())
		first, err := qualityFirstReceived(ctx, q, &w)
		if err != nil {
			return nil, err
		}
		pairs, err := loadRulePairs(ctx, q, &w)
		if err != nil {
			return nil, err
		}
		dirty := map[Triple]bool{}
		found, _ := checkRulePairs(rules, pairs)
		for _, v := range found {
			for _, r := range rules {
				if r.ID != v.RuleID {
					continue
				}
				for _, k := range r.refs {
					dirty[Triple{k.ind, v.Subject, v.Period}] = true
				}
			}
		}
		var ow where
		qualityCountryScope(&ow, country)
		outs, err := findOutliers(ctx, q, &ow, p, 0, 0)
		if err != nil {
			return nil, err
		}
		for _, o := range outs {
			dirty[Triple{o.IndicatorID, o.Subject, o.Period}] = true
		}
		for _, pv := range pairs {
			for k := range pv.values {
				t := Triple{k.ind, pv.subject, pv.period}
				if want[t] {
					out[t] = Receipt{At: first[t], Clean: !dirty[t]}
				}
			}
		}
	}
	return out, nil
}

// qualityFirstReceived is when the first version not rejected of each indicator,
// subject and period in w arrived.
func qualityFirstReceived(ctx context.Context, q db.Querier, w *where) (map[Triple]time.Time, error) {
	// The earliest is kept in Go: an aggregate over a timestamp loses its
	// type on SQLite.
	rows, err := q.QueryContext(ctx, `SELECT t.indicator_id, t.subject_kind, t.subject_id, t.subject_iso3, t.period_key, t.created_at`+
		ruleFrom("indicator_values")+w.String()+` AND t.state <> 'rejected'`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("first values: %w", err)
	}
	defer rows.Close()
	out := map[Triple]time.Time{}
	for rows.Next() {
		var t Triple
		var at time.Time
		if err := rows.Scan(&t.IndicatorID, &t.Subject.Kind, &t.Subject.ID, &t.Subject.ISO3, &t.Period, &at); err != nil {
			return nil, fmt.Errorf("first values: %w", err)
		}
		if cur, ok := out[t]; !ok || at.Before(cur) {
			out[t] = at
		}
	}
	return out, rows.Err()
}

func qualityCountryNames(ctx context.Context, q db.Querier) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT iso3, name FROM countries`)
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}
