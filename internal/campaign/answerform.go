package campaign

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/form"
)

// The simple answering page: the form's questions as plain HTML inputs,
// in the respondent's language, filled with prefill values or with what
// was typed before a refusal.

// Question is one question of the answering page.
type Question struct {
	ID       string // the element ID: "f-" + Name
	Name     string // the form field name ("partners.2.partner_name" in a repeat)
	Label    string
	Hint     string
	Kind     string // text, textarea, integer, decimal, date, datetime, select, checkboxes, checkbox
	Required bool
	Value    string
	Choices  []QuestionChoice
	Error    string
}

// QuestionChoice is one choice of a select question.
type QuestionChoice struct {
	ID, Value, Label string
	Selected         bool
}

// Section is a run of questions under an optional heading (a group), a
// note, or a repeat shown as a table of rows.
type Section struct {
	Heading string
	Note    string
	Inputs  []Question
	// A repeat: its column labels and rows of inputs.
	Repeat  bool
	Columns []string
	Rows    [][]Question
}

// AnswerForm is the whole answering page's form.
type AnswerForm struct {
	Title    string
	Sections []Section
}

// formLanguage picks the form language matching a page language code
// ("Español (es)" for es), else the form's default.
func formLanguage(def *form.Definition, code string) string {
	for _, l := range def.Languages {
		if strings.HasSuffix(l, "("+code+")") || strings.EqualFold(l, code) {
			return l
		}
	}
	return def.DefaultLanguage
}

// Values gives the page's input values by input name (repeat.N.field in a repeat).
type Values func(name string) []string

// AnswerValues reads stored or prefill answers as input values.
func AnswerValues(a map[string]any) Values {
	return func(name string) []string {
		parts := strings.Split(name, ".")
		var v any
		if len(parts) == 3 {
			rows := RepeatRows(a, parts[0])
			var n int
			fmt.Sscan(parts[1], &n)
			if n < 1 || n > len(rows) {
				return nil
			}
			v = rows[n-1][parts[2]]
		} else {
			v = a[name]
		}
		if v == nil {
			return nil
		}
		return []string{Text(v)}
	}
}

// PostedValues reads a posted form as input values.
func PostedValues(v url.Values) Values {
	return func(name string) []string { return v[name] }
}

// repeatRowsShown is how many rows a repeat offers: those filled plus
// three empty ones.
func repeatRowsShown(def *form.Definition, r form.Field, val Values) int {
	n := 0
	for i := 1; i <= maxRepeatRows; i++ {
		for _, c := range Columns(def, r.Name) {
			if len(val(fmt.Sprintf("%s.%d.%s", r.Name, i, c.Name))) > 0 {
				n = i
			}
		}
	}
	return min(n+3, maxRepeatRows)
}

// BuildAnswerForm lays out a form for the page language lang, with values
// from val and the problems of a refused attempt.
func BuildAnswerForm(def *form.Definition, lang string, val Values, errs map[string]string) *AnswerForm {
	fl := formLanguage(def, lang)
	text := func(t form.Text) string { return t.In(fl, def.DefaultLanguage, def.Languages) }
	out := &AnswerForm{Title: def.Title}
	cur := Section{}
	flush := func() {
		if cur.Heading != "" || cur.Note != "" || len(cur.Inputs) > 0 || cur.Repeat {
			out.Sections = append(out.Sections, cur)
		}
		cur = Section{}
	}
	input := func(f form.Field, name string) Question {
		in := Question{ID: "f-" + name, Name: name, Label: text(f.Label), Hint: text(f.Hint), Required: f.Required && !conditional(def, f),
			Error: errs[name]}
		if in.Label == "" {
			in.Label = f.Name
		}
		vs := val(name)
		if len(vs) > 0 {
			in.Value = vs[0]
		}
		switch f.Type {
		case form.TypeText:
			in.Kind = "text"
			if strings.Contains(f.Appearance, "multiline") {
				in.Kind = "textarea"
			}
		case form.TypeInteger, form.TypeDecimal, form.TypeDate:
			in.Kind = string(f.Type)
		case form.TypeDateTime:
			in.Kind = "datetime"
		case form.TypeAcknowledge:
			in.Kind = "checkbox"
		case form.TypeSelectOne, form.TypeSelectMultiple:
			in.Kind = "select"
			chosen := vs
			if f.Type == form.TypeSelectMultiple {
				in.Kind = "checkboxes"
				chosen = nil
				for _, v := range vs {
					chosen = append(chosen, strings.Fields(v)...)
				}
			}
			if list, ok := def.ChoiceList(f.ChoiceList); ok {
				for i, c := range list.Choices {
					label := text(c.Label)
					if label == "" {
						label = c.Name
					}
					in.Choices = append(in.Choices, QuestionChoice{ID: fmt.Sprintf("%s-%d", in.ID, i), Value: c.Name, Label: label,
						Selected: slices.Contains(chosen, c.Name)})
				}
			}
		}
		return in
	}
	parent := ""
	for _, f := range def.Fields {
		switch {
		case f.Repeat != "" && f.Type != form.TypeRepeat:
			continue // asked in its repeat's table
		case f.Type == form.TypeGroup:
			flush()
			cur.Heading, parent = text(f.Label), f.Path
		case f.Type == form.TypeNote:
			flush()
			cur.Note = text(f.Label)
			flush()
		case f.Type == form.TypeRepeat && f.Repeat == "":
			flush()
			cur = Section{Heading: text(f.Label), Note: text(f.Hint), Repeat: true}
			cols := Columns(def, f.Name)
			for _, c := range cols {
				label := text(c.Label)
				if label == "" {
					label = c.Name
				}
				cur.Columns = append(cur.Columns, label)
			}
			for n := 1; n <= repeatRowsShown(def, f, val); n++ {
				var row []Question
				for _, c := range cols {
					row = append(row, input(c, fmt.Sprintf("%s.%d.%s", f.Name, n, c.Name)))
				}
				cur.Rows = append(cur.Rows, row)
			}
			flush()
		case answerable(f):
			if f.Parent != parent {
				flush()
				parent = f.Parent
			}
			cur.Inputs = append(cur.Inputs, input(f, f.Name))
		}
	}
	flush()
	return out
}
