package importer

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxUnzipped bounds how much a workbook may expand to when unzipped, so a
// small "zip bomb" cannot exhaust memory or disk.
const maxUnzipped = 512 << 20

// xlsxReader streams the rows of one worksheet with excelize's Rows
// iterator, reading raw cell values (numbers as stored, not as formatted
// for a locale) and marking cells that hold formulas.
type xlsxReader struct {
	f        *excelize.File
	rows     *excelize.Rows
	sheet    string
	row      int
	formulas map[int][]int
	date1904 bool
	err      error
}

// openXLSX opens a workbook and picks the sheet to read: the one named
// after the import kind when there is one (the template's), otherwise the
// first sheet.
func openXLSX(data []byte, kind Kind) (*xlsxReader, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, fmt.Errorf("the file looks like an Excel workbook but cannot be opened (%v); save it again as .xlsx", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("the workbook has no sheets")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), string(kind)) {
			sheet = s
			break
		}
	}
	x := &xlsxReader{f: f, sheet: sheet}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.date1904 = *props.Date1904
	}
	if x.formulas, err = formulaCells(data, sheet); err != nil {
		f.Close()
		return nil, err
	}
	if x.rows, err = f.Rows(sheet); err != nil {
		f.Close()
		return nil, fmt.Errorf("the sheet %q cannot be read: %v", sheet, err)
	}
	return x, nil
}

func (x *xlsxReader) Next() (rawRow, bool) {
	if x.err != nil || !x.rows.Next() {
		return rawRow{}, false
	}
	// Each call to Next is the next row number; excelize fills gaps in the
	// sheet with empty rows.
	x.row++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		x.err = &rowError{row: x.row, msg: fmt.Sprintf("the row cannot be read: %v", err)}
		return rawRow{}, false
	}
	return rawRow{num: x.row, cells: cells, formulas: x.formulas[x.row]}, true
}

func (x *xlsxReader) Err() error {
	if x.err != nil {
		return x.err
	}
	return x.rows.Error()
}

// Close releases the workbook and any temporary files excelize made.
func (x *xlsxReader) Close() {
	if x.rows != nil {
		x.rows.Close()
	}
	x.f.Close()
}

// cellName is the spreadsheet name of a cell ("C5").
func cellName(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return fmt.Sprintf("row %d column %d", row, col+1)
	}
	return name
}
