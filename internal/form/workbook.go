package form

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Limits on an uploaded workbook. A real survey is far smaller; the limits
// keep one upload from taking the server's memory or time.
const (
	// MaxWorkbookBytes is the largest workbook accepted.
	MaxWorkbookBytes = 5 << 20
	maxSurveyRows    = 2000
	maxChoiceRows    = 20000
	maxSettingsRows  = 10
	maxColumns       = 100
	maxCellChars     = 4000
	maxIssues        = 100
	// The unzipped workbook and each unzipped sheet, in bytes.
	maxUnzipped    = 64 << 20
	maxUnzippedXML = 32 << 20
)

// Issue is one problem in a workbook, located by sheet, row (1 is the
// heading row) and column (its letter, and its heading when it has one).
type Issue struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Header  string `json:"header,omitempty"`
	Message string `json:"message"`
}

// Where renders the issue's location: "survey, row 4, column C (type)".
func (i Issue) Where() string {
	parts := []string{}
	if i.Sheet != "" {
		parts = append(parts, "sheet "+i.Sheet)
	}
	if i.Row > 0 {
		parts = append(parts, fmt.Sprintf("row %d", i.Row))
	}
	if i.Column != "" {
		c := "column " + i.Column
		if i.Header != "" {
			c += " (" + i.Header + ")"
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, ", ")
}

// ParseError lists every problem found in a workbook, in the order found.
type ParseError struct {
	Issues []Issue
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("the XLSForm has problems")
	for _, i := range e.Issues {
		b.WriteString("; ")
		if w := i.Where(); w != "" {
			b.WriteString(w + ": ")
		}
		b.WriteString(i.Message)
	}
	return b.String()
}

// Problem turns the parse error into the platform's invalid-input problem,
// with each issue as a detail (the column and its heading as the field).
func (e *ParseError) Problem(file string) *problem.Error {
	p := &problem.Error{Kind: problem.Invalid, Message: fmt.Sprintf("The XLSForm has %d problem(s); nothing was stored.", len(e.Issues))}
	for _, i := range e.Issues {
		field := i.Column
		if i.Header != "" {
			field = strings.TrimSpace(i.Column + " " + i.Header)
		}
		p.Details = append(p.Details, problem.Detail{File: file, Sheet: i.Sheet, Row: i.Row, Field: field, Message: i.Message})
	}
	return p
}

// sheet is one sheet's cells as text: the heading row, then the rows below
// it that hold anything, with their Excel row numbers.
type sheet struct {
	name   string
	header []string
	rows   []sheetRow
}

type sheetRow struct {
	num   int
	cells []string
}

// cell returns the text of column c (0-based) of a row, trimmed.
func (r sheetRow) cell(c int) string {
	if c < 0 || c >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[c])
}

// openWorkbook opens the bytes as an Excel workbook with unzip limits.
func openWorkbook(b []byte) (*excelize.File, error) {
	return excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
}

// readSheet reads a sheet within the limits, refusing formulas, overlong
// cells and cells without a heading. Problems go to p.
func (p *parser) readSheet(f *excelize.File, name string, maxRows int) *sheet {
	rows, err := f.Rows(name)
	if err != nil {
		p.add(name, 0, 0, "", "The sheet could not be read.")
		return nil
	}
	defer rows.Close()
	s := &sheet{name: name}
	num := 0
	for rows.Next() {
		num++
		cells, err := rows.Columns()
		if err != nil {
			p.add(name, num, 0, "", "The row could not be read.")
			return nil
		}
		if blank(cells) {
			if num == 1 {
				p.add(name, 1, 0, "", "The first row must hold the column headings; it is empty.")
				return nil
			}
			continue
		}
		if num > maxRows+1 {
			p.add(name, num, 0, "", fmt.Sprintf("The sheet has more than %d rows below its headings; split the form.", maxRows))
			return nil
		}
		if len(cells) > maxColumns {
			cells = trimTrailingBlank(cells)
			if len(cells) > maxColumns {
				p.add(name, num, maxColumns+1, "", fmt.Sprintf("The sheet has more than %d columns.", maxColumns))
				return nil
			}
		}
		for c, v := range cells {
			if n := utf8.RuneCountInString(v); n > maxCellChars {
				p.add(name, num, c+1, "", fmt.Sprintf("The cell holds %d characters; at most %d are allowed.", n, maxCellChars))
			} else if !utf8.ValidString(v) {
				p.add(name, num, c+1, "", "The cell does not hold valid text.")
			}
		}
		if num == 1 {
			s.header = make([]string, len(cells))
			for i, h := range cells {
				s.header[i] = strings.TrimSpace(h)
			}
		} else {
			s.rows = append(s.rows, sheetRow{num: num, cells: cells})
		}
	}
	if err := rows.Error(); err != nil {
		p.add(name, 0, 0, "", "The sheet could not be read.")
		return nil
	}
	if s.header == nil {
		p.add(name, 1, 0, "", "The first row must hold the column headings; the sheet is empty.")
		return nil
	}
	p.checkFormulas(f, s)
	for _, r := range s.rows {
		for c, v := range r.cells {
			if strings.TrimSpace(v) != "" && (c >= len(s.header) || s.header[c] == "") {
				p.add(name, r.num, c+1, "", "The cell holds a value but its column has no heading in row 1.")
			}
		}
	}
	return s
}

// checkFormulas refuses cells that hold a formula: an XLSForm cell must hold
// the value itself, since the value a formula shows depends on the program
// that last computed it.
func (p *parser) checkFormulas(f *excelize.File, s *sheet) {
	check := func(num, width int) {
		for c := 1; c <= width; c++ {
			ref, err := excelize.CoordinatesToCellName(c, num)
			if err != nil {
				return
			}
			if fm, err := f.GetCellFormula(s.name, ref); err == nil && fm != "" {
				p.add(s.name, num, c, "", "The cell holds a formula (="+clip(fm, 40)+"); type the value itself instead.")
			}
		}
	}
	check(1, len(s.header))
	for _, r := range s.rows {
		check(r.num, max(len(r.cells), len(s.header)))
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func trimTrailingBlank(cells []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n]
}

// clip shortens s to at most n characters for a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// columnName is the letter of a 1-based column ("C"), or "" for 0.
func columnName(c int) string {
	if c <= 0 {
		return ""
	}
	n, err := excelize.ColumnNumberToName(c)
	if err != nil {
		return fmt.Sprint(c)
	}
	return n
}
