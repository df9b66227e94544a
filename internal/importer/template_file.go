package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
)

// templateRows is how many data rows the workbook's drop-downs cover.
const templateRows = MaxRows + 1

// TemplateCSV is the header row of a kind's file, in UTF-8 with a
// byte-order mark so that Excel opens it with accents intact.
func TemplateCSV(kind Kind) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	_ = w.Write(kind.ColumnNames())
	w.Flush()
	return b.Bytes()
}

// TemplateXLSX builds a kind's workbook: a data sheet named after the kind
// with the header row and drop-downs for the enumerated columns, an
// instructions sheet explaining every column in the reader's language, and
// a sheet listing the countries, areas and other allowed values.
func TemplateXLSX(ctx context.Context, q db.Querier, kind Kind, loc *i18n.Localizer) ([]byte, error) {
	rf, err := loadPlaceLists(ctx, q)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	data := string(kind)
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1}})
	if err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keeps ISIC 0111 and IDs as typed
	if err != nil {
		return nil, err
	}
	cols := kind.Columns()
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(data, cell, c.Name); err != nil {
			return nil, err
		}
		colName, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetColWidth(data, colName, colName, float64(max(14, len(c.Name)+4)))
		if c.Name == colISIC || c.Name == colJoined || c.Name == colLeft || c.Name == colPhone {
			_ = f.SetColStyle(data, colName, text)
		}
		if len(c.Enum) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s%d", colName, colName, templateRows))
			if err := dv.SetDropList(c.Enum); err != nil {
				return nil, err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Name, loc.T("import.template.choose_listed"))
			if err := f.AddDataValidation(data, dv); err != nil {
				return nil, err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	_ = f.SetCellStyle(data, "A1", last, bold)
	_ = f.SetPanes(data, &excelize.Panes{Freeze: true, Split: false, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})

	if err := writeInstructions(f, kind, loc, bold); err != nil {
		return nil, err
	}
	if err := writeLists(f, kind, loc, rf, bold); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeInstructions adds the sheet that explains each column.
func writeInstructions(f *excelize.File, kind Kind, loc *i18n.Localizer, head int) error {
	sheet := loc.T("import.template.instructions")
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	rows := [][]string{
		{loc.T("import.template.intro")},
		{},
		{loc.T("import.col.column"), loc.T("import.template.required"), loc.T("import.template.meaning"), loc.T("import.template.allowed")},
	}
	for _, c := range kind.Columns() {
		req := ""
		switch {
		case c.Required:
			req = loc.T("import.template.yes")
		case c.OneOf != "":
			req = loc.T("import.template.one_of")
		}
		rows = append(rows, []string{c.Name, req, loc.T(c.HelpKey(kind)), strings.Join(c.Enum, ", ")})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	_ = f.SetCellStyle(sheet, "A3", "D3", head)
	_ = f.SetColWidth(sheet, "A", "A", 24)
	_ = f.SetColWidth(sheet, "B", "B", 12)
	_ = f.SetColWidth(sheet, "C", "C", 90)
	_ = f.SetColWidth(sheet, "D", "D", 50)
	return nil
}

// placeLists are the countries and areas the lists sheet shows.
type placeLists struct {
	countries [][3]string // ISO3, ISO2, name
	areas     [][4]string // country ISO3, code, name, type
}

func loadPlaceLists(ctx context.Context, q db.Querier) (*placeLists, error) {
	p := &placeLists{}
	rows, err := q.QueryContext(ctx, `SELECT iso3, iso2, name FROM countries ORDER BY name`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c [3]string
		if err := rows.Scan(&c[0], &c[1], &c[2]); err != nil {
			rows.Close()
			return nil, err
		}
		p.countries = append(p.countries, c)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT country_iso3, code, name, type FROM areas ORDER BY country_iso3, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a [4]string
		if err := rows.Scan(&a[0], &a[1], &a[2], &a[3]); err != nil {
			return nil, err
		}
		p.areas = append(p.areas, a)
	}
	return p, rows.Err()
}

// writeLists adds the sheet of allowed values: countries with their codes,
// and for organisations the areas of each country.
func writeLists(f *excelize.File, kind Kind, loc *i18n.Localizer, p *placeLists, head int) error {
	sheet := loc.T("import.template.lists")
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	put := func(col, row int, vals ...any) error {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		return f.SetSheetRow(sheet, cell, &vals)
	}
	if err := put(1, 1, "ISO3", "ISO2", loc.T("import.template.country")); err != nil {
		return err
	}
	for i, c := range p.countries {
		if err := put(1, i+2, c[0], c[1], c[2]); err != nil {
			return err
		}
	}
	_ = f.SetCellStyle(sheet, "A1", "C1", head)
	_ = f.SetColWidth(sheet, "C", "C", 32)
	if kind == Organisations {
		if err := put(5, 1, loc.T("import.template.country"), loc.T("import.template.area_code"), loc.T("import.template.area_name"), loc.T("import.template.area_type")); err != nil {
			return err
		}
		sort.SliceStable(p.areas, func(i, j int) bool { return p.areas[i][0] < p.areas[j][0] })
		for i, a := range p.areas {
			if err := put(5, i+2, a[0], a[1], a[2], a[3]); err != nil {
				return err
			}
		}
		_ = f.SetCellStyle(sheet, "E1", "H1", head)
		_ = f.SetColWidth(sheet, "G", "G", 32)
	}
	return nil
}
