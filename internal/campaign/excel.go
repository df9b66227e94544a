package campaign

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/i18n"
)

// Excel collection: an officer downloads a workbook with one row per
// invited respondent and one column per question, fills it in from paper
// forms or phone calls, and uploads it. The upload is checked whole, every
// problem named by sheet, row and column, before anything is stored; then
// all its rows are stored at once through the same code as every other
// channel (channel excel). As in the indicator values template (package
// indicator), a hidden sheet names the campaign, the form version and the
// column of each field, so that a column inserted, deleted or moved is
// refused rather than misread.

// ExcelTemplateVersion names the layout of the answers workbook.
const ExcelTemplateVersion = "campaign-answers-1"

// The sheets and layout of the workbook.
const (
	excelAnswersSheet = "Answers"
	excelListsSheet   = "Lists"
	excelMetaSheet    = "Meta"
	// Row 1 holds the questions' labels, row 2 their names.
	excelHeaderRows = 2
	// excelSpareRows is how many empty rows a repeat sheet offers for new entries.
	excelSpareRows = 300
	// MaxExcelRows is how many rows one sheet may hold below its headers.
	MaxExcelRows = 5000
)

// The key columns of the sheets, by name (row 2).
const (
	keyInvitation   = "invitation_id"
	keyOrganisation = "organisation"
	keyOccurrence   = "occurrence"
)

// excelSheet is one table of the workbook: the answers of each respondent,
// or the entries of one repeat.
type excelSheet struct {
	Name   string // the sheet's name
	Repeat string // the repeat's field name, or "" for the answers
	Fields []form.Field
}

// keys are the key columns the sheet starts with.
func (sh excelSheet) keys() []string {
	if sh.Repeat == "" {
		return []string{keyInvitation, keyOrganisation}
	}
	return []string{keyInvitation, keyOrganisation, keyOccurrence}
}

// names are the sheet's column names, from column A.
func (sh excelSheet) names() []string {
	out := sh.keys()
	for _, f := range sh.Fields {
		out = append(out, f.Name)
	}
	return out
}

// excelSheets lays out a form: the answers sheet, then one sheet per
// top-level repeat, named after it within Excel's 31 characters.
func excelSheets(def *form.Definition) []excelSheet {
	out := []excelSheet{{Name: excelAnswersSheet, Fields: Columns(def, "")}}
	used := map[string]bool{strings.ToLower(excelAnswersSheet): true, strings.ToLower(excelListsSheet): true,
		strings.ToLower(excelMetaSheet): true, "instructions": true}
	for i, r := range Repeats(def) {
		name := sheetName(r.Name, i+1)
		for n := 2; used[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%.26s_%d", r.Name, n)
		}
		used[strings.ToLower(name)] = true
		out = append(out, excelSheet{Name: name, Repeat: r.Name, Fields: Columns(def, r.Name)})
	}
	return out
}

// excelTemplate is what an answers workbook holds.
type excelTemplate struct {
	campaign *Campaign
	def      *form.Definition
	sheets   []excelSheet
	invs     []*Invitation
	latest   map[int64]map[string]any // stored answers by invitation
	lang     string
}

func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// workbook writes the template.
func (t *excelTemplate) workbook() ([]byte, error) {
	loc := i18n.For(t.lang)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", excelAnswersSheet); err != nil {
		return nil, err
	}
	for _, sh := range t.sheets[1:] {
		if _, err := f.NewSheet(sh.Name); err != nil {
			return nil, err
		}
	}
	instructions := loc.T("campaignexcel.sheet.instructions")
	for _, name := range []string{instructions, excelListsSheet, excelMetaSheet} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	lists, err := t.writeLists(f)
	if err != nil {
		return nil, err
	}
	for _, sh := range t.sheets {
		if err := t.writeSheet(f, loc, sh, lists); err != nil {
			return nil, err
		}
	}
	if err := t.writeInstructions(f, loc, instructions); err != nil {
		return nil, err
	}
	if err := t.writeMeta(f); err != nil {
		return nil, err
	}
	if err := f.SetSheetVisible(excelListsSheet, false); err != nil {
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

// writeLists writes the choice names of each list used by a select_one
// question in a column of the hidden sheet Lists, which the drop-downs
// refer to; it returns each list's range.
func (t *excelTemplate) writeLists(f *excelize.File) (map[string]string, error) {
	out := map[string]string{}
	col := 0
	for _, sh := range t.sheets {
		for _, fl := range sh.Fields {
			if fl.Type != form.TypeSelectOne || out[fl.ChoiceList] != "" {
				continue
			}
			list, ok := t.def.ChoiceList(fl.ChoiceList)
			if !ok || len(list.Choices) == 0 {
				continue
			}
			col++
			if err := f.SetCellValue(excelListsSheet, cellName(col, 1), list.Name); err != nil {
				return nil, err
			}
			for n, c := range list.Choices {
				if err := f.SetCellValue(excelListsSheet, cellName(col, n+2), c.Name); err != nil {
					return nil, err
				}
			}
			out[fl.ChoiceList] = fmt.Sprintf("'%s'!$%s$2:$%s$%d", excelListsSheet, colName(col), colName(col), len(list.Choices)+1)
		}
	}
	return out, nil
}

// label is a field's label in the template's language, else its name.
func (t *excelTemplate) label(fl form.Field) string {
	l := fl.Label.In(formLanguage(t.def, t.lang), t.def.DefaultLanguage, t.def.Languages)
	if l == "" {
		l = fl.Name
	}
	if fl.Required && !conditional(t.def, fl) {
		l += " *"
	}
	return l
}

// excelStyles are the cell styles of a data sheet.
type excelStyles struct {
	head, key, value, date int
}

func newExcelStyles(f *excelize.File) (excelStyles, error) {
	var s excelStyles
	var err error
	if s.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1,
		Color: []string{"DDE5EE"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Protection: &excelize.Protection{Locked: true}}); err != nil {
		return s, err
	}
	if s.key, err = f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F1F1F1"}},
		Protection: &excelize.Protection{Locked: true}}); err != nil {
		return s, err
	}
	if s.value, err = f.NewStyle(&excelize.Style{Protection: &excelize.Protection{Locked: false}}); err != nil {
		return s, err
	}
	dateFmt := "yyyy-mm-dd"
	s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Protection: &excelize.Protection{Locked: false}})
	return s, err
}

// excelRowOut is one row to write: its key cells and its answers.
type excelRowOut struct {
	inv        *Invitation
	occurrence int
	answers    map[string]any
}

// rowsOf lists the rows of a sheet: every respondent on the answers sheet,
// each stored entry on a repeat's sheet.
func (t *excelTemplate) rowsOf(sh excelSheet) []excelRowOut {
	var out []excelRowOut
	for _, inv := range t.invs {
		a := t.latest[inv.ID]
		if sh.Repeat == "" {
			out = append(out, excelRowOut{inv: inv, answers: a})
			continue
		}
		for n, rr := range RepeatRows(a, sh.Repeat) {
			out = append(out, excelRowOut{inv: inv, occurrence: n + 1, answers: rr})
		}
	}
	return out
}

func (t *excelTemplate) writeSheet(f *excelize.File, loc *i18n.Localizer, sh excelSheet, lists map[string]string) error {
	st, err := newExcelStyles(f)
	if err != nil {
		return err
	}
	set := func(col, row int, v any) error { return f.SetCellValue(sh.Name, cellName(col, row), v) }
	keys := sh.keys()
	keyLabels := map[string]string{keyInvitation: loc.T("campaignexcel.head.invitation"),
		keyOrganisation: loc.T("campaignexcel.head.organisation"), keyOccurrence: loc.T("campaignexcel.head.occurrence")}
	for n, k := range keys {
		if err := set(n+1, 1, keyLabels[k]); err != nil {
			return err
		}
		if err := set(n+1, 2, k); err != nil {
			return err
		}
	}
	for n, fl := range sh.Fields {
		if err := set(len(keys)+n+1, 1, t.label(fl)); err != nil {
			return err
		}
		if err := set(len(keys)+n+1, 2, fl.Name); err != nil {
			return err
		}
	}
	width := len(keys) + len(sh.Fields)
	last := colName(width)
	if err := f.SetCellStyle(sh.Name, "A1", last+"2", st.head); err != nil {
		return err
	}
	rows := t.rowsOf(sh)
	lastRow := excelHeaderRows + max(len(rows), 1)
	if sh.Repeat != "" {
		lastRow += excelSpareRows
	}
	// Key cells are locked on the answers sheet, where each row is one
	// invitation; a repeat's sheet takes new entries, so its keys are open.
	keyStyle := st.key
	if sh.Repeat != "" {
		keyStyle = st.value
	}
	if err := f.SetCellStyle(sh.Name, "A3", colName(len(keys))+strconv.Itoa(lastRow), keyStyle); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh.Name, "B3", "B"+strconv.Itoa(lastRow), st.key); err != nil {
		return err
	}
	for n, fl := range sh.Fields {
		c := colName(len(keys) + n + 1)
		style := st.value
		if fl.Type == form.TypeDate {
			style = st.date
		}
		if err := f.SetCellStyle(sh.Name, c+"3", c+strconv.Itoa(lastRow), style); err != nil {
			return err
		}
		if err := t.validate(f, loc, sh.Name, fl, fmt.Sprintf("%s3:%s%d", c, c, lastRow), lists); err != nil {
			return err
		}
	}
	for n, r := range rows {
		row := excelHeaderRows + 1 + n
		if err := set(1, row, r.inv.ID); err != nil {
			return err
		}
		if err := set(2, row, r.inv.OrganisationName); err != nil {
			return err
		}
		if sh.Repeat != "" {
			if err := set(3, row, r.occurrence); err != nil {
				return err
			}
		}
		for i, fl := range sh.Fields {
			v, ok := r.answers[fl.Name]
			if !ok || v == nil || v == "" {
				continue
			}
			if err := set(len(keys)+i+1, row, cellOut(fl, v)); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(sh.Name, "A", "A", 12); err != nil {
		return err
	}
	if err := f.SetColWidth(sh.Name, "B", "B", 32); err != nil {
		return err
	}
	if width > len(keys) {
		if err := f.SetColWidth(sh.Name, colName(len(keys)+1), last, 20); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh.Name, &excelize.Panes{Freeze: true, XSplit: len(keys), YSplit: excelHeaderRows,
		TopLeftCell: colName(len(keys)+1) + "3", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	// Without a password: the lock guards against slips; the upload checks
	// everything anyway.
	return f.ProtectSheet(sh.Name, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true, InsertRows: sh.Repeat != "", DeleteRows: sh.Repeat != "", Sort: true, AutoFilter: true})
}

// cellOut is a stored answer as a cell: numbers as numbers, dates as
// dates, everything else as text.
func cellOut(fl form.Field, v any) any {
	s := Text(v)
	switch fl.Type {
	case form.TypeInteger, form.TypeDecimal:
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n
		}
	case form.TypeDate:
		if d, err := time.Parse(dateLayout, s); err == nil {
			return d
		}
	}
	return s
}

// validate adds the data validation a field's type calls for.
func (t *excelTemplate) validate(f *excelize.File, loc *i18n.Localizer, sheet string, fl form.Field, sqref string, lists map[string]string) error {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(sqref)
	var msg string
	switch fl.Type {
	case form.TypeSelectOne:
		ref, ok := lists[fl.ChoiceList]
		if !ok {
			return nil
		}
		dv.SetSqrefDropList(ref)
		msg = loc.T("campaignexcel.validation.choice")
	case form.TypeAcknowledge:
		if err := dv.SetDropList([]string{"OK"}); err != nil {
			return err
		}
		msg = loc.T("campaignexcel.validation.acknowledge")
	case form.TypeInteger:
		if err := dv.SetRange(-1e15, 1e15, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		msg = loc.T("campaignexcel.validation.integer")
	case form.TypeDecimal:
		if err := dv.SetRange(-1e15, 1e15, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		msg = loc.T("campaignexcel.validation.decimal")
	case form.TypeDate:
		// 1 and 2958465 are 1900-01-01 and 9999-12-31 as Excel counts days.
		if err := dv.SetRange(1, 2958465, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		msg = loc.T("campaignexcel.validation.date")
	default:
		return nil
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, fl.Name, msg)
	return f.AddDataValidation(sheet, dv)
}
