package indicator

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

// Excel entry of values, as aggregate data is entered in DHIS2: a template
// workbook with one row per subject and period and one column per
// indicator and category, filled in offline and uploaded again. The
// workbook carries a hidden sheet that says which indicator and category
// each column holds, so that an upload is matched by its header cells and
// a column whose header no longer matches is refused, not misread.

// ExcelTemplateVersion names the layout of the workbook; an upload of
// another layout is refused with a request to download a new template.
const ExcelTemplateVersion = "indicator-values-1"

// Limits of an uploaded workbook.
const (
	MaxExcelBytes = 10 << 20
	MaxExcelRows  = 50000
	// maxExcelSave is how many values one import stores at most: SaveValues
	// stores at most this many in its one transaction.
	maxExcelSave = 1000
	// maxExcelProblems is how many problems an upload lists at most.
	maxExcelProblems = 500
)

// The sheets of the workbook and its layout.
const (
	excelDataSheet  = "Data"
	excelMetaSheet  = "Meta"
	excelHeaderRows = 4 // code, name, unit, category
	excelKeyCols    = 3 // subject ID, subject name, period
)

// ExcelColumn is one value column of the data sheet: an indicator's total
// or one of its categories, with the label written in its header.
type ExcelColumn struct {
	Indicator *Indicator
	Code      string // the indicator's code, as in the header
	Category  Category
	Label     string // the category's label in the template's language
	Letter    string // where the template put it
}

// Header is how problems name the column: "JOBS_CREATED · Women".
func (c *ExcelColumn) Header() string { return c.Code + " · " + c.Label }

// ExcelTemplate is what a template workbook holds.
type ExcelTemplate struct {
	Columns  []*ExcelColumn
	Subjects []SubjectOption
	Periods  []Period
	// Existing are the latest values, prefilled, by subject, period,
	// indicator and category.
	Existing map[excelKey]float64
	Lang     string
}

// excelKey identifies one cell of the data sheet.
type excelKey struct {
	subject  string
	period   string
	ind      int64
	category Category
}

// excelColumnLetter is the letter of a 1-based column number.
func excelColumnLetter(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

// excelCategoryCode is a category as the meta sheet writes it.
func excelCategoryCode(c Category) string {
	if c.IsTotal() {
		return "total"
	}
	return c.String()
}

// Workbook writes the template: the data sheet with locked key columns,
// prefilled values and data validation, the instructions in the
// template's language, and the hidden meta sheet.
func (t *ExcelTemplate) Workbook() ([]byte, error) {
	loc := i18n.For(t.Lang)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", excelDataSheet); err != nil {
		return nil, err
	}
	instructions := loc.T("indicatorexcel.sheet.instructions")
	if _, err := f.NewSheet(instructions); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(excelMetaSheet); err != nil {
		return nil, err
	}
	if err := t.writeData(f, loc); err != nil {
		return nil, err
	}
	if err := t.writeInstructions(f, loc, instructions); err != nil {
		return nil, err
	}
	if err := t.writeMeta(f); err != nil {
		return nil, err
	}
	if err := f.SetSheetVisible(excelMetaSheet, false, true); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (t *ExcelTemplate) writeData(f *excelize.File, loc *i18n.Localizer) error {
	sh := excelDataSheet
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE5EE"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	key, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F1F1F1"}},
		Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	value, err := f.NewStyle(&excelize.Style{Protection: &excelize.Protection{Locked: false}})
	if err != nil {
		return err
	}
	set := func(col, row int, v any) error {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		return f.SetCellValue(sh, cell, v)
	}
	for n, label := range []string{"indicatorexcel.head.code", "indicatorexcel.head.name", "indicatorexcel.head.unit"} {
		if err := set(3, n+1, loc.T(label)); err != nil {
			return err
		}
	}
	for n, label := range []string{"indicatorexcel.head.subject_id", "indicatorexcel.head.subject", "indicatorexcel.head.period"} {
		if err := set(n+1, excelHeaderRows, loc.T(label)); err != nil {
			return err
		}
	}
	for n, c := range t.Columns {
		col := excelKeyCols + 1 + n
		c.Letter = excelColumnLetter(col)
		for row, v := range []string{c.Code, c.Indicator.Name, c.Indicator.Unit, c.Label} {
			if err := set(col, row+1, v); err != nil {
				return err
			}
		}
	}
	last := excelColumnLetter(excelKeyCols + max(len(t.Columns), 1))
	if err := f.SetCellStyle(sh, "A1", last+strconv.Itoa(excelHeaderRows), head); err != nil {
		return err
	}
	row := excelHeaderRows
	for _, s := range t.Subjects {
		for _, p := range t.Periods {
			row++
			if err := set(1, row, s.Subject.String()); err != nil {
				return err
			}
			if err := set(2, row, s.Name); err != nil {
				return err
			}
			if err := set(3, row, p.Key()); err != nil {
				return err
			}
			for n, c := range t.Columns {
				if v, ok := t.Existing[excelKey{s.Subject.String(), p.Key(), c.Indicator.ID, c.Category}]; ok {
					if err := set(excelKeyCols+1+n, row, v); err != nil {
						return err
					}
				}
			}
		}
	}
	// Room for rows a person adds below the template's own.
	lastRow := max(row, excelHeaderRows+1) + 200
	if err := f.SetCellStyle(sh, "A"+strconv.Itoa(excelHeaderRows+1), "C"+strconv.Itoa(lastRow), key); err != nil {
		return err
	}
	if len(t.Columns) > 0 {
		first := excelColumnLetter(excelKeyCols + 1)
		if err := f.SetCellStyle(sh, first+strconv.Itoa(excelHeaderRows+1), last+strconv.Itoa(lastRow), value); err != nil {
			return err
		}
	}
	for _, c := range t.Columns {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s%d:%s%d", c.Letter, excelHeaderRows+1, c.Letter, lastRow))
		lo, hi := -1e15, 1e15
		msg := loc.T("indicatorexcel.validation.number")
		switch {
		case c.Indicator.Calculation == CalcPercentage:
			lo, hi, msg = 0, 100, loc.T("indicatorexcel.validation.percentage")
		case !NegativeAllowed(c.Indicator):
			lo, msg = 0, loc.T("indicatorexcel.validation.non_negative")
		}
		if err := dv.SetRange(lo, hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, c.Code, msg)
		if err := f.AddDataValidation(sh, dv); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sh, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "B", "B", 32); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "C", "C", 14); err != nil {
		return err
	}
	if len(t.Columns) > 0 {
		if err := f.SetColWidth(sh, excelColumnLetter(excelKeyCols+1), last, 16); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: excelKeyCols, YSplit: excelHeaderRows,
		TopLeftCell: excelColumnLetter(excelKeyCols+1) + strconv.Itoa(excelHeaderRows+1), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	// Without a password: the lock guards against slips, not against the
	// person, who may unlock the sheet; the upload checks everything anyway.
	return f.ProtectSheet(sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true, InsertRows: true, Sort: true, AutoFilter: true})
}

func (t *ExcelTemplate) writeInstructions(f *excelize.File, loc *i18n.Localizer, sh string) error {
	lines := []string{
		loc.T("indicatorexcel.instructions.title"),
		"",
		loc.T("indicatorexcel.instructions.rows", "periods", periodKeys(t.Periods)),
		loc.T("indicatorexcel.instructions.columns"),
		loc.T("indicatorexcel.instructions.prefilled"),
		loc.T("indicatorexcel.instructions.empty"),
		loc.T("indicatorexcel.instructions.numbers"),
		loc.T("indicatorexcel.instructions.locked"),
		loc.T("indicatorexcel.instructions.moving"),
		loc.T("indicatorexcel.instructions.upload"),
		loc.T("indicatorexcel.instructions.limits", "mb", MaxExcelBytes>>20, "rows", MaxExcelRows),
	}
	for n, l := range lines {
		if err := f.SetCellValue(sh, "A"+strconv.Itoa(n+1), l); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "A1", bold); err != nil {
		return err
	}
	return f.SetColWidth(sh, "A", "A", 120)
}

func periodKeys(ps []Period) string {
	keys := make([]string, len(ps))
	for n, p := range ps {
		keys[n] = p.Key()
	}
	return strings.Join(keys, ", ")
}

// The meta sheet: a few named settings, then one row per value column.
const (
	metaVersion    = "template_version"
	metaPeriodType = "period_type"
	metaPeriods    = "periods"
	metaColumns    = "column"
)

func (t *ExcelTemplate) writeMeta(f *excelize.File) error {
	pt := PeriodYear
	if len(t.Periods) > 0 {
		pt = t.Periods[0].Type
	}
	rows := [][]any{
		{metaVersion, ExcelTemplateVersion},
		{metaPeriodType, string(pt)},
		{metaPeriods, periodKeys(t.Periods)},
		{metaColumns, "indicator_code", "category", "label"},
	}
	for _, c := range t.Columns {
		rows = append(rows, []any{c.Letter, c.Code, excelCategoryCode(c.Category), c.Label})
	}
	for n, r := range rows {
		if err := f.SetSheetRow(excelMetaSheet, "A"+strconv.Itoa(n+1), &r); err != nil {
			return err
		}
	}
	return nil
}
