package form

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteXLSForm writes a definition as an XLSForm workbook (survey, choices
// and settings sheets) that ParseXLSForm reads back to the same definition.
func WriteXLSForm(def *Definition) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSurvey); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(SheetChoices); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(SheetSettings); err != nil {
		return nil, err
	}
	textHeading := func(col, lang string) string {
		if lang == DefaultLanguageName {
			return col
		}
		return col + "::" + lang
	}
	// Only the columns the form uses, in the usual order.
	used := func(get func(Field) string) bool {
		for _, fl := range def.Fields {
			if get(fl) != "" {
				return true
			}
		}
		return false
	}
	usedText := func(get func(Field) Text) bool {
		for _, fl := range def.Fields {
			if len(get(fl)) > 0 {
				return true
			}
		}
		return false
	}
	type column struct {
		heading string
		get     func(Field) string
	}
	cols := []column{
		{"type", func(fl Field) string {
			if fl.Type.IsContainer() {
				return "begin " + string(fl.Type)
			}
			if fl.Type.IsSelect() {
				return string(fl.Type) + " " + fl.ChoiceList
			}
			return string(fl.Type)
		}},
		{"name", func(fl Field) string { return fl.Name }},
	}
	for _, tc := range []struct {
		col string
		get func(Field) Text
	}{{"label", func(fl Field) Text { return fl.Label }}, {"hint", func(fl Field) Text { return fl.Hint }}} {
		if !usedText(tc.get) {
			continue
		}
		for _, lang := range def.Languages {
			get, lang := tc.get, lang
			cols = append(cols, column{textHeading(tc.col, lang), func(fl Field) string { return get(fl)[lang] }})
		}
	}
	plain := []column{
		{"required", func(fl Field) string {
			if fl.Required {
				return "yes"
			}
			return ""
		}},
		{"relevant", func(fl Field) string { return fl.Relevant }},
		{"constraint", func(fl Field) string { return fl.Constraint }},
	}
	for _, c := range plain {
		if used(c.get) {
			cols = append(cols, c)
		}
	}
	if usedText(func(fl Field) Text { return fl.ConstraintMessage }) {
		for _, lang := range def.Languages {
			lang := lang
			cols = append(cols, column{textHeading("constraint_message", lang), func(fl Field) string { return fl.ConstraintMessage[lang] }})
		}
	}
	for _, c := range []column{
		{"calculation", func(fl Field) string { return fl.Calculation }},
		{"default", func(fl Field) string { return fl.Default }},
		{"appearance", func(fl Field) string { return fl.Appearance }},
		{"choice_filter", func(fl Field) string { return fl.ChoiceFilter }},
	} {
		if used(c.get) {
			cols = append(cols, c)
		}
	}
	var rows [][]string
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.heading
	}
	rows = append(rows, head)
	var open []Field
	closeTo := func(parent string) {
		for len(open) > 0 && open[len(open)-1].Path != parent {
			top := open[len(open)-1]
			open = open[:len(open)-1]
			row := make([]string, len(cols))
			row[0] = "end " + string(top.Type)
			rows = append(rows, row)
		}
	}
	for _, fl := range def.Fields {
		closeTo(fl.Parent)
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.get(fl)
		}
		rows = append(rows, row)
		if fl.Type.IsContainer() {
			open = append(open, fl)
		}
	}
	closeTo("")
	if err := writeRows(f, SheetSurvey, rows); err != nil {
		return nil, err
	}

	chead := []string{"list_name", "name"}
	for _, lang := range def.Languages {
		chead = append(chead, textHeading("label", lang))
	}
	chead = append(chead, def.ExtraColumns...)
	crows := [][]string{chead}
	for _, l := range def.ChoiceLists {
		for _, c := range l.Choices {
			row := []string{l.Name, c.Name}
			for _, lang := range def.Languages {
				row = append(row, c.Label[lang])
			}
			for _, col := range def.ExtraColumns {
				row = append(row, c.Extra[col])
			}
			crows = append(crows, row)
		}
	}
	if err := writeRows(f, SheetChoices, crows); err != nil {
		return nil, err
	}
	settings := [][]string{{"form_id", "form_title", "version"}, {def.FormID, def.Title, def.Version}}
	if def.DefaultLanguage != DefaultLanguageName {
		settings[0] = append(settings[0], "default_language")
		settings[1] = append(settings[1], def.DefaultLanguage)
	}
	if err := writeRows(f, SheetSettings, settings); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeRows writes text rows from A1, every cell as a string so that Excel
// keeps values such as "2026.1" as typed.
func writeRows(f *excelize.File, sheet string, rows [][]string) error {
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			ref, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(sheet, ref, v); err != nil {
				return fmt.Errorf("%s %s: %w", sheet, ref, err)
			}
		}
	}
	if len(rows) > 0 {
		width := len(rows[0])
		last, _ := excelize.ColumnNumberToName(max(width, 1))
		_ = f.SetColWidth(sheet, "A", last, 18)
		if strings.EqualFold(sheet, SheetSurvey) {
			_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		}
	}
	return nil
}
