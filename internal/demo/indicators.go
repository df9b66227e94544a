package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
)

// Results data: the programme's cluster initiatives (those with a plan
// approved, implementing, sustaining or closed) get a baseline, yearly
// targets and values from 2021 to 2025 for the standard indicators, as
// their managers would have reported them: quarterly indicators by
// quarter, jobs also for women and young people. Some initiatives skip a
// year or a quarter, some report months late, most values are approved and
// the latest ones are often still waiting for review.

// streamIndicators is the random stream of the results data.
const streamIndicators uint64 = 101

// The years of the results data.
const (
	resultsFrom = 2021
	resultsTo   = 2025
)

// demoIndicator is how one standard indicator's demo figures are drawn for
// an initiative of f firms: the yearly target of the i-th programme year,
// and the actual value given that target (prev is last year's actual, for
// a stock).
type demoIndicator struct {
	code      string
	quarterly bool
	target    func(r *rng, f float64, i int, base float64) float64
	actual    func(r *rng, f float64, target, prev float64) float64
	// base draws a per-initiative scale (revenue per firm, say).
	base func(r *rng, f float64) float64
}

var demoIndicators = []demoIndicator{
	{code: "JOBS_CREATED",
		base:   func(r *rng, f float64) float64 { return f * (0.8 + 1.2*r.float()) },
		target: func(r *rng, f float64, i int, b float64) float64 { return math.Round(b * (1 + 0.15*float64(i))) },
		actual: func(r *rng, f, t, _ float64) float64 { return math.Round(t * (0.55 + 0.7*r.float())) }},
	{code: "REVENUE",
		base: func(r *rng, f float64) float64 { return math.Round(f*(150_000+1_050_000*r.float())/1000) * 1000 },
		target: func(r *rng, f float64, i int, b float64) float64 {
			return math.Round(b*math.Pow(1.06, float64(i+1))/1000) * 1000
		},
		actual: func(r *rng, f, t, _ float64) float64 { return math.Round(t*(0.9+0.18*r.float())/1000) * 1000 }},
	{code: "EXPORTS",
		base: func(r *rng, f float64) float64 { return math.Round(f*(15_000+300_000*r.float())/1000) * 1000 },
		target: func(r *rng, f float64, i int, b float64) float64 {
			return math.Round(b*math.Pow(1.08, float64(i+1))/1000) * 1000
		},
		actual: func(r *rng, f, t, _ float64) float64 { return math.Round(t*(0.75+0.45*r.float())/1000) * 1000 }},
	{code: "NEW_PRODUCTS_MARKETS",
		target: func(r *rng, f float64, i int, _ float64) float64 { return math.Max(1, math.Round(f*0.15)) },
		actual: func(r *rng, f, t, _ float64) float64 { return math.Round(f * (0.04 + 0.26*r.float())) }},
	{code: "CERTIFICATIONS", quarterly: true,
		target: func(r *rng, f float64, i int, _ float64) float64 { return math.Max(1, math.Round(f*0.08)) },
		actual: func(r *rng, f, t, _ float64) float64 { return math.Round(t / 4 * 2 * r.float()) }},
	{code: "INVESTMENT_LEVERAGED", quarterly: true,
		base:   func(r *rng, f float64) float64 { return math.Round(f*(10_000+30_000*r.float())/1000) * 1000 },
		target: func(r *rng, f float64, i int, b float64) float64 { return b },
		actual: func(r *rng, f, t, _ float64) float64 { return math.Round(t/4*(0.3+1.3*r.float())/100) * 100 }},
	{code: "IMPROVED_PRACTICES",
		target: func(r *rng, f float64, i int, _ float64) float64 {
			return math.Round(f * math.Min(0.7, 0.05+0.12*float64(i+1)))
		},
		actual: func(r *rng, f, _, prev float64) float64 { return math.Min(f, prev+math.Round(f*(0.03+0.12*r.float()))) }},
	{code: "JOINT_ACTIVITIES", quarterly: true,
		target: func(r *rng, f float64, i int, _ float64) float64 { return math.Round(f * 2) },
		actual: func(r *rng, f, _, _ float64) float64 { return math.Round(f * (0.2 + 0.5*r.float())) }},
}

// Who entered and reviewed the demo figures.
const (
	demoReporter = "Cluster manager (demonstration)"
	demoReviewer = "Programme officer (demonstration)"
)

// results holds the rows of the three tables before they are written.
type results struct {
	targets, revisions, values *table
	nextTarget, nextRevision   int64
	nextValue                  int64
}

// writeIndicators generates and writes the results data and adds its
// counts to counts.
func (g *gen) writeIndicators(ctx context.Context, tx *sql.Tx, d *db.DB, counts map[string]int) error {
	ids := map[string]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT code, id FROM indicators WHERE standard`)
	if err != nil {
		return fmt.Errorf("standard indicators: %w", err)
	}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			rows.Close()
			return err
		}
		ids[code] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	res := &results{
		targets: newTable("indicator_targets", "id", "indicator_id", "subject_kind", "subject_id", "subject_iso3", "kind", "period_type",
			"period_key", "period_start", "dimension_code", "category_code", "value", "note", "revision", "created_at", "updated_at"),
		revisions: newTable("indicator_target_revisions", "id", "target_id", "revision", "value", "previous_value", "note", "reason", "actor", "at"),
		values: newTable("indicator_values", "id", "indicator_id", "subject_kind", "subject_id", "subject_iso3", "period_type", "period_key",
			"period_start", "dimension_code", "category_code", "version", "value", "source", "note", "state", "review_comment", "reviewer",
			"reviewed_at", "actor", "created_at"),
	}
	for _, t := range []struct {
		name string
		next *int64
	}{{"indicator_targets", &res.nextTarget}, {"indicator_target_revisions", &res.nextRevision}, {"indicator_values", &res.nextValue}} {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+t.name).Scan(t.next); err != nil {
			return err
		}
	}
	firms := map[*cluster]int{}
	for _, m := range g.members {
		if m.org.kind == "firm" {
			firms[m.cluster]++
		}
	}
	r := newRNG(g.scale, streamIndicators)
	for _, k := range g.clusters {
		first, last := max(resultsFrom, k.started), resultsTo
		switch k.stage {
		case "plan_approved", "implementing", "sustaining":
		case "closed":
			last = min(last, k.closed.Year()-1)
		default:
			continue
		}
		if first > last {
			continue
		}
		g.clusterResults(r, res, ids, k, float64(max(firms[k], 5)), first, last)
	}
	for _, t := range []*table{res.targets, res.revisions, res.values} {
		if err := t.write(ctx, tx, d.Dialect); err != nil {
			return err
		}
	}
	counts["indicator_targets"] = len(res.targets.rows)
	counts["indicator_values"] = len(res.values.rows)
	return syncIdentity(ctx, tx, d, "indicator_targets", "indicator_target_revisions", "indicator_values")
}

// clusterResults draws one initiative's baselines, targets and values.
func (g *gen) clusterResults(r *rng, res *results, ids map[string]int64, k *cluster, f float64, first, last int) {
	skipped := 0 // a year the initiative did not report at all
	if r.chance(0.25) && last > first {
		skipped = r.between(first+1, last)
	}
	late := r.chance(0.2)
	planned := time.Date(first, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, di := range demoIndicators {
		id, ok := ids[di.code]
		if !ok {
			continue
		}
		base := 0.0
		if di.base != nil {
			base = di.base(r, f)
		}
		baseline := di.actual(r, f, di.target(r, f, 0, base)*0.8, 0)
		if di.quarterly {
			baseline = 0
			for range 4 {
				baseline += di.actual(r, f, di.target(r, f, 0, base)*0.8, 0)
			}
		}
		if di.code == "IMPROVED_PRACTICES" {
			baseline = 0 // a stock counted since the baseline
		}
		res.target(r, id, k, "baseline", first-1, "", "", baseline, planned, false)
		prev := 0.0
		for y := first; y <= last; y++ {
			i := y - first
			target := di.target(r, f, i, base)
			res.target(r, id, k, "target", y, "", "", target, planned, y >= 2024)
			if di.code == "JOBS_CREATED" {
				res.target(r, id, k, "target", y, "sex", "women", math.Round(target*0.45), planned, false)
				res.target(r, id, k, "target", y, "youth", "youth", math.Round(target*0.35), planned, false)
			}
			if y == skipped {
				continue
			}
			// One report per initiative, indicator and year: its values share
			// a source and are reviewed together.
			rep := report{source: pick(r, []string{"survey", "survey", "survey", "import", "import", "entry"}), late: late, state: reviewState(r, y)}
			if !di.quarterly {
				v := di.actual(r, f, target, prev)
				prev = v
				res.value(r, id, k, fmt.Sprint(y), "", "", v, rep)
				if di.code == "JOBS_CREATED" {
					res.value(r, id, k, fmt.Sprint(y), "sex", "women", math.Round(v*(0.35+0.2*r.float())), rep)
					res.value(r, id, k, fmt.Sprint(y), "youth", "youth", math.Round(v*(0.25+0.2*r.float())), rep)
				}
				continue
			}
			for q := 1; q <= 4; q++ {
				if r.chance(0.03) {
					continue // a missing quarter leaves the year without data
				}
				res.value(r, id, k, fmt.Sprintf("%d-Q%d", y, q), "", "", di.actual(r, f, target, 0), rep)
			}
		}
	}
}

// target adds a baseline or target, revised at the mid-term review when
// revise is set and the draw says so.
func (res *results) target(r *rng, indID int64, k *cluster, kind string, year int, dim, cat string, value float64, at time.Time, revise bool) {
	res.nextTarget++
	id := res.nextTarget
	at = r.during(at.AddDate(0, 0, r.between(0, 40)))
	revision, updated := 1, at
	final := value
	if revise && r.chance(0.12) {
		revision = 2
		final = math.Round(value * (0.8 + 0.15*r.float()))
		updated = r.during(time.Date(2023, 9, r.between(1, 28), 0, 0, 0, 0, time.UTC))
	}
	key := fmt.Sprint(year)
	res.targets.add(id, indID, "cluster", k.id, "", kind, "year", key, key+"-01-01", dim, cat, final, "", revision, at, updated)
	res.nextRevision++
	res.revisions.add(res.nextRevision, id, 1, value, nil, "", "", demoReporter, at)
	if revision == 2 {
		res.nextRevision++
		res.revisions.add(res.nextRevision, id, 2, final, value, "", "Mid-term review: targets set to what the cluster can reach.", demoReviewer, updated)
	}
}

// report is how one report's values arrived and were reviewed.
type report struct {
	source string
	late   bool
	state  string
}

// reviewState draws the review of a report: most are approved, the latest
// year's are often still waiting or have issues.
func reviewState(r *rng, year int) string {
	p := 0.93
	if year == resultsTo {
		p = 0.75
	}
	switch x := r.float(); {
	case x < p:
		return "approved"
	case x < p+(1-p)*0.6:
		return "received"
	}
	return "has_issues"
}

// value adds one value of a report; late reporters send theirs four to
// nine months after the period, others within weeks.
func (res *results) value(r *rng, indID int64, k *cluster, period, dim, cat string, v float64, rep report) {
	start, end := periodBounds(period)
	received := end.AddDate(0, 0, r.between(5, 80))
	if rep.late {
		received = end.AddDate(0, r.between(4, 9), r.between(0, 20))
	}
	if limit := historyEnd.AddDate(0, 0, -10); received.After(limit) {
		received = limit.AddDate(0, 0, -r.between(0, 30))
	}
	received = r.during(received)
	reviewer, comment := demoReviewer, ""
	var reviewed any = r.during(received.AddDate(0, 0, r.between(3, 30)).Truncate(24 * time.Hour))
	switch rep.state {
	case "received":
		reviewer, reviewed = "", nil
	case "has_issues":
		comment = "Check the figure against the firm survey returns."
	}
	if t, ok := reviewed.(time.Time); ok && t.After(historyEnd) {
		reviewed = historyEnd
	}
	res.nextValue++
	ptype := "year"
	if len(period) > 4 {
		ptype = "quarter"
	}
	res.values.add(res.nextValue, indID, "cluster", k.id, "", ptype, period, start.Format("2006-01-02"), dim, cat, 1, v, rep.source, "",
		rep.state, comment, reviewer, reviewed, demoReporter, received)
}

// periodBounds is the first day of a year ("2024") or quarter ("2024-Q3")
// and the day after it ends.
func periodBounds(period string) (time.Time, time.Time) {
	var y, q int
	if _, err := fmt.Sscanf(period, "%d-Q%d", &y, &q); err == nil {
		start := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 3, 0)
	}
	fmt.Sscanf(period, "%d", &y)
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return start, start.AddDate(1, 0, 0)
}
