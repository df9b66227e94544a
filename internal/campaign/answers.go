package campaign

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/form/expr"
	"github.com/clusterobservatory/observatory/internal/form/logic"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Answers are normalised as ODK writes values: integers and decimals as
// JSON numbers, a select_multiple as its choice names separated by spaces,
// dates as YYYY-MM-DD, everything else as text; a repeat is an array of
// objects of its fields. This file reads and checks them without the
// database.

// answerable reports whether the simple web page asks a field: no
// calculations, notes, containers, media or locations.
func answerable(f form.Field) bool {
	switch f.Type {
	case form.TypeText, form.TypeInteger, form.TypeDecimal, form.TypeSelectOne, form.TypeSelectMultiple,
		form.TypeDate, form.TypeDateTime, form.TypeAcknowledge:
		return true
	}
	return false
}

// conditional reports whether a field, or a group holding it, is shown only
// under a condition: pages and templates cannot mark it required outright,
// since it must be answered only where it applies (CheckAnswers checks
// that with the form's logic).
func conditional(def *form.Definition, f form.Field) bool {
	for {
		if f.Relevant != "" {
			return true
		}
		if f.Parent == "" {
			return false
		}
		i := slices.IndexFunc(def.Fields, func(p form.Field) bool { return p.Path == f.Parent })
		if i < 0 {
			return false
		}
		f = def.Fields[i]
	}
}

// Repeats lists the repeat groups at the top level of a form (a repeat
// inside a repeat is not asked on the simple page).
func Repeats(def *form.Definition) []form.Field {
	var out []form.Field
	for _, f := range def.Fields {
		if f.Type == form.TypeRepeat && f.Repeat == "" {
			out = append(out, f)
		}
	}
	return out
}

// repeatName is the name of the top-level repeat holding a field, or "".
func repeatName(def *form.Definition, f form.Field) string {
	if f.Repeat == "" {
		return ""
	}
	for _, r := range Repeats(def) {
		if r.Path == f.Repeat {
			return r.Name
		}
	}
	return "-" // nested deeper: not asked
}

// Columns lists the answerable fields of one table: "" for the
// submission's own fields, a repeat's name for its rows.
func Columns(def *form.Definition, table string) []form.Field {
	var out []form.Field
	for _, f := range def.Fields {
		if answerable(f) && repeatName(def, f) == table {
			out = append(out, f)
		}
	}
	return out
}

// convert reads one typed-in value; ok is false when it does not fit the type.
func convert(f form.Field, s string) (any, bool) {
	s = strings.TrimSpace(s)
	switch f.Type {
	case form.TypeInteger:
		n, err := strconv.ParseInt(s, 10, 64)
		return json.Number(strconv.FormatInt(n, 10)), err == nil
	case form.TypeDecimal:
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		return json.Number(strconv.FormatFloat(v, 'f', -1, 64)), err == nil
	}
	return s, true
}

// FromForm reads a posted web form into answers: fields by name, repeat
// rows as repeat.N.field; empty values and empty repeat rows are left out.
// It reports every value that does not fit its field.
func FromForm(def *form.Definition, v url.Values) (map[string]any, problem.Fields) {
	var f problem.Fields
	out := map[string]any{}
	read := func(fl form.Field, key string, dst map[string]any) {
		var raw string
		if fl.Type == form.TypeSelectMultiple {
			raw = strings.Join(v[key], " ")
		} else {
			raw = v.Get(key)
		}
		if strings.TrimSpace(raw) == "" {
			return
		}
		val, ok := convert(fl, raw)
		if !ok {
			f.Add(key, "%q is not %s.", strings.TrimSpace(raw), typeText(fl.Type))
			return
		}
		dst[fl.Name] = val
	}
	for _, fl := range Columns(def, "") {
		read(fl, fl.Name, out)
	}
	for _, r := range Repeats(def) {
		rows := []any{}
		for n := 1; n <= maxRepeatRows; n++ {
			row := map[string]any{}
			for _, fl := range Columns(def, r.Name) {
				read(fl, fmt.Sprintf("%s.%d.%s", r.Name, n, fl.Name), row)
			}
			if len(row) > 0 {
				rows = append(rows, row)
			}
		}
		if len(rows) > 0 {
			out[r.Name] = rows
		}
	}
	return out, f
}

// maxRepeatRows is how many rows of a repeat the simple page offers at most.
const maxRepeatRows = 50

func typeText(t form.FieldType) string {
	switch t {
	case form.TypeInteger:
		return "a whole number"
	case form.TypeDecimal:
		return "a number"
	}
	return "a valid answer"
}

// Checking says how a channel's answers are checked against the form's
// logic.
type Checking struct {
	// Simple: the channel asks only what the simple page and the Excel
	// template ask (see answerable): no media, locations or nested
	// repeats, so only those questions can be missing.
	Simple bool
	// Earlier: the answers were given at another moment than now (on a
	// phone, maybe offline, or before a staff edit): rules that read
	// today() or now() were checked then and are not checked again.
	Earlier bool
}

// CheckAnswers checks answers against a form: known field names, whole
// numbers and numbers, choices from the field's list; then the form's
// logic, as the respondent page and ODK Collect apply it (internal/form/
// logic): required questions that apply, constraints, answers to
// questions that do not apply, and choices a choice filter does not
// offer. Problems name the field (repeat.N.field inside a repeat).
func CheckAnswers(def *form.Definition, answers map[string]any, how Checking) problem.Fields {
	var f problem.Fields
	checkTable(def, "", answers, "", &f)
	unreadable := false // a repeat whose rows the logic cannot place
	for _, r := range Repeats(def) {
		raw, ok := answers[r.Name]
		if !ok {
			continue
		}
		rows, ok := raw.([]any)
		if !ok {
			f.Add(r.Name, "%s is a repeat: send a list of entries.", r.Name)
			unreadable = true
			continue
		}
		for n, row := range rows {
			m, ok := row.(map[string]any)
			if !ok {
				f.Add(fmt.Sprintf("%s.%d", r.Name, n+1), "Each entry of %s is an object of its fields.", r.Name)
				unreadable = true
				continue
			}
			checkTable(def, r.Name, m, fmt.Sprintf("%s.%d.", r.Name, n+1), &f)
		}
	}
	if unreadable {
		return f
	}
	opts := logic.CheckOptions{Earlier: how.Earlier}
	if how.Simple {
		opts.Asked = func(fl form.Field) bool { return answerable(fl) && repeatName(def, fl) != "-" }
	}
	for _, p := range logic.FromAnswers(def, answers, logic.Options{}).Check(opts) {
		// A value that is not of its type was named already.
		if !slices.ContainsFunc(f, func(q problem.Detail) bool { return q.Field == p.Path }) {
			f.Add(p.Path, "%s", p.Message)
		}
	}
	return f
}

// keepMomentCalculations carries into an edit the calculations of the
// answers it replaces that read the moment or chance (a start time, an
// ID): the edit page does not ask them, and computing them again would
// change them. The others are computed again by AddCalculations.
func keepMomentCalculations(def *form.Definition, before, after map[string]any) {
	for _, f := range def.Fields {
		if f.Type != form.TypeCalculate || f.Repeat != "" || !readsMoment(f.Calculation) {
			continue
		}
		if v, ok := before[f.Name]; ok {
			if _, set := after[f.Name]; !set {
				after[f.Name] = v
			}
		}
	}
}

func readsMoment(calculation string) bool {
	e, err := expr.Parse(calculation)
	return err == nil && e.Calls("today", "now", "uuid")
}

// AddCalculations writes into answers the form's calculations that they
// do not bring, computed from them (except those that read the moment or
// chance: today(), now(), uuid()), so that answers from the simple page
// and from Excel hold what a phone would have computed.
func AddCalculations(def *form.Definition, answers map[string]any) {
	logic.FromAnswers(def, answers, logic.Options{}).FillCalculations(answers)
}

func checkTable(def *form.Definition, table string, answers map[string]any, at string, f *problem.Fields) {
	cols := Columns(def, table)
	known := map[string]form.Field{}
	for _, c := range cols {
		known[c.Name] = c
	}
	names := make([]string, 0, len(answers))
	for k := range answers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		fl, ok := known[name]
		if !ok {
			if table == "" && slices.ContainsFunc(Repeats(def), func(r form.Field) bool { return r.Name == name }) {
				continue
			}
			if i := slices.IndexFunc(def.Fields, func(x form.Field) bool { return x.Name == name }); i >= 0 && !answerable(def.Fields[i]) {
				continue // calculations and media may come from other channels
			}
			f.Add(at+name, "The form has no field %s here.", name)
			continue
		}
		if v := answers[name]; v == nil || v == "" {
			continue // left blank: the form's logic says whether it must be answered
		}
		checkValue(def, fl, answers[name], at+name, f)
	}
}

func checkValue(def *form.Definition, fl form.Field, v any, at string, f *problem.Fields) {
	text := fmt.Sprint(v)
	switch fl.Type {
	case form.TypeInteger:
		if _, ok := integer(v); !ok {
			f.Add(at, "%q is not a whole number.", text)
		}
	case form.TypeDecimal:
		if _, ok := number(v); !ok {
			f.Add(at, "%q is not a number.", text)
		}
	case form.TypeSelectOne, form.TypeSelectMultiple:
		list, _ := def.ChoiceList(fl.ChoiceList)
		chosen := strings.Fields(text)
		if fl.Type == form.TypeSelectOne && len(chosen) > 1 {
			f.Add(at, "Choose one answer.")
			return
		}
		for _, c := range chosen {
			if list == nil || !slices.ContainsFunc(list.Choices, func(ch form.Choice) bool { return ch.Name == c }) {
				f.Add(at, "%q is not one of the choices.", c)
				return
			}
		}
	}
}

func integer(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case float64:
		return int64(x), x == float64(int64(x))
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// Text is an answer as a cell of a table or a form input: numbers as
// written, everything else as text.
func Text(v any) string {
	switch v.(type) {
	case nil, string, json.Number, float64, bool:
		return logic.AnswerText(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// RepeatRows returns the rows of a repeat in answers.
func RepeatRows(answers map[string]any, name string) []map[string]any {
	rows, _ := answers[name].([]any)
	out := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
