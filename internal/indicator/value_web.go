package indicator

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// EntryCell is one input of the entry grid: an indicator's total or one
// category, with the latest version entered.
type EntryCell struct {
	Category Category
	Current  *Value
	Text     string
	Error    string
	name, id string
}

// Name is the form field of the cell ("v.12.sex:women", "v.12.total").
func (c EntryCell) Name() string { return c.name }

// ID is the HTML id of the cell's input.
func (c EntryCell) ID() string { return c.id }

// EntryRow is one indicator of the entry grid with its cells.
type EntryRow struct {
	Indicator *Indicator
	Cells     []EntryCell
}

// ValuesData is the value entry page's data: one subject and period, the
// grid of indicators by category, and the values with their review.
type ValuesData struct {
	Subject     Subject // zero: choose a subject and period first
	SubjectName string
	Period      string
	PeriodText  string
	PeriodError string
	CanWrite    bool
	CanReview   bool
	Rows        []EntryRow
	Values      []*Value
	Note        string
	Errors      *web.FormErrors
	Warnings    []SumWarning
	Violations  []*Violation // the validation rules that do not hold (rule_check.go)
	Bulk        BulkReview   // reviewing many values at once (value_review_bulk_web.go)
	Clusters    []SubjectOption
	Countries   []SubjectOption
}

// valuesPath is the entry page of a subject and period.
func valuesPath(s Subject, period string) string {
	return "/indicators/values?" + url.Values{"subject": {s.String()}, "period": {period}}.Encode()
}

// ValuesURL is the value entry page of a subject, for links from pages.
func (s Subject) ValuesURL() string {
	return "/indicators/values?subject=" + url.QueryEscape(s.String())
}

var idUnsafe = regexp.MustCompile(`[^a-z0-9-]+`)

// cellName and cellID name the grid input of an indicator and category.
func cellName(id int64, c Category) string {
	cat := "total"
	if !c.IsTotal() {
		cat = c.String()
	}
	return "v." + strconv.FormatInt(id, 10) + "." + cat
}

func cellID(id int64, c Category) string {
	return "f-" + idUnsafe.ReplaceAllString(strings.ReplaceAll(cellName(id, c), ".", "-"), "-")
}

// HandleValues shows the entry grid of one subject and period. Without
// ?subject= and ?period= it asks for them.
func HandleValues(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		renderValues(w, r, rd, s, q.Get("subject"), q.Get("period"), nil, "", nil, nil)
	})
}

// HandleValuesSave saves every value typed in the grid in one transaction
// and returns to the page with the sum-rule warnings, or shows the grid
// again with every problem by indicator and category.
func HandleValuesSave(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		subject, period := r.PostFormValue("subject"), r.PostFormValue("period")
		sub, err := ParseSubject(subject)
		if err != nil {
			rd.Error(w, r, problem.NotFoundf("%s", err))
			return
		}
		p, err := ParsePeriod(period)
		if err != nil {
			renderValues(w, r, rd, s, subject, period, nil, "", nil, nil)
			return
		}
		rows, err := entryRows(r, s, actor, p)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		note := r.PostFormValue("note")
		var ins []ValueInput
		var ids []string
		typed := map[string]string{}
		for _, row := range rows {
			for _, c := range row.Cells {
				text := strings.TrimSpace(r.PostFormValue(c.name))
				typed[c.name] = text
				if text == "" {
					continue
				}
				ins = append(ins, ValueInput{IndicatorID: row.Indicator.ID, Subject: sub.String(), Period: p.Key(),
					Category: c.Category.String(), Value: parseValue(text), Text: text, Source: SourceEntry, Note: note})
				ids = append(ids, c.id)
			}
		}
		res, err := s.SaveValues(ctx, actor, ins)
		if err != nil {
			// Problems name items (values[N].field); the page names cells.
			if pe := problem.As(err); pe != nil && pe.Kind == problem.Invalid {
				fields := make(problem.Fields, 0, len(pe.Details))
				for _, d := range pe.Details {
					f := d.Field
					if i, rest, ok := itemIndex(f); ok && i < len(ids) {
						f = strings.TrimPrefix(ids[i], "f-")
						if rest != "value" {
							d.Message = rest + ": " + d.Message
						}
					}
					fields = append(fields, problem.Detail{Field: f, Message: d.Message})
				}
				err = fields.Err()
			}
			renderValues(w, r, rd, s, subject, p.Key(), err, note, typed, nil)
			return
		}
		loc := web.Localizer(r)
		if len(res.Warnings) > 0 {
			renderValues(w, r, rd, s, subject, p.Key(), nil, "", nil, res)
			return
		}
		web.Flash(w, loc.T("indicatorvalue.flash.saved", "n", len(res.Saved)))
		http.Redirect(w, r, valuesPath(sub, p.Key()), http.StatusSeeOther)
	})
}

// itemIndex reads "values[3].value" as 3 and "value".
func itemIndex(field string) (int, string, bool) {
	rest, ok := strings.CutPrefix(field, "values[")
	if !ok {
		return 0, "", false
	}
	num, tail, ok := strings.Cut(rest, "].")
	if !ok {
		return 0, "", false
	}
	n, err := strconv.Atoi(num)
	return n, tail, err == nil
}

// HandleValueReview records an officer's decision on a value and returns
// to the entry page it was reviewed on.
func HandleValueReview(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm()
		ctx := r.Context()
		v, err := s.ReviewValue(ctx, user.ActorFrom(ctx), id, Decision(r.PostFormValue("decision")), r.PostFormValue("comment"))
		if err != nil {
			if fe := web.NewFormErrors(err); fe != nil {
				cur, ferr := s.FindValueByID(ctx, user.ActorFrom(ctx), id)
				if ferr != nil {
					rd.Error(w, r, ferr)
					return
				}
				renderValues(w, r, rd, s, cur.Subject.String(), cur.Period, err, "", nil, nil)
				return
			}
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("indicatorvalue.flash.reviewed"))
		http.Redirect(w, r, valuesPath(v.Subject, v.Period)+"#h-review", http.StatusSeeOther)
	})
}

// entryRows lists the indicators values are entered for in a period: those
// not archived, not computed by a formula, and collected at least as often
// as the period is long.
func entryRows(r *http.Request, s *Store, actor user.Actor, p Period) ([]EntryRow, error) {
	inds, _, err := s.FindIndicators(r.Context(), actor, Filter{Limit: 500})
	if err != nil {
		return nil, err
	}
	var rows []EntryRow
	for _, ind := range inds {
		if ind.IsFormula() || ind.Archived() || !p.FitsFrequency(ind.Frequency) {
			continue
		}
		row := EntryRow{Indicator: ind}
		for _, c := range ind.Categories() {
			row.Cells = append(row.Cells, EntryCell{Category: c, name: cellName(ind.ID, c), id: cellID(ind.ID, c)})
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func renderValues(w http.ResponseWriter, r *http.Request, rd *web.Renderer, s *Store, subject, period string, err error,
	note string, typed map[string]string, saved *SaveResult) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	loc := web.Localizer(r)
	d := &ValuesData{PeriodText: period, Note: note, CanReview: MayReviewValues(actor)}
	status := http.StatusOK
	if err != nil {
		if d.Errors = web.NewFormErrors(err); d.Errors == nil {
			rd.Error(w, r, err)
			return
		}
		status = http.StatusUnprocessableEntity
	}
	if saved != nil {
		d.Warnings = saved.Warnings
	}
	var p Period
	if subject != "" {
		sub, perr := ParseSubject(subject)
		if perr != nil {
			rd.Error(w, r, problem.NotFoundf("%s", perr))
			return
		}
		name, write, aerr := s.SubjectAccess(ctx, actor, sub)
		if aerr != nil {
			rd.Error(w, r, aerr)
			return
		}
		d.Subject, d.SubjectName, d.CanWrite = sub, name, write && MaySetTargets(actor)
		if period != "" {
			if p, perr = ParsePeriod(period); perr != nil {
				d.PeriodError = upperFirst(perr.Error()) + "."
				status = http.StatusUnprocessableEntity
			} else {
				d.Period = p.Key()
			}
		}
	}
	if d.Period == "" {
		var oerr error
		if d.Clusters, d.Countries, oerr = s.subjectOptions(ctx, actor); oerr != nil {
			rd.Error(w, r, oerr)
			return
		}
	} else {
		values, _, ferr := s.FindValues(ctx, actor, ValueFilter{Subject: d.Subject, Period: d.Period, Limit: 1000})
		if ferr != nil {
			rd.Error(w, r, ferr)
			return
		}
		d.Values = values
		d.Bulk = bulkState(r, values)
		current := map[string]*Value{}
		for _, v := range values {
			current[cellName(v.IndicatorID, v.Category)] = v
		}
		rows, rerr := entryRows(r, s, actor, p)
		if rerr != nil {
			rd.Error(w, r, rerr)
			return
		}
		for _, row := range rows {
			for n := range row.Cells {
				c := &row.Cells[n]
				c.Current = current[c.name]
				if t, ok := typed[c.name]; ok {
					c.Text = t
				} else if c.Current != nil {
					c.Text = strconv.FormatFloat(c.Current.Value, 'f', -1, 64)
				}
				c.Error = d.Errors.For(strings.TrimPrefix(c.id, "f-"))
			}
		}
		d.Rows = rows
		if d.Violations, rerr = s.EntryViolations(ctx, d.Subject, d.Period); rerr != nil {
			rd.Error(w, r, rerr)
			return
		}
	}
	title := loc.T("indicatorvalue.title")
	if d.SubjectName != "" && d.Period != "" {
		title = loc.T("indicatorvalue.title_of", "name", d.SubjectName, "period", d.Period)
	}
	pg := rd.NewPage(r, title, d)
	pg.Section = section
	pg.Crumbs = listCrumbs(loc, web.Crumb{Label: loc.T("indicatorvalue.title")})
	rd.Render(w, r, status, "indicator/values", pg)
}
