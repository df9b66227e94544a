package indicator

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
)

// Checking rules against stored values: the rules are compiled once (their
// sides parsed and their items resolved to indicator IDs and categories),
// the values of the scope are read in one query and grouped by subject and
// period, and each rule of the period's type is evaluated for each group.
// A value counts when it is the latest version of its key and not rejected,
// as for the sum rule.

// ruleValKey is an indicator's total or one category.
type ruleValKey struct {
	ind int64
	cat Category
}

// compiledRule is a rule ready to evaluate.
type compiledRule struct {
	*Rule
	left, right *RuleExpr
	refs        map[string]ruleValKey // item key → indicator and category
}

// compileRules parses the active rules and resolves what they name. A rule
// whose indicators have since been archived or changed so that it no longer
// resolves is left out rather than failing every check.
func compileRules(ctx context.Context, q db.Querier) ([]*compiledRule, error) {
	rules, err := findRules(ctx, q, RuleFilter{})
	if err != nil {
		return nil, err
	}
	var out []*compiledRule
	var codes []string
	for _, r := range rules {
		l, lerr := ParseRuleExpr(r.Left)
		rt, rerr := ParseRuleExpr(r.Right)
		if lerr != nil || rerr != nil {
			continue
		}
		c := &compiledRule{Rule: r, left: l, right: rt, refs: map[string]ruleValKey{}}
		for _, it := range append(append([]RuleItem(nil), l.Items...), rt.Items...) {
			if !oneOf(it.Code, codes) {
				codes = append(codes, it.Code)
			}
		}
		out = append(out, c)
	}
	inds, err := indicatorsByCode(ctx, q, codes)
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for _, c := range out {
		ok := true
		for _, it := range append(append([]RuleItem(nil), c.left.Items...), c.right.Items...) {
			ind := inds[it.Code]
			if ind == nil || ind.Archived() {
				ok = false
				break
			}
			cat, found := ResolveCategory(ind, it.Category)
			if !found {
				ok = false
				break
			}
			c.refs[it.Key] = ruleValKey{ind.ID, cat}
		}
		if ok {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

// evaluate applies the rule to one subject and period.
func (c *compiledRule) evaluate(p *rulePair) Outcome {
	values := make(map[string]float64, len(c.refs))
	for key, k := range c.refs {
		if v, ok := p.values[k]; ok {
			values[key] = v
		}
	}
	return EvaluateRule(c.Rule, c.left, c.right, values)
}

// rulePair are the values of one subject and period.
type rulePair struct {
	subject     Subject
	subjectName string
	country     string
	periodType  PeriodType
	period      string
	start       string
	values      map[ruleValKey]float64
}

func (p *rulePair) key() string { return p.subject.String() + "|" + p.period }

// ruleFrom is the FROM clause of values or violations (table) aliased t,
// with the subject's cluster c, organisation o and country co, so that
// targetScope and the run's scope apply to both.
func ruleFrom(table string) string {
	return ` FROM ` + table + ` t
	LEFT JOIN clusters c ON t.subject_kind = 'cluster' AND c.id = t.subject_id
	LEFT JOIN organisations o ON t.subject_kind = 'organisation' AND o.id = t.subject_id
	LEFT JOIN countries co ON t.subject_kind = 'country' AND co.iso3 = t.subject_iso3 `
}

// subjectCountry is the country of the subject: a cluster's first country.
const subjectCountry = `COALESCE(o.country_iso3, (SELECT MIN(cc.country_iso3) FROM cluster_countries cc WHERE cc.cluster_id = c.id), t.subject_iso3, '')`

// MaxRunValues is how many values one check reads at most; a larger scope
// is refused with a request to narrow it.
const MaxRunValues = 50000

// loadRulePairs reads the counted values matching w, grouped by subject and
// period in the order of subject and period start.
func loadRulePairs(ctx context.Context, q db.Querier, w *where) ([]*rulePair, error) {
	w.raw("t.state <> 'rejected'")
	w.raw(latestVersion)
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+ruleFrom("indicator_values")+w.String(), w.args...).Scan(&n); err != nil {
		return nil, fmt.Errorf("count values to check: %w", err)
	}
	if n > MaxRunValues {
		return nil, runTooMany(n)
	}
	rows, err := q.QueryContext(ctx, `SELECT t.subject_kind, t.subject_id, t.subject_iso3, COALESCE(c.name, o.name, co.name, ''),
		`+subjectCountry+`, t.period_type, t.period_key, t.period_start, t.indicator_id, t.dimension_code, t.category_code, t.value`+
		ruleFrom("indicator_values")+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("values to check: %w", err)
	}
	defer rows.Close()
	byKey := map[string]*rulePair{}
	var out []*rulePair
	for rows.Next() {
		var p rulePair
		var k ruleValKey
		var v float64
		if err := rows.Scan(&p.subject.Kind, &p.subject.ID, &p.subject.ISO3, &p.subjectName, &p.country, &p.periodType,
			&p.period, &p.start, &k.ind, &k.cat.Dimension, &k.cat.Code, &v); err != nil {
			return nil, fmt.Errorf("values to check: %w", err)
		}
		cur := byKey[p.key()]
		if cur == nil {
			p.values = map[ruleValKey]float64{}
			cur = &p
			byKey[p.key()] = cur
			out = append(out, cur)
		}
		cur.values[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.subject.String() != b.subject.String() {
			return a.subject.String() < b.subject.String()
		}
		return a.start < b.start || (a.start == b.start && a.period < b.period)
	})
	return out, nil
}

// checkRulePairs evaluates each rule for each subject and period of its period
// type: checks counts the evaluations that were not skipped.
func checkRulePairs(rules []*compiledRule, pairs []*rulePair) (found []*Violation, checks int) {
	for _, p := range pairs {
		for _, r := range rules {
			if r.PeriodType != p.periodType {
				continue
			}
			o := r.evaluate(p)
			if o.Skipped {
				continue
			}
			checks++
			if o.Violated {
				found = append(found, &Violation{RuleID: r.ID, RuleName: r.Name, RuleText: r.Text(), Importance: r.Importance,
					Subject: p.subject, SubjectName: p.subjectName, Country: p.country, Period: p.period, periodStart: p.start,
					Left: o.Left, Right: o.Right, Current: true})
			}
		}
	}
	return found, checks
}

// EntryViolations evaluates the rules for one subject and period as the
// values stand, for the entry grid. Nothing is stored.
func (s *Store) EntryViolations(ctx context.Context, sub Subject, period string) ([]*Violation, error) {
	rules, err := compileRules(ctx, s.db.Read())
	if err != nil || len(rules) == 0 {
		return nil, err
	}
	var w where
	w.add("t.subject_kind = $%d", string(sub.Kind))
	w.add("t.subject_id = $%d", sub.ID)
	w.add("t.subject_iso3 = $%d", sub.ISO3)
	w.add("t.period_key = $%d", period)
	pairs, err := loadRulePairs(ctx, s.db.Read(), &w)
	if err != nil {
		return nil, err
	}
	found, _ := checkRulePairs(rules, pairs)
	return found, nil
}

// rulePairsText names subjects and periods for a run's record ("cluster:3 2025").
func rulePairsText(pairs []*rulePair) string {
	var parts []string
	for n, p := range pairs {
		if n == 3 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(pairs)))
			break
		}
		parts = append(parts, p.subject.String()+" "+p.period)
	}
	return strings.Join(parts, ", ")
}
