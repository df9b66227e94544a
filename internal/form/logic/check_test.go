package logic

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/form"
)

func loadDef(t *testing.T, file string) *form.Definition {
	t.Helper()
	var def form.Definition
	readJSON(t, "../testdata/"+file+".json", &def)
	return &def
}

func answersOf(t *testing.T, s string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func problemsText(ps []Problem) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("%s %s: %s", p.Kind, p.Path, p.Message)
	}
	return strings.Join(out, "\n")
}

var march14 = Options{Now: func() time.Time { return time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC) }}

func TestCheck(t *testing.T) {
	logic := loadDef(t, "conformance/logic")
	filters := loadDef(t, "conformance/filters")
	repeats := loadDef(t, "conformance/repeats")
	tests := []struct {
		name    string
		def     *form.Definition
		answers string
		want    []string // kind path, in order
	}{
		{"complete", logic, `{"a": 4, "q": "no", "ack": "OK"}`, nil},
		{"required blank", logic, `{"q": "yes"}`, []string{"required a", "required why", "required inner", "required ack"}},
		{"constraint", logic, `{"a": -2, "q": "no", "ack": "OK", "d": 101.5, "code": "abc"}`,
			[]string{"constraint a", "constraint d", "constraint code"}},
		{"constraint reads another answer", logic, `{"a": 4, "q": "yes", "why": "x", "inner": 9, "ack": "OK"}`, []string{"constraint inner"}},
		{"group that does not apply", logic, `{"a": 4, "q": "no", "inner": 2, "inner_text": "x", "why": "w", "ack": "OK"}`,
			[]string{"not_relevant why", "not_relevant inner", "not_relevant inner_text"}},
		{"relevance through a multiple choice", logic, `{"a": 0, "q": "no", "ack": "OK", "colours": "red", "red_why": "x"}`,
			[]string{"not_relevant red_why"}},
		{"select_multiple constraint", logic, `{"a": 1, "q": "no", "ack": "OK", "colours": "red none"}`, []string{"constraint colours"}},
		{"choice filter", filters, `{"country": "jam", "city": "pos", "cities": "kingston sando"}`,
			[]string{"not_offered city", "not_offered cities"}},
		{"choice filter by number", filters, `{"country": "tto", "city": "pos", "staff": 5, "size": "medium"}`, []string{"not_offered size"}},
		{"choice filter offered", filters, `{"country": "tto", "city": "pos", "staff": 60, "size": "medium", "capital_note": "x"}`, nil},
		{"repeats", repeats, `{"members": [{"member_name": "Ana", "age": 140}, {"age": 30}]}`,
			[]string{"constraint members.1.age", "required members.2.member_name"}},
		{"no occurrences", repeats, `{"members": []}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := FromAnswers(tt.def, answersOf(t, tt.answers), march14)
			ps := in.Check(CheckOptions{})
			var got []string
			for _, p := range ps {
				got = append(got, string(p.Kind)+" "+p.Path)
			}
			if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
				t.Errorf("problems:\n%s\nwant %v", problemsText(ps), tt.want)
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	logic := loadDef(t, "conformance/logic")
	in := FromAnswers(logic, answersOf(t, `{"a": 4, "q": "no", "ack": "OK", "inner": 9, "d": 101.5}`), march14)
	got := problemsText(in.Check(CheckOptions{}))
	for _, want := range []string{
		`not_relevant inner: This question does not apply to these answers (it is asked only when ${q} = 'yes'): leave it blank.`,
		`constraint d: "101.5" does not meet the form's rule . >= 0 and . <= 100.`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("messages:\n%s\nwant %s", got, want)
		}
	}
	in = FromAnswers(logic, answersOf(t, `{"a": -1, "q": "no", "ack": "OK"}`), march14)
	if got := problemsText(in.Check(CheckOptions{})); got != "constraint a: Zero or more" {
		t.Errorf("constraint message: %s", got)
	}
}

func TestCheckAskedAndEarlier(t *testing.T) {
	def := &form.Definition{FormID: "f", DefaultLanguage: "default", Languages: []string{"default"}, Fields: []form.Field{
		{Name: "visit", Type: form.TypeDate, Path: "/f/visit", Constraint: ". <= today()", Required: true},
		{Name: "photo", Type: form.TypeImage, Path: "/f/photo", Required: true},
		{Name: "soon", Type: form.TypeText, Path: "/f/soon", Relevant: "${visit} > today()", Required: true},
	}}
	in := FromAnswers(def, map[string]any{"visit": "2026-03-20", "soon": "x"}, march14)
	if got := problemsText(in.Check(CheckOptions{})); got != "constraint visit: \"2026-03-20\" does not meet the form's rule . <= today().\nrequired photo: Answer this question." {
		t.Errorf("now:\n%s", got)
	}
	in = FromAnswers(def, map[string]any{"visit": "2026-03-10", "soon": "x"}, march14)
	noPhotos := CheckOptions{Asked: func(f form.Field) bool { return f.Type != form.TypeImage }}
	if got := problemsText(in.Check(noPhotos)); got != "not_relevant soon: This question does not apply to these answers (it is asked only when ${visit} > today()): leave it blank." {
		t.Errorf("not asked:\n%s", got)
	}
	noPhotos.Earlier = true
	if got := in.Check(noPhotos); len(got) != 0 {
		t.Errorf("answers given earlier are not checked against today(): %s", problemsText(got))
	}
}

func TestFillCalculations(t *testing.T) {
	logic := loadDef(t, "conformance/logic")
	answers := answersOf(t, `{"a": 7, "b": 3, "q": "no", "ack": "OK", "d": 10, "size": "given"}`)
	FromAnswers(logic, answers, march14).FillCalculations(answers)
	for name, want := range map[string]string{"total": "10", "size": "given", "third": "3.33", "whole": "10", "rest": "3", "coal": "none"} {
		if got := fmt.Sprint(answers[name]); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if _, ok := answers["why_len"]; !ok {
		t.Error("why_len: concat of a blank answer is '-0', still a value")
	}
	repeats := loadDef(t, "conformance/repeats")
	answers = answersOf(t, `{"members": [{"member_name": "Ana", "age": 40}, {"member_name": "Ben", "age": 12}]}`)
	FromAnswers(repeats, answers, march14).FillCalculations(answers)
	rows := answers["members"].([]any)
	if p := rows[1].(map[string]any)["pos"]; p != "2" {
		t.Errorf("position in the second occurrence = %v", p)
	}
}
