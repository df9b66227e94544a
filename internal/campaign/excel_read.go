package campaign

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Reading an uploaded answers workbook: the hidden sheet says which
// campaign, form version and columns the template had; each data sheet's
// name row must still hold exactly those columns, else the file is refused
// before any cell is read. Problems use the indicator package's located
// problem (sheet, row, column, header).

// maxExcelProblems is how many problems an upload lists at most.
const maxExcelProblems = 500

// excelProblems collects the problems of an upload.
type excelProblems struct {
	list  []indicator.ExcelProblem
	total int
}

func (ps *excelProblems) add(p indicator.ExcelProblem) {
	ps.total++
	if len(ps.list) < maxExcelProblems {
		ps.list = append(ps.list, p)
	}
}

func (ps *excelProblems) addf(sheet string, row int, col, header, format string, args ...any) {
	ps.add(indicator.ExcelProblem{Sheet: sheet, Row: row, Column: col, Header: header, Message: fmt.Sprintf(format, args...)})
}

func (ps *excelProblems) err() error {
	if ps.total == 0 {
		return nil
	}
	return &indicator.ExcelError{Kind: problem.Invalid, Problems: ps.list, Total: ps.total}
}

// fileProblem refuses a whole file with one problem.
func fileProblem(kind problem.Kind, format string, args ...any) error {
	return &indicator.ExcelError{Kind: kind, Problems: []indicator.ExcelProblem{{Message: fmt.Sprintf(format, args...)}}, Total: 1}
}

// bookSheet is one data sheet as read: its columns as the meta sheet
// names them and its non-empty rows.
type bookSheet struct {
	name, repeat string
	names        []string
	labels       []string // row 1, for problems
	rows         []bookRow
}

// header is how problems name a column: its name.
func (b *bookSheet) header(col int) string {
	if col < len(b.names) {
		return b.names[col]
	}
	return ""
}

// bookRow is one non-empty row of a data sheet.
type bookRow struct {
	row   int
	cells []string // by column, as many as names
}

func (r bookRow) at(col int) string {
	if col < len(r.cells) {
		return strings.TrimSpace(r.cells[col])
	}
	return ""
}

// excelBook is an uploaded answers workbook as read.
type excelBook struct {
	campaignID, versionID int64
	sheets                []*bookSheet
}

// readAnswersBook reads an uploaded workbook. A file that is not a
// readable template of this system, or whose columns no longer match the
// template (inserted, deleted or moved), is an *indicator.ExcelError.
func readAnswersBook(data []byte, name string) (*excelBook, error) {
	if len(data) > indicator.MaxExcelBytes {
		return nil, fileProblem(problem.TooLarge, "The file is larger than %d MB; split the respondents over several workbooks.", indicator.MaxExcelBytes>>20)
	}
	if len(data) == 0 {
		return nil, fileProblem(problem.Invalid, "The file is empty.")
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		kind := "This file"
		switch lower := strings.ToLower(name); {
		case strings.HasSuffix(lower, ".xls"):
			kind = "An .xls file (Excel 97–2003)"
		case strings.HasSuffix(lower, ".csv"):
			kind = "A CSV file"
		case strings.HasSuffix(lower, ".ods"):
			kind = "An OpenDocument spreadsheet"
		}
		return nil, fileProblem(problem.Invalid, "%s is not an Excel workbook (.xlsx): fill in the downloaded template and save it as .xlsx.", kind)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: 20 * indicator.MaxExcelBytes, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, fileProblem(problem.Invalid, "The workbook cannot be read; it may be damaged or protected with a password. Save it again as .xlsx.")
	}
	defer f.Close()
	b := &excelBook{}
	if err := b.readMeta(f); err != nil {
		return nil, err
	}
	var ps excelProblems
	for _, sh := range b.sheets {
		if err := sh.read(f, &ps); err != nil {
			return nil, err
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return b, nil
}

// readMeta reads the hidden sheet: template version, campaign, form
// version and the columns of each data sheet.
func (b *excelBook) readMeta(f *excelize.File) error {
	notTemplate := func() error {
		return fileProblem(problem.Invalid, "This workbook is not an answers template of this system (its hidden sheet %q is missing or damaged): download the template of the campaign and fill it in.", excelMetaSheet)
	}
	if idx, _ := f.GetSheetIndex(excelMetaSheet); idx < 0 {
		return notTemplate()
	}
	meta, err := f.GetRows(excelMetaSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return notTemplate()
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	version := ""
	for _, r := range meta {
		switch cell(r, 0) {
		case metaVersion:
			version = cell(r, 1)
		case metaCampaign:
			b.campaignID, _ = strconv.ParseInt(cell(r, 1), 10, 64)
		case metaForm:
			b.versionID, _ = strconv.ParseInt(cell(r, 1), 10, 64)
		case metaSheet:
			sh := &bookSheet{name: cell(r, 1), repeat: cell(r, 2)}
			for i := 3; i < len(r); i++ {
				sh.names = append(sh.names, cell(r, i))
			}
			b.sheets = append(b.sheets, sh)
		}
	}
	if version == "" || b.campaignID == 0 || b.versionID == 0 || len(b.sheets) == 0 || b.sheets[0].name != excelAnswersSheet {
		return notTemplate()
	}
	if version != ExcelTemplateVersion {
		return fileProblem(problem.Invalid, "This template is of another version (%q, now %q): download a new template and copy the answers into it.", version, ExcelTemplateVersion)
	}
	return nil
}

// read checks a data sheet's name row against the template and reads its
// non-empty rows. A column that no longer holds the template's field is
// a problem of the whole sheet: its values would be read as another
// question's.
func (sh *bookSheet) read(f *excelize.File, ps *excelProblems) error {
	if idx, _ := f.GetSheetIndex(sh.name); idx < 0 {
		ps.addf(sh.name, 0, "", "", "The workbook has no sheet %q: fill in the downloaded template without renaming or deleting its sheets.", sh.name)
		return nil
	}
	rows, err := f.Rows(sh.name)
	if err != nil {
		return fileProblem(problem.Invalid, "The sheet %q cannot be read; save the workbook again as .xlsx.", sh.name)
	}
	defer rows.Close()
	n := 0
	shifted := false
	for rows.Next() {
		n++
		if n > excelHeaderRows+MaxExcelRows {
			return fileProblem(problem.TooLarge, "The sheet %q has more than %d rows; split the respondents over several workbooks.", sh.name, MaxExcelRows)
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fileProblem(problem.Invalid, "Row %d of the sheet %q cannot be read; save the workbook again as .xlsx.", n, sh.name)
		}
		switch {
		case n == 1:
			sh.labels = cols
			continue
		case n == 2:
			shifted = sh.checkNames(cols, ps)
			continue
		case shifted:
			continue
		}
		blank := true
		for i, c := range cols {
			if strings.TrimSpace(c) == "" {
				continue
			}
			if i >= len(sh.names) {
				ps.addf(sh.name, n, colName(i+1), "", "This cell is right of the template's last column (%s, %s): put the value in its question's column, or remove it.",
					colName(len(sh.names)), sh.header(len(sh.names)-1))
			}
			blank = false
		}
		if !blank {
			sh.rows = append(sh.rows, bookRow{row: n, cells: cols})
		}
	}
	if err := rows.Error(); err != nil {
		return fileProblem(problem.Invalid, "The sheet %q cannot be read; save the workbook again as .xlsx.", sh.name)
	}
	if n < excelHeaderRows {
		ps.addf(sh.name, 0, "", "", "The sheet %q has lost its header rows: download a new template.", sh.name)
	}
	return nil
}

// checkNames compares row 2 with the template's column names and reports
// the first column that differs; it reports whether one did.
func (sh *bookSheet) checkNames(cols []string, ps *excelProblems) bool {
	at := func(i int) string {
		if i < len(cols) {
			return strings.TrimSpace(cols[i])
		}
		return ""
	}
	for i, want := range sh.names {
		got := at(i)
		if got == want {
			continue
		}
		msg := fmt.Sprintf("Column %s should hold %s but holds %q", colName(i+1), want, got)
		if got == "" {
			msg = fmt.Sprintf("Column %s should hold %s but its name cell is empty", colName(i+1), want)
		}
		for j, other := range sh.names {
			if other == got && j != i {
				msg += fmt.Sprintf(", which the template had in column %s", colName(j+1))
				break
			}
		}
		ps.addf(sh.name, excelHeaderRows, colName(i+1), want, "%s: the columns were shifted (a column was inserted, deleted or moved). "+
			"Nothing was read from this sheet. Put the columns back as the template had them, or copy the answers into a new template.", msg)
		return true
	}
	for i := len(sh.names); i < len(cols); i++ {
		if got := at(i); got != "" {
			ps.addf(sh.name, excelHeaderRows, colName(i+1), got, "The template has no column %q: a column was added. "+
				"Nothing was read from this sheet. Remove the column, or copy the answers into a new template.", got)
			return true
		}
	}
	return false
}
