package indicator

import (
	"context"
	"fmt"
	"sort"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Outlier is a value that stands out, with every score that flagged it.
type Outlier struct {
	IndicatorID   int64          `json:"indicator_id"`
	IndicatorCode string         `json:"indicator_code"`
	Subject       Subject        `json:"subject"`
	SubjectName   string         `json:"subject_name"`
	Country       string         `json:"country"`
	Period        string         `json:"period"`
	Category      Category       `json:"category"`
	Value         float64        `json:"value"`
	Scores        []OutlierScore `json:"scores"`
}

// Decimals is how many decimals the page shows for the value.
func (o *Outlier) Decimals() int { return decimals(o.Value) }

// OutlierFilter chooses the values to look at: one period, optionally one
// country, and the thresholds (0 takes the defaults).
type OutlierFilter struct {
	Country       string
	Period        string
	ZThreshold    float64
	ModZThreshold float64
}

// outlierPoint is one counted value with what groups it.
type outlierPoint struct {
	indicatorID int64
	code        string
	subject     Subject
	subjectName string
	country     string
	period      string
	start       string
	cat         Category
	value       float64
}

// FindOutliers flags the values of a period whose subject the actor may
// read against their subject's earlier periods and against their peers.
func (s *Store) FindOutliers(ctx context.Context, actor user.Actor, f OutlierFilter) ([]*Outlier, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read outliers.")
	}
	p, err := ParsePeriod(f.Period)
	if err != nil {
		return nil, problem.Fields{{Field: "period", Message: upperFirst(err.Error()) + "."}}.Err()
	}
	var w where
	targetScope(&w, actor, false)
	qualityCountryScope(&w, f.Country)
	return findOutliers(ctx, s.db.Read(), &w, p, f.ZThreshold, f.ModZThreshold)
}

// qualityCountryScope limits alias t to subjects in a country ("" for any).
func qualityCountryScope(w *where, iso3 string) {
	if iso3 == "" {
		return
	}
	w.args = append(w.args, iso3)
	n := len(w.args)
	w.raw(fmt.Sprintf(`((t.subject_kind = 'country' AND t.subject_iso3 = $%d) OR (t.subject_kind = 'organisation' AND o.country_iso3 = $%d)
		OR (t.subject_kind = 'cluster' AND EXISTS (SELECT 1 FROM cluster_countries cq WHERE cq.cluster_id = t.subject_id AND cq.country_iso3 = $%d)))`, n, n, n))
}

// findOutliers reads the counted values of p's type up to p within w and
// scores those of p.
func findOutliers(ctx context.Context, q db.Querier, w *where, p Period, zt, mzt float64) ([]*Outlier, error) {
	if zt <= 0 {
		zt = DefaultZThreshold
	}
	if mzt <= 0 {
		mzt = DefaultModZThreshold
	}
	w.add("t.period_type = $%d", string(p.Type))
	w.add("t.period_start <= $%d", p.Start())
	w.raw("t.state <> 'rejected'")
	w.raw(latestVersion)
	from := ruleFrom("indicator_values") + ` JOIN indicators i ON i.id = t.indicator_id `
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+from+w.String(), w.args...).Scan(&n); err != nil {
		return nil, fmt.Errorf("count values: %w", err)
	}
	if n > MaxRunValues {
		return nil, problem.Fields{{Field: "country", Message: fmt.Sprintf("The scope holds %d values, more than the %d one look reads; choose a country.", n, MaxRunValues)}}.Err()
	}
	rows, err := q.QueryContext(ctx, `SELECT t.indicator_id, i.code, t.subject_kind, t.subject_id, t.subject_iso3,
		COALESCE(c.name, o.name, co.name, ''), `+subjectCountry+`, t.period_key, t.period_start, t.dimension_code, t.category_code, t.value`+
		from+w.String()+` ORDER BY t.period_start`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("values for outliers: %w", err)
	}
	defer rows.Close()
	var pts []outlierPoint
	for rows.Next() {
		var x outlierPoint
		if err := rows.Scan(&x.indicatorID, &x.code, &x.subject.Kind, &x.subject.ID, &x.subject.ISO3, &x.subjectName, &x.country,
			&x.period, &x.start, &x.cat.Dimension, &x.cat.Code, &x.value); err != nil {
			return nil, err
		}
		pts = append(pts, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return scorePoints(pts, p.Key(), zt, mzt), nil
}

// scorePoints scores the points of period against their series and peers.
func scorePoints(pts []outlierPoint, period string, zt, mzt float64) []*Outlier {
	type seriesKey struct {
		ind int64
		sub Subject
		cat Category
	}
	type peerKey struct {
		ind     int64
		kind    SubjectKind
		country string
		cat     Category
	}
	history := map[seriesKey][]float64{}
	peers := map[peerKey][]float64{}
	var current []outlierPoint
	for _, x := range pts {
		if x.period == period {
			current = append(current, x)
			peers[peerKey{x.indicatorID, x.subject.Kind, x.country, x.cat}] = append(peers[peerKey{x.indicatorID, x.subject.Kind, x.country, x.cat}], x.value)
		} else {
			history[seriesKey{x.indicatorID, x.subject, x.cat}] = append(history[seriesKey{x.indicatorID, x.subject, x.cat}], x.value)
		}
	}
	var out []*Outlier
	for _, x := range current {
		var flagged []OutlierScore
		for _, s := range HistoryScores(x.value, history[seriesKey{x.indicatorID, x.subject, x.cat}], zt, mzt) {
			if s.Flagged() {
				flagged = append(flagged, s)
			}
		}
		if s, ok := PeerScore(x.value, peers[peerKey{x.indicatorID, x.subject.Kind, x.country, x.cat}], mzt); ok && s.Flagged() {
			flagged = append(flagged, s)
		}
		if len(flagged) > 0 {
			out = append(out, &Outlier{IndicatorID: x.indicatorID, IndicatorCode: x.code, Subject: x.subject, SubjectName: x.subjectName,
				Country: x.country, Period: x.period, Category: x.cat, Value: x.value, Scores: flagged})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].IndicatorCode != out[j].IndicatorCode {
			return out[i].IndicatorCode < out[j].IndicatorCode
		}
		return out[i].SubjectName < out[j].SubjectName
	})
	return out
}
