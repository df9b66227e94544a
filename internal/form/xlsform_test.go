package form

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// book writes a workbook from sheets of rows; a cell starting with "=" is
// written as a formula.
func book(t testing.TB, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for _, name := range []string{"survey", "choices", "settings", "Survey", "other"} {
		rows, ok := sheets[name]
		if !ok {
			continue
		}
		if first {
			f.SetSheetName("Sheet1", name)
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if strings.HasPrefix(v, "=") {
					f.SetCellFormula(name, ref, v[1:])
				} else if v != "" {
					f.SetCellStr(name, ref, v)
				}
			}
		}
	}
	if first {
		f.SetSheetName("Sheet1", "notes")
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	okSettings = [][]string{{"form_id", "form_title", "version"}, {"pulse", "Pulse survey", "1"}}
	okChoices  = [][]string{{"list_name", "name", "label"}, {"yes_no", "yes", "Yes"}, {"yes_no", "no", "No"}}
)

func TestParseSmallForm(t *testing.T) {
	b := book(t, map[string][][]string{
		"survey": {
			{"type", "name", "label::English (en)", "label::Español (es)", "hint::English (en)", "required", "relevant", "constraint", "constraint_message::English (en)", "calculation", "default", "appearance", "choice_filter"},
			{"text", "firm", "Firm", "Empresa", "Its legal name", "yes"},
			{"integer", "staff", "Staff", "Personal", "", "yes", "", ". >= 0", "Zero or more", "", "0"},
			{"select_one yes_no", "exports", "Exports?", "¿Exporta?", "", "", "${staff} > 0", "", "", "", "", "minimal"},
			{"begin group", "money", "Money", "Dinero", "", "", "${exports} = 'yes'", "", "", "", "", "field-list"},
			{"decimal", "sales", "Sales of ${firm}", "Ventas de ${firm}"},
			{"end group"},
			{"begin repeat", "roster", "Partners", "Socios"},
			{"text", "partner", "Partner", "Socio"},
			{"select_one city", "city", "City", "Ciudad", "", "", "", "", "", "", "", "", "country=${exports}"},
			{"end repeat"},
			{"calculate", "double", "", "", "", "", "", "", "", "${staff} * 2"},
			{"note", "thanks", "Thanks ${firm}", "Gracias"},
			{"date", "when", "When", "Cuándo"},
			{"datetime", "at", "At", "A las"},
			{"acknowledge", "ok", "OK", "Vale"},
			{"geopoint", "where", "Where", "Dónde"},
			{"image", "photo", "Photo", "Foto"},
			{"file", "doc", "Document", "Documento"},
			{"select_multiple yes_no", "both", "Both", "Ambos"},
		},
		"choices": {
			{"list_name", "name", "label::English (en)", "label::Español (es)", "country"},
			{"yes_no", "yes", "Yes", "Sí"}, {"yes_no", "no", "No", "No"},
			{"city", "kgn", "Kingston", "Kingston", "yes"}, {"city", "pos", "Port of Spain", "Puerto España", "no"},
		},
		"settings": {{"form_id", "form_title", "version", "default_language"}, {"pulse", "Pulse", "2026.1", "English (en)"}},
	})
	def, err := ParseXLSForm(b, "pulse.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if def.FormID != "pulse" || def.Version != "2026.1" || def.DefaultLanguage != "English (en)" {
		t.Errorf("settings = %q %q %q", def.FormID, def.Version, def.DefaultLanguage)
	}
	if !reflect.DeepEqual(def.Languages, []string{"English (en)", "Español (es)"}) {
		t.Errorf("languages = %v", def.Languages)
	}
	city, _ := def.Field("city")
	if city.Path != "/pulse/roster/city" || city.Parent != "/pulse/roster" || city.Repeat != "/pulse/roster" || city.ChoiceList != "city" {
		t.Errorf("city = %+v", city)
	}
	sales, _ := def.Field("sales")
	if sales.Path != "/pulse/money/sales" || sales.Repeat != "" || sales.Label["Español (es)"] != "Ventas de ${firm}" {
		t.Errorf("sales = %+v", sales)
	}
	staff, _ := def.Field("staff")
	if !staff.Required || staff.Default != "0" || staff.ConstraintMessage["English (en)"] != "Zero or more" {
		t.Errorf("staff = %+v", staff)
	}
	if got := len(def.Fields); got != 17 {
		t.Errorf("%d fields, want 17", got)
	}
	if n := len(def.NumericFields()); n != 2 {
		t.Errorf("%d numeric fields, want 2", n)
	}
	l, _ := def.ChoiceList("city")
	if l.Choices[0].Extra["country"] != "yes" {
		t.Errorf("extra = %v", l.Choices[0].Extra)
	}
	x, sum, err := GenerateXForm(def)
	if err != nil {
		t.Fatal(err)
	}
	checkXForm(t, x, def)
	if len(sum) != 32 {
		t.Errorf("md5 = %q", sum)
	}
	for _, want := range []string{
		`<pulse id="pulse" version="2026.1">`,
		`<bind nodeset="/pulse/money" relevant="/pulse/exports = &#39;yes&#39;"/>`,
		`<value>Ventas de <output value="/pulse/firm"/></value>`,
		`<itemset nodeset="instance(&#39;city&#39;)/root/item[country=/pulse/exports]">`,
		`<roster jr:template="">`,
		`<bind nodeset="/pulse/double" type="string" calculate="/pulse/staff * 2"/>`,
		`<upload ref="/pulse/photo" mediatype="image/*">`,
		`<trigger ref="/pulse/ok">`,
		`<staff>0</staff>`,
		`jr:preload="uid"`,
	} {
		w := strings.ReplaceAll(want, "&#39;", "'")
		if !strings.Contains(string(x), w) {
			t.Errorf("XForm lacks %s", w)
		}
	}
}

// TestParseRefusals checks that each kind of bad workbook is refused with
// a message that says where: sheet, row and column.
func TestParseRefusals(t *testing.T) {
	survey := func(rows ...[]string) map[string][][]string {
		return map[string][][]string{"survey": append([][]string{{"type", "name", "label", "relevant", "constraint", "calculation", "choice_filter", "required"}}, rows...),
			"choices": okChoices, "settings": okSettings}
	}
	cases := []struct {
		name   string
		sheets map[string][][]string
		sheet  string
		row    int
		column string
		msg    string
	}{
		{"no survey", map[string][][]string{"choices": okChoices}, "survey", 0, "", "no sheet named survey"},
		{"unknown type", survey([]string{"txt", "a", "A"}), "survey", 2, "A", `"txt" is not supported`},
		{"select without list", survey([]string{"select_one", "a", "A"}), "survey", 2, "A", "must name one choice list"},
		{"unknown list", survey([]string{"select_one colours", "a", "A"}), "survey", 2, "A", `"colours" is not in the choices sheet`},
		{"duplicate name", survey([]string{"text", "a", "A"}, []string{"integer", "a", "B"}), "survey", 3, "B", `already named "a" (row 2)`},
		{"bad name", survey([]string{"text", "1a", "A"}), "survey", 2, "B", "not valid"},
		{"no label", survey([]string{"text", "a"}), "survey", 2, "C", "has no label"},
		{"unknown ref in relevant", survey([]string{"text", "a", "A", "${b} = 1"}), "survey", 2, "D", "refers to ${b}"},
		{"unknown ref in constraint", survey([]string{"integer", "a", "A", "", ". < ${max}"}), "survey", 2, "E", "refers to ${max}"},
		{"unknown ref in calculation", survey([]string{"calculate", "a", "", "", "", "${zz} + 1"}), "survey", 2, "F", "refers to ${zz}"},
		{"unknown ref in choice_filter", survey([]string{"select_one yes_no", "a", "A", "", "", "", "x=${nope}"}), "survey", 2, "G", "refers to ${nope}"},
		{"unknown ref in label", survey([]string{"note", "a", "Hello ${who}"}), "survey", 2, "C", "refers to ${who}"},
		{"unclosed ref", survey([]string{"text", "a", "A", "${a = 1"}), "survey", 2, "D", "not closed"},
		{"cyclic calculation", survey([]string{"calculate", "a", "", "", "", "${b} + 1"}, []string{"calculate", "b", "", "", "", "${a} * 2"}), "survey", 2, "F", "a → b → a"},
		{"self calculation", survey([]string{"calculate", "a", "", "", "", "${a} + 1"}), "survey", 2, "F", "a → a"},
		{"unclosed group", survey([]string{"begin group", "g", "G"}, []string{"text", "a", "A"}), "survey", 2, "A", "never closed"},
		{"mismatched end", survey([]string{"begin repeat", "r", "R"}, []string{"text", "a", "A"}, []string{"end group"}), "survey", 4, "A", `would close the repeat "r"`},
		{"end without begin", survey([]string{"text", "a", "A"}, []string{"end repeat"}), "survey", 3, "A", "closes nothing"},
		{"formula", survey([]string{"text", "a", "=CONCAT(\"A\",\"B\")"}), "survey", 2, "C", "formula"},
		{"required word", survey([]string{"text", "a", "A", "", "", "", "", "maybe"}), "survey", 2, "H", `required is "maybe"`},
		{"unknown column", map[string][][]string{"survey": {{"type", "name", "label", "media::image"}, {"text", "a", "A"}}, "settings": okSettings}, "survey", 1, "D", "not supported"},
		{"calculate without calculation", survey([]string{"calculate", "a"}), "survey", 2, "F", "has no calculation"},
		{"empty list", map[string][][]string{"survey": {{"type", "name", "label"}, {"select_one empty", "a", "A"}},
			"choices": {{"list_name", "name", "label"}, {"other", "x", "X"}}, "settings": okSettings}, "survey", 2, "A", `"empty" is not in the choices sheet`},
		{"duplicate choice", map[string][][]string{"survey": {{"type", "name", "label"}, {"select_one yes_no", "a", "A"}},
			"choices": {{"list_name", "name", "label"}, {"yes_no", "yes", "Yes"}, {"yes_no", "yes", "Yes again"}}, "settings": okSettings}, "choices", 3, "B", `already has a choice named "yes" (row 2)`},
		{"choice with space", map[string][][]string{"survey": {{"type", "name", "label"}, {"select_one l", "a", "A"}},
			"choices": {{"list_name", "name", "label"}, {"l", "a b", "AB"}}, "settings": okSettings}, "choices", 2, "B", "holds a space"},
		{"bad form_id", map[string][][]string{"survey": {{"type", "name", "label"}, {"text", "a", "A"}},
			"settings": {{"form_id", "version"}, {"2 bad", "1"}}}, "settings", 2, "A", "form_id"},
		{"bad version", map[string][][]string{"survey": {{"type", "name", "label"}, {"text", "a", "A"}},
			"settings": {{"form_id", "version"}, {"ok", "1 2"}}}, "settings", 2, "B", "version"},
		{"unknown setting", map[string][][]string{"survey": {{"type", "name", "label"}, {"text", "a", "A"}},
			"settings": {{"form_id", "style"}, {"ok", "pages"}}}, "settings", 1, "B", "not supported"},
		{"cell without heading", map[string][][]string{"survey": {{"type", "name", "label"}, {"text", "a", "A", "stray"}}, "settings": okSettings}, "survey", 2, "D", "no heading"},
		{"too long cell", survey([]string{"text", "a", strings.Repeat("x", maxCellChars+1)}), "survey", 2, "C", "characters"},
		{"meta reserved", survey([]string{"text", "meta", "A"}), "survey", 2, "B", "reserved"},
		{"dynamic default", map[string][][]string{"survey": {{"type", "name", "label", "default"}, {"integer", "a", "A"}, {"integer", "b", "B", "${a}"}}, "settings": okSettings}, "survey", 3, "D", "fixed value"},
		{"choice filter on text", survey([]string{"text", "a", "A", "", "", "", "x=1"}), "survey", 2, "G", "Only select_one"},
		{"expression that does not read", survey([]string{"integer", "a", "A", "", ". >= 0 and"}), "survey", 2, "E", "does not read at character 11: the expression ends too early"},
		{"unsupported function", survey([]string{"calculate", "a", "", "", "", "format-date(today(), '%Y')"}), "survey", 2, "F", "format-date() is not a supported function"},
		{"path instead of reference", survey([]string{"text", "a", "A", "/data/b = 1"}), "survey", 2, "D", "name a field as ${name}"},
		{"wrong number of arguments", survey([]string{"text", "a", "A", "if(1, 2)"}), "survey", 2, "D", "if() needs 3 arguments"},
		{"field without ${}", survey([]string{"integer", "b", "B"}, []string{"text", "a", "A", "b > 1"}), "survey", 3, "D", "write ${b}"},
		{"true without brackets", survey([]string{"text", "a", "A", "true"}), "survey", 2, "D", "write true()"},
		{"unknown filter column", survey([]string{"select_one yes_no", "a", "A", "", "", "", "region = 'x'"}), "survey", 2, "G", "has none"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseXLSForm(book(t, tc.sheets), "test.xlsx")
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("error = %v, want a ParseError", err)
			}
			for _, i := range pe.Issues {
				if i.Sheet == tc.sheet && i.Row == tc.row && i.Column == tc.column && strings.Contains(i.Message, tc.msg) {
					return
				}
			}
			t.Errorf("want %s row %d column %q: …%s…; got %v", tc.sheet, tc.row, tc.column, tc.msg, pe.Issues)
		})
	}
}

func TestParseLimitsAndGarbage(t *testing.T) {
	if _, err := ParseXLSForm([]byte("not a workbook"), "x.xlsx"); err == nil || !strings.Contains(err.Error(), "could not be read") {
		t.Errorf("garbage: %v", err)
	}
	if _, err := ParseXLSForm(make([]byte, MaxWorkbookBytes+1), "x.xlsx"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("too large: %v", err)
	}
	rows := [][]string{{"type", "name", "label"}}
	for i := 0; i <= maxSurveyRows; i++ {
		rows = append(rows, []string{"text", "f" + strings.Repeat("x", i%3) + string(rune('a'+i%26)), "L"})
	}
	_, err := ParseXLSForm(book(t, map[string][][]string{"survey": rows, "settings": okSettings}), "")
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("too many rows: %v", err)
	}
}

func TestFormIDFromFileName(t *testing.T) {
	b := book(t, map[string][][]string{"survey": {{"type", "name", "label"}, {"text", "a", "A"}}})
	def, err := ParseXLSForm(b, "2025 firm survey.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if def.FormID != "_2025_firm_survey" || def.Version == "" || def.DefaultLanguage != DefaultLanguageName {
		t.Errorf("def = %q %q %q", def.FormID, def.Version, def.DefaultLanguage)
	}
}

func TestParseRefs(t *testing.T) {
	refs, err := ParseRefs("${a} + ${b_2} > ${a}")
	if err != nil || len(refs) != 3 || refs[1].Name != "b_2" || refs[1].Start != 7 {
		t.Errorf("refs = %v, %v", refs, err)
	}
	for _, bad := range []string{"${", "${}", "${1a}", "${a b}", "x ${a"} {
		if _, err := ParseRefs(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	got, _ := RewriteRefs("${a} = 'x'", func(n string) string { return "/f/" + n })
	if got != "/f/a = 'x'" {
		t.Errorf("rewrite = %q", got)
	}
}
