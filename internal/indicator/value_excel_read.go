package indicator

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// ExcelProblem is one problem of an uploaded workbook, located by sheet,
// row, column letter and the column's header.
type ExcelProblem struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Header  string `json:"header,omitempty"`
	Message string `json:"message"`
}

// ExcelError refuses an upload with every problem found in it (the first
// maxExcelProblems of Total); nothing is stored.
type ExcelError struct {
	Kind     problem.Kind // Invalid, or TooLarge for a file over the limits
	Problems []ExcelProblem
	Total    int
}

func (e *ExcelError) Error() string {
	s := fmt.Sprintf("%s: the workbook has %d problems", e.Kind, e.Total)
	for n, p := range e.Problems {
		if n == 3 {
			break
		}
		s += fmt.Sprintf("; %s row %d %s: %s", p.Sheet, p.Row, p.Column, p.Message)
	}
	return s
}

// excelProblems collects the problems of an upload.
type excelProblems struct {
	kind  problem.Kind
	list  []ExcelProblem
	total int
}

func (ps *excelProblems) add(p ExcelProblem) {
	ps.total++
	if len(ps.list) < maxExcelProblems {
		ps.list = append(ps.list, p)
	}
}

func (ps *excelProblems) addf(sheet string, row int, col, header, format string, args ...any) {
	ps.add(ExcelProblem{Sheet: sheet, Row: row, Column: col, Header: header, Message: fmt.Sprintf(format, args...)})
}

func (ps *excelProblems) err() error {
	if ps.total == 0 {
		return nil
	}
	k := ps.kind
	if k == "" {
		k = problem.Invalid
	}
	return &ExcelError{Kind: k, Problems: ps.list, Total: ps.total}
}

// fileProblem refuses the whole file with one problem.
func fileProblem(kind problem.Kind, format string, args ...any) error {
	return &ExcelError{Kind: kind, Problems: []ExcelProblem{{Message: fmt.Sprintf(format, args...)}}, Total: 1}
}

// excelMetaCol is a value column as the meta sheet lists it.
type excelMetaCol struct {
	letter, code, category, label string
}

func (m excelMetaCol) header() string { return m.code + " · " + m.label }

// excelCell is one filled value cell of a data row.
type excelCell struct {
	meta   int // index into excelBook.cols
	letter string
	text   string
}

// excelRow is one data row.
type excelRow struct {
	row     int
	subject Subject
	name    string
	period  Period
	cells   []excelCell
}

// excelBook is an uploaded workbook as read, before its subjects,
// indicators and numbers are checked against the database.
type excelBook struct {
	periodType PeriodType
	periods    []string
	cols       []excelMetaCol
	// subjectHead is the header of the subject ID column, for problems.
	subjectHead string
	rows        []excelRow
}

// readExcel reads an uploaded template. Every problem that needs no
// database is collected in ps (key cells, periods, duplicate rows, value
// cells in columns whose header no longer matches the meta sheet); a file
// that is not a readable template is an error.
func readExcel(data []byte, name string, ps *excelProblems) (*excelBook, error) {
	if len(data) > MaxExcelBytes {
		return nil, fileProblem(problem.TooLarge, "The file is larger than %d MB; split it by subjects or periods.", MaxExcelBytes>>20)
	}
	if len(data) == 0 {
		return nil, fileProblem(problem.Invalid, "The file is empty.")
	}
	lower := strings.ToLower(name)
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		kind := "This file"
		switch {
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
		UnzipSizeLimit: 20 * MaxExcelBytes, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, fileProblem(problem.Invalid, "The workbook cannot be read; it may be damaged or protected with a password. Save it again as .xlsx.")
	}
	defer f.Close()
	b := &excelBook{}
	if err := b.readMeta(f); err != nil {
		return nil, err
	}
	if idx, _ := f.GetSheetIndex(excelDataSheet); idx < 0 {
		return nil, fileProblem(problem.Invalid, "The workbook has no sheet %q: fill in the downloaded template without renaming its sheets.", excelDataSheet)
	}
	rows, err := f.Rows(excelDataSheet)
	if err != nil {
		return nil, fileProblem(problem.Invalid, "The sheet %q cannot be read; save the workbook again as .xlsx.", excelDataSheet)
	}
	defer rows.Close()
	var head [excelHeaderRows][]string
	var assigned map[int]int // sheet column (0-based) → meta column
	seen := map[string]int{}
	periods := map[string]bool{}
	for _, p := range b.periods {
		periods[p] = true
	}
	n := 0
	for rows.Next() {
		n++
		if n > excelHeaderRows+MaxExcelRows {
			return nil, fileProblem(problem.TooLarge, "The sheet %q has more than %d rows; split it by subjects or periods.", excelDataSheet, MaxExcelRows)
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileProblem(problem.Invalid, "Row %d of the sheet %q cannot be read; save the workbook again as .xlsx.", n, excelDataSheet)
		}
		if n <= excelHeaderRows {
			head[n-1] = cols
			if n == excelHeaderRows {
				assigned = b.matchColumns(head)
			}
			continue
		}
		b.readRow(n, cols, head, assigned, periods, seen, ps)
	}
	if err := rows.Error(); err != nil {
		return nil, fileProblem(problem.Invalid, "The sheet %q cannot be read; save the workbook again as .xlsx.", excelDataSheet)
	}
	if len(b.rows) == 0 && ps.total == 0 {
		ps.addf(excelDataSheet, 0, "", "", "The sheet has no values: fill in at least one row below the headers.")
	}
	return b, nil
}

// readMeta reads the hidden sheet: the template's version, periods and the
// indicator and category of each value column.
func (b *excelBook) readMeta(f *excelize.File) error {
	notTemplate := func() error {
		return fileProblem(problem.Invalid, "This workbook is not a values template of this system (its hidden sheet %q is missing or damaged): download a template and fill it in.", excelMetaSheet)
	}
	if idx, _ := f.GetSheetIndex(excelMetaSheet); idx < 0 {
		return notTemplate()
	}
	meta, err := f.GetRows(excelMetaSheet, excelize.Options{RawCellValue: true})
	if err != nil || len(meta) < 4 {
		return notTemplate()
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	for _, r := range meta {
		switch cell(r, 0) {
		case metaVersion:
			if v := cell(r, 1); v != ExcelTemplateVersion {
				return fileProblem(problem.Invalid, "This template is of another version (%q, now %q): download a new template and copy the values into it.", v, ExcelTemplateVersion)
			}
		case metaPeriodType:
			b.periodType = PeriodType(cell(r, 1))
		case metaPeriods:
			b.periods = strings.Split(strings.ReplaceAll(cell(r, 1), " ", ""), ",")
		case metaColumns, "":
		default:
			b.cols = append(b.cols, excelMetaCol{letter: cell(r, 0), code: cell(r, 1), category: cell(r, 2), label: cell(r, 3)})
		}
	}
	if !b.periodType.Valid() || len(b.cols) == 0 {
		return notTemplate()
	}
	return nil
}

// matchColumns finds each meta column in the data sheet by its header
// cells (indicator code and category label): in its own place if it is
// still there, else wherever it was moved to. Columns a header does not
// match are left unassigned, and their values are reported.
func (b *excelBook) matchColumns(head [excelHeaderRows][]string) map[int]int {
	at := func(row, col int) string {
		if col < len(head[row]) {
			return strings.TrimSpace(head[row][col])
		}
		return ""
	}
	width := 0
	for _, h := range head {
		width = max(width, len(h))
	}
	matches := func(col int, m excelMetaCol) bool {
		return at(0, col) == m.code && at(excelHeaderRows-1, col) == m.label
	}
	assigned := map[int]int{}
	taken := map[int]bool{}
	for i, m := range b.cols {
		if n, err := excelize.ColumnNameToNumber(m.letter); err == nil && n > excelKeyCols && matches(n-1, m) {
			assigned[n-1], taken[i] = i, true
		}
	}
	for i, m := range b.cols {
		if taken[i] {
			continue
		}
		for col := excelKeyCols; col < width; col++ {
			if _, used := assigned[col]; !used && matches(col, m) {
				assigned[col], taken[i] = i, true
				break
			}
		}
	}
	return assigned
}

// readRow reads one data row: its subject and period keys and the filled
// value cells.
func (b *excelBook) readRow(n int, cols []string, head [excelHeaderRows][]string, assigned map[int]int,
	periods map[string]bool, seen map[string]int, ps *excelProblems) {
	at := func(col int) string {
		if col < len(cols) {
			return strings.TrimSpace(cols[col])
		}
		return ""
	}
	headAt := func(row, col int) string {
		if col < len(head[row]) {
			return strings.TrimSpace(head[row][col])
		}
		return ""
	}
	blank := true
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return
	}
	sh := excelDataSheet
	r := excelRow{row: n, name: at(1)}
	good := true
	subjectHead, periodHead := headAt(excelHeaderRows-1, 0), headAt(excelHeaderRows-1, 2)
	b.subjectHead = subjectHead
	if text := at(0); text == "" {
		ps.addf(sh, n, "A", subjectHead, "Enter the subject ID (such as cluster:12), as the template has it.")
		good = false
	} else if sub, err := ParseSubject(text); err != nil {
		ps.addf(sh, n, "A", subjectHead, "%s.", upperFirst(err.Error()))
		good = false
	} else {
		r.subject = sub
	}
	if text := at(2); text == "" {
		ps.addf(sh, n, "C", periodHead, "Enter the period, one of %s.", strings.Join(b.periods, ", "))
		good = false
	} else if p, err := ParsePeriod(text); err != nil {
		ps.addf(sh, n, "C", periodHead, "%s.", upperFirst(err.Error()))
		good = false
	} else if !periods[p.Key()] {
		ps.addf(sh, n, "C", periodHead, "%s is not one of the template's periods (%s): download a template for that period.", p.Key(), strings.Join(b.periods, ", "))
		good = false
	} else {
		r.period = p
	}
	if good {
		k := r.subject.String() + "|" + r.period.Key()
		if first, dup := seen[k]; dup {
			ps.addf(sh, n, "A", subjectHead, "%s, %s is also in row %d: keep one row for each subject and period.", r.subject, r.period.Key(), first)
			good = false
		} else {
			seen[k] = n
		}
	}
	for col := excelKeyCols; col < len(cols); col++ {
		text := at(col)
		if text == "" {
			continue
		}
		letter := excelColumnLetter(col + 1)
		m, ok := assigned[col]
		if !ok {
			header := strings.Trim(headAt(0, col)+" · "+headAt(excelHeaderRows-1, col), " ·")
			msg := "The header of this column does not match the template, so its value is not read"
			for _, mc := range b.cols {
				if mc.letter == letter {
					msg += fmt.Sprintf(" (the template had %s here)", mc.header())
					break
				}
			}
			ps.addf(sh, n, letter, header, "%s. Put the headers back as they were, or copy the values into a new template.", msg)
			continue
		}
		r.cells = append(r.cells, excelCell{meta: m, letter: letter, text: text})
	}
	if good {
		b.rows = append(b.rows, r)
	}
}
