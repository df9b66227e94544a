package indicator

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/clusterobservatory/observatory/internal/user"
)

// approvedSet is the approved values the actor may read, by subject, then
// indicator code, period and category.
type approvedSet struct {
	names  map[Subject]string
	values map[Subject]map[string]map[string]map[Category]float64
}

// approved reads the latest approved version of each value the actor may
// read, for one subject or every one, and for the given indicator codes or
// every indicator.
func (s *Store) approved(ctx context.Context, actor user.Actor, sub Subject, codes []string) (*approvedSet, error) {
	var w where
	targetScope(&w, actor, false)
	w.raw(latestApproved)
	if !sub.IsZero() {
		w.add("t.subject_kind = $%d", string(sub.Kind))
		w.add("t.subject_id = $%d", sub.ID)
		w.add("t.subject_iso3 = $%d", sub.ISO3)
	}
	if codes != nil {
		marks := make([]string, len(codes))
		for n, c := range codes {
			w.args = append(w.args, c)
			marks[n] = fmt.Sprintf("$%d", len(w.args))
		}
		w.raw("i.code IN (" + strings.Join(marks, ", ") + ")")
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT i.code, t.subject_kind, t.subject_id, t.subject_iso3,
		COALESCE(c.name, o.name, co.name, ''), t.period_key, t.dimension_code, t.category_code, t.value`+valueFrom+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("approved values: %w", err)
	}
	defer rows.Close()
	set := &approvedSet{names: map[Subject]string{}, values: map[Subject]map[string]map[string]map[Category]float64{}}
	for rows.Next() {
		var code, name, period string
		var sb Subject
		var c Category
		var v float64
		if err := rows.Scan(&code, &sb.Kind, &sb.ID, &sb.ISO3, &name, &period, &c.Dimension, &c.Code, &v); err != nil {
			return nil, err
		}
		set.names[sb] = name
		byCode := set.values[sb]
		if byCode == nil {
			byCode = map[string]map[string]map[Category]float64{}
			set.values[sb] = byCode
		}
		if byCode[code] == nil {
			byCode[code] = map[string]map[Category]float64{}
		}
		if byCode[code][period] == nil {
			byCode[code][period] = map[Category]float64{}
		}
		byCode[code][period][c] = v
	}
	return set, rows.Err()
}

// totals is one subject's approved totals of an indicator by period.
func (a *approvedSet) totals(sub Subject, code string) periodSeries {
	out := periodSeries{}
	for period, cats := range a.values[sub][code] {
		if v, ok := cats[Category{}]; ok {
			out[period] = v
		}
	}
	return out
}

// table builds one indicator's target-versus-actual table for one subject;
// nil when there is nothing to show.
func (a *approvedSet) table(ind *Indicator, sub Subject, name string, targets []*Target) *ResultTable {
	baselines, goals := periodSeries{}, periodSeries{}
	for _, t := range targets {
		if t.IndicatorID != ind.ID || t.Subject != sub || !t.Category.IsTotal() {
			continue
		}
		if t.Kind == KindBaseline {
			baselines[t.Period] = t.Value
		} else {
			goals[t.Period] = t.Value
		}
	}
	var actuals periodSeries
	var undefined map[string]bool
	if ind.IsFormula() {
		if e, err := ParseFormula(ind.Formula); err == nil {
			inputs := map[string]periodSeries{}
			for _, code := range e.Codes() {
				inputs[code] = a.totals(sub, code)
			}
			actuals, undefined = FormulaActuals(e, inputs)
		}
	} else {
		actuals = a.totals(sub, ind.Code)
	}
	var wanted []string
	for _, m := range []periodSeries{baselines, goals} {
		for k := range m {
			wanted = append(wanted, k)
		}
	}
	derived := periodSeries{}
	if !ind.IsFormula() { // a formula's inputs would each need their own rule
		derived = AggregateOverTime(ind.TimeAggregation, actuals, wanted)
	}
	for k, v := range derived {
		actuals[k] = v
	}
	rows := BuildRows(ind.Direction, baselines, goals, actuals, undefined)
	for n := range rows {
		_, rows[n].Derived = derived[rows[n].Period]
	}
	if len(rows) == 0 {
		return nil
	}
	t := &ResultTable{Indicator: ind, Subject: sub, SubjectName: name, Rows: rows}
	if !ind.IsFormula() {
		for _, r := range rows {
			ws := CheckSums(ind, a.values[sub][ind.Code][r.Period])
			for n := range ws {
				ws[n].Subject, ws[n].Period = sub, r.Period
			}
			t.Warnings = append(t.Warnings, ws...)
		}
	}
	return t
}

// ResultsForSubject builds the target-versus-actual table of every
// indicator that has a baseline, a target or an approved value for the
// subject (which the caller has checked the actor may read).
func (s *Store) ResultsForSubject(ctx context.Context, actor user.Actor, sub Subject, name string) ([]*ResultTable, error) {
	inds, _, err := s.FindIndicators(ctx, actor, Filter{Limit: 500})
	if err != nil {
		return nil, err
	}
	targets, _, err := s.FindTargets(ctx, actor, TargetFilter{Subject: sub, Limit: 1000})
	if err != nil {
		return nil, err
	}
	set, err := s.approved(ctx, actor, sub, nil)
	if err != nil {
		return nil, err
	}
	var out []*ResultTable
	for _, ind := range inds {
		if t := set.table(ind, sub, name, targets); t != nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// ResultsForIndicator builds the indicator's target-versus-actual table
// for every subject the actor may read that has a baseline, a target or
// an approved value (for a formula: of its inputs), by subject name.
func (s *Store) ResultsForIndicator(ctx context.Context, actor user.Actor, ind *Indicator) ([]*ResultTable, error) {
	targets, _, err := s.FindTargets(ctx, actor, TargetFilter{IndicatorID: ind.ID, Limit: 1000})
	if err != nil {
		return nil, err
	}
	codes := []string{ind.Code}
	if ind.IsFormula() {
		if e, err := ParseFormula(ind.Formula); err == nil {
			codes = append(codes, e.Codes()...)
		}
	}
	set, err := s.approved(ctx, actor, Subject{}, codes)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		set.names[t.Subject] = t.SubjectName
	}
	subjects := make([]Subject, 0, len(set.names))
	for sb := range set.names {
		subjects = append(subjects, sb)
	}
	sort.Slice(subjects, func(a, b int) bool {
		if set.names[subjects[a]] != set.names[subjects[b]] {
			return set.names[subjects[a]] < set.names[subjects[b]]
		}
		return subjects[a].String() < subjects[b].String()
	})
	var out []*ResultTable
	for _, sb := range subjects {
		if t := set.table(ind, sb, set.names[sb], targets); t != nil {
			out = append(out, t)
		}
	}
	return out, nil
}
