package indicator

import (
	"context"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// ExcelChange is one value an import stores: new, or changed from the
// latest version.
type ExcelChange struct {
	Row           int      `json:"row"`
	Column        string   `json:"column"`
	Subject       Subject  `json:"subject"`
	SubjectName   string   `json:"subject_name"`
	Period        string   `json:"period"`
	IndicatorCode string   `json:"indicator_code"`
	Category      Category `json:"category"`
	Old           *float64 `json:"old"`
	New           float64  `json:"new"`
}

// Decimals is how many decimals the page shows for the values.
func (c ExcelChange) Decimals() int {
	d := decimals(c.New)
	if c.Old != nil {
		d = max(d, decimals(*c.Old))
	}
	return d
}

// maxExcelChangesShown is how many changes a preview lists.
const maxExcelChangesShown = 200

// ExcelSummary is what an upload holds and would do: how many values are
// new, changed and unchanged, with the warnings of the sum rule and the
// validation rules the values would break.
type ExcelSummary struct {
	FileName   string        `json:"file_name"`
	Rows       int           `json:"rows"`
	Values     int           `json:"values"`
	New        int           `json:"new"`
	Changed    int           `json:"changed"`
	Unchanged  int           `json:"unchanged"`
	Warnings   []SumWarning  `json:"warnings"`
	Violations []*Violation  `json:"violations"`
	Changes    []ExcelChange `json:"changes"` // the first maxExcelChangesShown
	// Saved is how many versions a commit added (0 in a preview).
	Saved     int  `json:"saved"`
	Committed bool `json:"committed"`

	inputs []ValueInput
	where  []ExcelProblem // the cell of each input
}

// PreviewExcel reads an uploaded template and checks all of it, storing
// nothing: every problem is an *ExcelError naming sheet, row, column and
// header; a good upload gives what a commit would store.
func (s *Store) PreviewExcel(ctx context.Context, actor user.Actor, data []byte, name string) (*ExcelSummary, error) {
	if !MaySetTargets(actor) {
		return nil, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may enter values.")
	}
	var ps excelProblems
	book, err := readExcel(data, name, &ps)
	if err != nil {
		return nil, err
	}
	sum := &ExcelSummary{FileName: name, Rows: len(book.rows), Warnings: []SumWarning{}, Violations: []*Violation{}, Changes: []ExcelChange{}}
	cols, err := s.excelColumns(ctx, book)
	if err != nil {
		return nil, err
	}
	type cellValue struct {
		row   *excelRow
		cell  excelCell
		value float64
	}
	var values []cellValue
	access := map[string]string{} // subject → problem, "" when writable
	reported := map[int]bool{}
	var subjects []Subject
	for n := range book.rows {
		r := &book.rows[n]
		sk := r.subject.String()
		msg, ok := access[sk]
		if !ok {
			_, write, err := subjectAccess(ctx, s.db.Read(), actor, r.subject)
			switch {
			case problem.Is(err, problem.NotFound):
				msg = fmt.Sprintf("There is no %s that you may see: keep the subject IDs of the template.", r.subject)
			case err != nil:
				return nil, err
			case !write:
				msg = fmt.Sprintf("%s is outside your scope: you may not enter values for it.", r.subject)
			default:
				subjects = append(subjects, r.subject)
			}
			access[sk] = msg
		}
		if msg != "" {
			ps.addf(excelDataSheet, r.row, "A", book.subjectHead, "%s", msg)
		}
		for _, c := range r.cells {
			col := cols[c.meta]
			header := book.cols[c.meta].header()
			if col.problem != "" {
				if !reported[c.meta] {
					reported[c.meta] = true
					ps.addf(excelDataSheet, r.row, c.letter, header, "%s", col.problem)
				}
				continue
			}
			v := parseValue(c.text)
			if m := CheckNumber(col.ind, v, c.text); m != "" {
				ps.addf(excelDataSheet, r.row, c.letter, header, "%s.", m)
				continue
			}
			values = append(values, cellValue{row: r, cell: c, value: *v})
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	existing, err := latestValues(ctx, s.db.Read(), subjects)
	if err != nil {
		return nil, err
	}
	type group struct {
		ind    *Indicator
		row    *excelRow
		values map[Category]float64
	}
	groups := map[string]*group{}
	var order []string
	for _, cv := range values {
		col := cols[cv.cell.meta]
		k := excelKey{cv.row.subject.String(), cv.row.period.Key(), col.ind.ID, col.cat}
		sum.Values++
		old, had := existing[k]
		if had && old.value == cv.value {
			sum.Unchanged++
			continue
		}
		ch := ExcelChange{Row: cv.row.row, Column: cv.cell.letter, Subject: cv.row.subject, SubjectName: cv.row.name,
			Period: cv.row.period.Key(), IndicatorCode: col.ind.Code, Category: col.cat, New: cv.value}
		if had {
			sum.Changed++
			o := old.value
			ch.Old = &o
		} else {
			sum.New++
		}
		if len(sum.Changes) < maxExcelChangesShown {
			sum.Changes = append(sum.Changes, ch)
		}
		v := cv.value
		sum.inputs = append(sum.inputs, ValueInput{IndicatorID: col.ind.ID, Subject: cv.row.subject.String(), Period: cv.row.period.Key(),
			Category: col.cat.String(), Value: &v, Text: cv.cell.text, Source: SourceImport})
		sum.where = append(sum.where, ExcelProblem{Sheet: excelDataSheet, Row: cv.row.row, Column: cv.cell.letter, Header: book.cols[cv.cell.meta].header()})
		gk := fmt.Sprint(col.ind.ID, "|", k.subject, "|", k.period)
		if groups[gk] == nil {
			groups[gk] = &group{ind: col.ind, row: cv.row, values: map[Category]float64{}}
			order = append(order, gk)
		}
	}
	if len(sum.inputs) > maxExcelSave {
		return nil, fileProblem(problem.Invalid, "This workbook would store %d values; at most %d are stored at once. Split it by subjects or periods.",
			len(sum.inputs), maxExcelSave)
	}
	// The sum rule over the values as they would stand: the latest version
	// of each key that is not rejected, with the import's values over them.
	for k, v := range existing {
		for _, gk := range order {
			g := groups[gk]
			if k.ind == g.ind.ID && k.subject == g.row.subject.String() && k.period == g.row.period.Key() && v.state != StateRejected {
				g.values[k.category] = v.value
			}
		}
	}
	for _, cv := range values {
		col := cols[cv.cell.meta]
		if g := groups[fmt.Sprint(col.ind.ID, "|", cv.row.subject.String(), "|", cv.row.period.Key())]; g != nil {
			g.values[col.cat] = cv.value
		}
	}
	for _, gk := range order {
		g := groups[gk]
		for _, w := range CheckSums(g.ind, g.values) {
			w.Subject, w.Period = g.row.subject, g.row.period.Key()
			sum.Warnings = append(sum.Warnings, w)
		}
	}
	if sum.Violations, err = s.excelViolations(ctx, sum.inputs, book); err != nil {
		return nil, err
	}
	return sum, nil
}

// excelCol is a meta column resolved to its indicator and category, or
// the problem that keeps its values from being stored.
type excelCol struct {
	ind     *Indicator
	cat     Category
	problem string
}

// excelColumns resolves the meta sheet's columns against the indicators
// as they are now.
func (s *Store) excelColumns(ctx context.Context, book *excelBook) ([]excelCol, error) {
	out := make([]excelCol, len(book.cols))
	byCode := map[string]*Indicator{}
	for n, m := range book.cols {
		ind, ok := byCode[m.code]
		if !ok {
			var err error
			ind, err = loadIndicator(ctx, s.db.Read(), "i.code = $1", m.code)
			if problem.Is(err, problem.NotFound) {
				ind = nil
			} else if err != nil {
				return nil, err
			}
			byCode[m.code] = ind
		}
		c := &out[n]
		c.ind = ind
		if m.category != "total" {
			dim, code, _ := strings.Cut(m.category, ":")
			c.cat = Category{Dimension: dim, Code: code}
		}
		switch {
		case ind == nil:
			c.problem = fmt.Sprintf("There is no indicator %s any more; leave this column empty or download a new template.", m.code)
		case ind.Archived():
			c.problem = fmt.Sprintf("%s is archived; it takes no new values.", m.code)
		case ind.IsFormula():
			c.problem = fmt.Sprintf("%s is computed by its formula; enter the values of its inputs instead.", m.code)
		case !c.cat.IsTotal() && !oneOf(c.cat.Dimension, ind.Dimensions):
			c.problem = fmt.Sprintf("%s is no longer disaggregated by %s; download a new template.", m.code, c.cat.Dimension)
		case !(Period{Type: book.periodType}).FitsFrequency(ind.Frequency):
			c.problem = fmt.Sprintf("%s is collected %s; enter its values in a template of longer periods.", m.code, ind.Frequency)
		}
		if c.problem == "" && !c.cat.IsTotal() {
			if d, ok := DimensionByCode(c.cat.Dimension); !ok || !oneOf(c.cat.Code, d.Categories) {
				c.problem = fmt.Sprintf("%s is not a category of %s; download a new template.", m.category, m.code)
			}
		}
	}
	return out, nil
}

// excelViolations evaluates the validation rules for each subject and
// period the import changes, on the values as they would stand.
func (s *Store) excelViolations(ctx context.Context, ins []ValueInput, book *excelBook) ([]*Violation, error) {
	found := []*Violation{}
	if len(ins) == 0 {
		return found, nil
	}
	rules, err := compileRules(ctx, s.db.Read())
	if err != nil || len(rules) == 0 {
		return found, err
	}
	names := map[string]string{}
	for _, r := range book.rows {
		names[r.subject.String()] = r.name
	}
	pairs := map[string]*rulePair{}
	var order []*rulePair
	for _, in := range ins {
		sub, _ := ParseSubject(in.Subject)
		p, _ := ParsePeriod(in.Period)
		key := sub.String() + "|" + p.Key()
		pair := pairs[key]
		if pair == nil {
			var w where
			w.add("t.subject_kind = $%d", string(sub.Kind))
			w.add("t.subject_id = $%d", sub.ID)
			w.add("t.subject_iso3 = $%d", sub.ISO3)
			w.add("t.period_key = $%d", p.Key())
			loaded, err := loadRulePairs(ctx, s.db.Read(), &w)
			if err != nil {
				return nil, err
			}
			if len(loaded) > 0 {
				pair = loaded[0]
			} else {
				pair = &rulePair{subject: sub, subjectName: names[sub.String()], periodType: p.Type, period: p.Key(), start: p.Start(),
					values: map[ruleValKey]float64{}}
			}
			pairs[key] = pair
			order = append(order, pair)
		}
		dim, code, _ := strings.Cut(in.Category, ":")
		cat := Category{}
		if in.Category != "" {
			cat = Category{Dimension: dim, Code: code}
		}
		pair.values[ruleValKey{in.IndicatorID, cat}] = *in.Value
	}
	found, _ = checkRulePairs(rules, order)
	if found == nil {
		found = []*Violation{}
	}
	return found, nil
}

// CommitExcel checks an upload again and stores every new and changed
// value at once through SaveValues, with source import: all or nothing.
func (s *Store) CommitExcel(ctx context.Context, actor user.Actor, data []byte, name string) (*ExcelSummary, error) {
	sum, err := s.PreviewExcel(ctx, actor, data, name)
	if err != nil {
		return nil, err
	}
	sum.Committed = true
	if len(sum.inputs) == 0 {
		return sum, nil
	}
	res, err := s.SaveValues(ctx, actor, sum.inputs)
	if err != nil {
		return nil, excelSaveProblems(err, sum.where)
	}
	sum.Saved = len(res.Saved)
	sum.Warnings = res.Warnings
	if sum.Warnings == nil {
		sum.Warnings = []SumWarning{}
	}
	sum.Violations = res.Violations
	if sum.Violations == nil {
		sum.Violations = []*Violation{}
	}
	return sum, nil
}

// excelSaveProblems names the cells of the problems SaveValues found
// (values[N].field), which the checks before it should have caught: the
// data changed in between.
func excelSaveProblems(err error, cells []ExcelProblem) error {
	pe := problem.As(err)
	if pe == nil || pe.Kind != problem.Invalid {
		return err
	}
	var ps excelProblems
	for _, d := range pe.Details {
		if i, _, ok := itemIndex(d.Field); ok && i < len(cells) {
			p := cells[i]
			p.Message = d.Message
			ps.add(p)
			continue
		}
		ps.add(ExcelProblem{Message: d.Message})
	}
	if ps.total == 0 {
		ps.add(ExcelProblem{Message: pe.Message})
	}
	return ps.err()
}
