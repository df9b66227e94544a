package indicator

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// ExcelTemplateInput chooses what a template holds.
type ExcelTemplateInput struct {
	// Indicators are codes; none means the standard indicators.
	Indicators []string
	// Subjects is "country:JAM" for the cluster initiatives of a country or
	// "cluster:12" for the member organisations of a cluster initiative.
	Subjects string
	// PeriodType is quarter (every quarter of the years) or year.
	PeriodType PeriodType
	From, To   int
	Lang       string
}

// maxExcelYears is how many years one template spans at most.
const maxExcelYears = 10

// ExcelTemplate builds the template the input chooses: the indicators that
// take values for its periods, the subjects the actor may enter values
// for, and their latest values.
func (s *Store) ExcelTemplate(ctx context.Context, actor user.Actor, in ExcelTemplateInput) (*ExcelTemplate, error) {
	if !MaySetTargets(actor) {
		return nil, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may enter values.")
	}
	var f problem.Fields
	if in.PeriodType != PeriodQuarter && in.PeriodType != PeriodYear {
		f.Add("period_type", "Choose quarters or years.")
	}
	switch {
	case in.From < MinYear || in.From > MaxYear:
		f.Add("from", "Enter a year from %d to %d.", MinYear, MaxYear)
	case in.To < in.From || in.To > MaxYear:
		f.Add("to", "Enter a year from %d to %d.", in.From, MaxYear)
	case in.To-in.From >= maxExcelYears:
		f.Add("to", "One template spans at most %d years.", maxExcelYears)
	}
	t := &ExcelTemplate{Lang: in.Lang}
	if !f.Has("period_type") && !f.Has("from") && !f.Has("to") {
		for y := in.From; y <= in.To; y++ {
			if in.PeriodType == PeriodYear {
				t.Periods = append(t.Periods, Period{Type: PeriodYear, Year: y})
				continue
			}
			for q := 1; q <= 4; q++ {
				t.Periods = append(t.Periods, Period{Type: PeriodQuarter, Year: y, N: q})
			}
		}
	}
	inds, err := s.excelIndicators(ctx, actor, in, &f)
	if err != nil {
		return nil, err
	}
	sub, perr := ParseSubject(in.Subjects)
	switch {
	case strings.TrimSpace(in.Subjects) == "":
		f.Add("subjects", "Choose the cluster initiatives of a country or the members of a cluster initiative.")
	case perr != nil || sub.Kind == SubjectOrganisation:
		f.Add("subjects", "Write country:ISO3 for the cluster initiatives of a country or cluster:ID for the members of a cluster initiative.")
	default:
		t.Subjects, err = s.excelSubjects(ctx, actor, sub, in.From)
		if problem.Is(err, problem.NotFound) {
			f.Add("subjects", "%s", problem.As(err).Message)
		} else if err != nil {
			return nil, err
		}
		if err == nil && len(t.Subjects) == 0 {
			f.Add("subjects", "There is no subject there that you may enter values for.")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	loc := i18n.For(in.Lang)
	for _, ind := range inds {
		for _, c := range ind.Categories() {
			t.Columns = append(t.Columns, &ExcelColumn{Indicator: ind, Code: ind.Code, Category: c, Label: loc.T(c.Key())})
		}
	}
	subjects := make([]Subject, len(t.Subjects))
	for n, o := range t.Subjects {
		subjects[n] = o.Subject
	}
	existing, err := latestValues(ctx, s.db.Read(), subjects)
	if err != nil {
		return nil, err
	}
	t.Existing = map[excelKey]float64{}
	for k, v := range existing {
		t.Existing[k] = v.value
	}
	return t, nil
}

// excelIndicators are the chosen indicators that take values for the
// period type, by code.
func (s *Store) excelIndicators(ctx context.Context, actor user.Actor, in ExcelTemplateInput, f *problem.Fields) ([]*Indicator, error) {
	all, _, err := s.FindIndicators(ctx, actor, Filter{Limit: 500})
	if err != nil {
		return nil, err
	}
	byCode := map[string]*Indicator{}
	for _, ind := range all {
		byCode[ind.Code] = ind
	}
	var out []*Indicator
	fits := func(ind *Indicator) bool {
		return !in.PeriodType.Valid() || (Period{Type: in.PeriodType}).FitsFrequency(ind.Frequency)
	}
	if len(in.Indicators) == 0 {
		for _, ind := range all {
			if ind.Standard && !ind.IsFormula() && fits(ind) {
				out = append(out, ind)
			}
		}
		if len(out) == 0 {
			f.Add("indicator", "No standard indicator is collected for %ss; choose the indicators.", in.PeriodType)
		}
		return out, nil
	}
	for _, code := range in.Indicators {
		code = strings.ToUpper(strings.TrimSpace(code))
		ind := byCode[code]
		switch {
		case ind == nil:
			f.Add("indicator", "There is no indicator %s.", code)
		case ind.IsFormula():
			f.Add("indicator", "%s is computed by its formula; choose the indicators it is computed from.", code)
		case !fits(ind):
			f.Add("indicator", "%s is collected %s; choose longer periods for it.", code, ind.Frequency)
		case !slices.Contains(out, ind):
			out = append(out, ind)
		}
	}
	slices.SortFunc(out, func(a, b *Indicator) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// excelSubjects lists the subjects of a template that the actor may enter
// values for: the active cluster initiatives of a country, or the members
// of a cluster initiative who had not left before the template's first year.
func (s *Store) excelSubjects(ctx context.Context, actor user.Actor, set Subject, from int) ([]SubjectOption, error) {
	var w where
	var query string
	kind := SubjectCluster
	switch set.Kind {
	case SubjectCountry:
		var n int
		if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM countries WHERE iso3 = $1`, set.ISO3).Scan(&n); err != nil {
			return nil, fmt.Errorf("country: %w", err)
		}
		if n == 0 {
			return nil, problem.NotFoundf("There is no country %s.", set.ISO3)
		}
		w.add("EXISTS (SELECT 1 FROM cluster_countries cc WHERE cc.cluster_id = c.id AND cc.country_iso3 = $%d)", set.ISO3)
		w.raw("c.archived_at IS NULL")
		if !mayWriteEverySubject(actor) {
			w.raw(w.rule(user.ClusterWriteFilter, actor, "c"))
		}
		query = `SELECT c.id, c.name FROM clusters c ` + w.String() + ` ORDER BY c.name_norm, c.id`
	case SubjectCluster:
		if _, _, err := subjectAccess(ctx, s.db.Read(), actor, set); err != nil {
			return nil, err
		}
		kind = SubjectOrganisation
		w.add("m.cluster_id = $%d", set.ID)
		w.add("(m.left_on IS NULL OR m.left_on >= $%d)", fmt.Sprintf("%04d-01-01", from))
		w.raw("o.archived_at IS NULL")
		if !mayWriteEverySubject(actor) {
			w.raw(w.rule(user.OrgWriteFilter, actor, "o"))
		}
		query = `SELECT DISTINCT o.id, o.name, o.name_norm FROM memberships m JOIN organisations o ON o.id = m.organisation_id ` +
			w.String() + ` ORDER BY o.name_norm, o.id`
	default:
		return nil, problem.NotFoundf("Choose a country or a cluster initiative.")
	}
	rows, err := s.db.Read().QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, fmt.Errorf("template subjects: %w", err)
	}
	defer rows.Close()
	var out []SubjectOption
	for rows.Next() {
		o := SubjectOption{Subject: Subject{Kind: kind}}
		dest := []any{&o.Subject.ID, &o.Name}
		if kind == SubjectOrganisation {
			var norm string
			dest = append(dest, &norm)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ExcelChoices are what the template page offers: the countries whose
// cluster initiatives, and the cluster initiatives whose members, the
// actor may choose, and the indicators that take values.
func (s *Store) ExcelChoices(ctx context.Context, actor user.Actor) (clusters, countries []SubjectOption, inds []*Indicator, err error) {
	if clusters, countries, err = s.subjectOptions(ctx, actor); err != nil {
		return nil, nil, nil, err
	}
	all, _, err := s.FindIndicators(ctx, actor, Filter{Limit: 500})
	if err != nil {
		return nil, nil, nil, err
	}
	for _, ind := range all {
		if !ind.IsFormula() {
			inds = append(inds, ind)
		}
	}
	return clusters, countries, inds, nil
}

// stored is the latest version of a value.
type stored struct {
	value float64
	state ReviewState
}

// latestValues reads the latest version of every value of the subjects.
func latestValues(ctx context.Context, q db.Querier, subjects []Subject) (map[excelKey]stored, error) {
	out := map[excelKey]stored{}
	for _, sub := range subjects {
		rows, err := q.QueryContext(ctx, `SELECT t.indicator_id, t.period_key, t.dimension_code, t.category_code, t.value, t.state
			FROM indicator_values t WHERE t.subject_kind = $1 AND t.subject_id = $2 AND t.subject_iso3 = $3 AND `+latestVersion,
			string(sub.Kind), sub.ID, sub.ISO3)
		if err != nil {
			return nil, fmt.Errorf("latest values: %w", err)
		}
		for rows.Next() {
			k := excelKey{subject: sub.String()}
			var v stored
			if err := rows.Scan(&k.ind, &k.period, &k.category.Dimension, &k.category.Code, &v.value, &v.state); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
