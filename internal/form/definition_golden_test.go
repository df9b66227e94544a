package form

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
)

// conformanceForms are small XLSForms that exercise what the respondent
// page's engine must do like ODK's: relevance, constraints, required,
// calculations, choice filters and repeats. Their XForms and definitions
// are golden files the front end's conformance test reads
// (frontend/conformance/run.mjs).
var conformanceForms = map[string]map[string][][]string{
	"logic": {
		"survey": {
			{"type", "name", "label", "required", "relevant", "constraint", "constraint_message", "calculation", "default"},
			{"integer", "a", "A", "yes", "", ". >= 0", "Zero or more", "", ""},
			{"integer", "b", "B", "", "", ". < 1000", "", "", "3"},
			{"calculate", "total", "", "", "", "", "", "${a} + ${b}", ""},
			{"note", "big_note", "Big: ${total}", "", "${total} > 10", "", "", "", ""},
			{"select_one yes_no", "q", "Q", "yes", "", "", "", "", ""},
			{"text", "why", "Why", "yes", "selected(${q}, 'yes')", "", "", "", ""},
			{"begin group", "g", "G", "", "${q} = 'yes'", "", "", "", ""},
			{"integer", "inner", "Inner", "yes", "", ". < ${a}", "Less than A", "", ""},
			{"text", "inner_text", "Inner text", "", "${inner} != ''", "", "", "", ""},
			{"end group", "", "", "", "", "", "", "", ""},
			{"calculate", "size", "", "", "", "", "", "if(${a} > 5, 'big', 'small')", ""},
			{"calculate", "why_len", "", "", "", "", "", "concat(${why}, '-', string-length(${why}))", ""},
			{"decimal", "d", "D", "", "", ". >= 0 and . <= 100", "", "", ""},
			{"calculate", "third", "", "", "", "", "", "round(${d} div 3, 2)", ""},
			{"calculate", "whole", "", "", "", "", "", "int(${d})", ""},
			{"calculate", "rest", "", "", "", "", "", "${a} mod 4", ""},
			{"calculate", "coal", "", "", "", "", "", "coalesce(${why}, 'none')", ""},
			{"text", "code", "Code", "", "", "regex(., '^[A-Z]{3}$')", "Three capitals", "", ""},
			{"calculate", "code_start", "", "", "", "", "", "substr(${code}, 0, 2)", ""},
			{"calculate", "code_checks", "", "", "", "", "", "concat(contains(${code}, 'B'), starts-with(${code}, 'A'))", ""},
			{"text", "flag", "Flag", "", "", "", "", "", ""},
			{"calculate", "flag_bool", "", "", "", "", "", "if(boolean-from-string(${flag}), 'on', 'off')", ""},
			{"select_multiple colours", "colours", "Colours", "", "", "not(selected(., 'none') and count-selected(.) > 1)", "None alone", "", ""},
			{"calculate", "first_colour", "", "", "", "", "", "selected-at(${colours}, 0)", ""},
			{"calculate", "n_colours", "", "", "", "", "", "count-selected(${colours})", ""},
			{"text", "red_why", "Why red", "", "selected(${colours}, 'red') and not(${a} = 0)", "", "", "", ""},
			{"acknowledge", "ack", "I agree", "yes", "", "", "", "", ""},
			{"integer", "neg", "Negative", "", "", ". < 0 or . > 10", "", "", ""},
			{"calculate", "cmp_blank", "", "", "", "", "", "if(${neg} = '', 'blank', if(${neg} < 5, 'low', 'high'))", ""},
		},
		"choices": {
			{"list_name", "name", "label"},
			{"yes_no", "yes", "Yes"}, {"yes_no", "no", "No"},
			{"colours", "red", "Red"}, {"colours", "green", "Green"}, {"colours", "none", "None"},
		},
		"settings": {{"form_id", "form_title", "version"}, {"logic", "Logic", "1"}},
	},
	"filters": {
		"survey": {
			{"type", "name", "label", "required", "relevant", "choice_filter", "calculation"},
			{"select_one country", "country", "Country", "yes", "", "", ""},
			{"select_one city", "city", "City", "", "", "country = ${country}", ""},
			{"select_multiple city", "cities", "Cities", "", "", "country = ${country} or ${country} = ''", ""},
			{"select_one size", "size", "Size", "", "", "min_staff <= ${staff}", ""},
			{"integer", "staff", "Staff", "", "", "", ""},
			{"calculate", "city_name", "", "", "", "", "jr:choice-name(${city}, '${city}')"},
			{"text", "capital_note", "Capital", "", "${city} = 'kingston' or ${city} = 'pos'", "", ""},
		},
		"choices": {
			{"list_name", "name", "label", "country", "min_staff"},
			{"country", "jam", "Jamaica", "", ""}, {"country", "tto", "Trinidad and Tobago", "", ""},
			{"city", "kingston", "Kingston", "jam", ""}, {"city", "mobay", "Montego Bay", "jam", ""},
			{"city", "pos", "Port of Spain", "tto", ""}, {"city", "sando", "San Fernando", "tto", ""},
			{"size", "micro", "Micro", "", "0"}, {"size", "small", "Small", "", "10"}, {"size", "medium", "Medium", "", "50"},
		},
		"settings": {{"form_id", "form_title", "version"}, {"filters", "Filters", "1"}},
	},
	"dates": {
		"survey": {
			{"type", "name", "label", "required", "relevant", "constraint", "calculation"},
			{"date", "visit", "Visit", "yes", "", ". <= today()", ""},
			{"date", "follow_up", "Follow-up", "", "", ". > ${visit}", ""},
			{"text", "recent", "Recent", "", "${visit} >= '2026-01-01'", "", ""},
			{"calculate", "days", "", "", "", "", "${follow_up} - ${visit}"},
			{"calculate", "same_day", "", "", "", "", "if(${visit} = today(), 'yes', 'no')"},
			{"datetime", "seen", "Seen", "", "", ". < now()", ""},
			{"decimal", "amount", "Amount", "", "", "", ""},
			{"calculate", "rounded", "", "", "", "", "round(${amount})"},
			{"calculate", "rounded_2", "", "", "", "", "round(${amount}, 1)"},
		},
		"settings": {{"form_id", "form_title", "version"}, {"dates", "Dates", "1"}},
	},
	"functions": {
		"survey": {
			{"type", "name", "label", "choice_filter", "calculation"},
			{"text", "s", "S", "", ""},
			{"integer", "n", "N", "", ""},
			{"decimal", "x", "X", "", ""},
			{"select_multiple colours", "c", "Colours", "", ""},
			{"calculate", "norm", "", "", "normalize-space(${s})"},
			{"calculate", "ends", "", "", "ends-with(${s}, 'z')"},
			{"calculate", "pw", "", "", "pow(${n}, 2)"},
			{"calculate", "fl", "", "", "floor(${x})"},
			{"calculate", "ce", "", "", "ceiling(${x})"},
			{"calculate", "ab", "", "", "abs(${x})"},
			{"calculate", "mx", "", "", "max(${n}, ${x})"},
			{"calculate", "mn", "", "", "min(${n}, ${x})"},
			{"calculate", "bo", "", "", "boolean(${s})"},
			{"calculate", "nu", "", "", "number(${s})"},
			{"calculate", "st", "", "", "string(${n})"},
			{"calculate", "no", "", "", "not(${n} > 3)"},
			{"calculate", "cn", "", "", "jr:choice-name(selected-at(${c}, 0), '${c}')"},
			{"calculate", "sl", "", "", "string-length(${s})"},
			{"calculate", "sub1", "", "", "substr(${s}, 1)"},
			{"calculate", "sub2", "", "", "substr(${s}, 2, 4)"},
			{"calculate", "int_x", "", "", "int(${x})"},
			{"calculate", "mod_x", "", "", "${x} mod 2"},
			{"calculate", "div0", "", "", "${n} div 0"},
			{"calculate", "coal", "", "", "coalesce(${n}, ${x})"},
			{"calculate", "cat", "", "", "concat(${n}, '/', ${x})"},
			{"calculate", "plus", "", "", "${x} + 0.2"},
			{"calculate", "big", "", "", "${n} * 1000000000"},
			{"calculate", "lt", "", "", "${s} < ${n}"},
			{"calculate", "eq", "", "", "if(${s} = ${n}, 'eq', 'ne')"},
			{"calculate", "neg", "", "", "-${x}"},
			{"calculate", "today_s", "", "", "today()"},
			{"calculate", "now_len", "", "", "string-length(now())"},
			{"calculate", "cnt", "", "", "count-selected(${c})"},
			{"calculate", "sel", "", "", "selected(${c}, 'red')"},
			{"calculate", "r2", "", "", "round(${x}, 1)"},
			{"calculate", "rx", "", "", "round(${x})"},
			{"calculate", "bfs", "", "", "boolean-from-string(${s})"},
			{"calculate", "reg", "", "", "regex(${s}, '^[0-9]+$')"},
			{"calculate", "cont", "", "", "contains(${s}, 'o w')"},
			{"calculate", "sw", "", "", "starts-with(${s}, ' ')"},
			{"calculate", "eqs", "", "", "${s} = ''"},
			{"calculate", "num_bool", "", "", "number(${n} > 1)"},
			{"calculate", "sum_one", "", "", "sum(${n})"},
			{"calculate", "cnt_one", "", "", "count(${x})"},
		},
		"choices": {
			{"list_name", "name", "label"},
			{"colours", "red", "Red"}, {"colours", "green", "Green"}, {"colours", "blue", "Blue"},
		},
		"settings": {{"form_id", "form_title", "version"}, {"functions", "Functions", "1"}},
	},
	"repeats": {
		"survey": {
			{"type", "name", "label", "required", "relevant", "constraint", "calculation"},
			{"integer", "limit", "Limit", "", "", "", ""},
			{"begin repeat", "members", "Members", "", "", "", ""},
			{"text", "member_name", "Name", "yes", "", "", ""},
			{"integer", "age", "Age", "", "", ". >= 0 and . < 130", ""},
			{"calculate", "pos", "", "", "", "", "position(..)"},
			{"calculate", "household_size", "", "", "", "", "count(${members})"},
			{"text", "senior_note", "Senior", "", "${age} > 60", "", ""},
			{"calculate", "age_next", "", "", "", "", "${age} + 1"},
			{"integer", "under_limit", "Under limit", "", "", ". <= ${limit}", ""},
			{"begin repeat", "kids", "Children", "", "${age} >= 18", "", ""},
			{"integer", "kid_age", "Child's age", "yes", "", ". < ${age}", ""},
			{"calculate", "kid_pos", "", "", "", "", "position(..)"},
			{"calculate", "kid_of", "", "", "", "", "count(${kids})"},
			{"end repeat", "", "", "", "", "", ""},
			{"calculate", "kid_count", "", "", "", "", "count(${kids})"},
			{"calculate", "kid_total", "", "", "", "", "sum(${kid_age})"},
			{"end repeat", "", "", "", "", "", ""},
			{"calculate", "n_members", "", "", "", "", "count(${members})"},
			{"calculate", "total_age", "", "", "", "", "sum(${age})"},
			{"calculate", "n_seniors", "", "", "", "", "count(${senior_note})"},
			{"text", "many_note", "Many", "", "${n_members} > 2", "", ""},
		},
		"settings": {{"form_id", "form_title", "version"}, {"repeats", "Repeats", "1"}},
	},
}

// TestDefinitionGoldens writes (with -update) or checks the Definition JSON
// of the standard forms next to their golden XForms, and the XForm and
// Definition JSON of the conformance forms, both made from one workbook.
func TestDefinitionGoldens(t *testing.T) {
	for _, tpl := range Standard {
		t.Run(tpl.Name, func(t *testing.T) {
			b, err := tpl.Workbook()
			if err != nil {
				t.Fatal(err)
			}
			def, err := ParseXLSForm(b, tpl.Name+".xlsx")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(def, tpl.Definition()) {
				t.Fatal("the workbook does not read back to the template's definition")
			}
			goldenJSON(t, filepath.Join("testdata", tpl.Name+".json"), def)
		})
	}
	for name, sheets := range conformanceForms {
		t.Run(name, func(t *testing.T) {
			def, err := ParseXLSForm(book(t, sheets), name+".xlsx")
			if err != nil {
				t.Fatal(err)
			}
			x, _, err := GenerateXForm(def)
			if err != nil {
				t.Fatal(err)
			}
			checkXForm(t, x, def)
			golden(t, filepath.Join("testdata", "conformance", name+".xml"), x)
			goldenJSON(t, filepath.Join("testdata", "conformance", name+".json"), def)
		})
	}
}

func goldenJSON(t *testing.T, path string, def *Definition) {
	t.Helper()
	b, err := json.MarshalIndent(def, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, path, append(b, '\n'))
}
