package importer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/clusterobservatory/observatory/internal/textfile"
)

// rawRow is one row of a file as read: its number as a spreadsheet shows
// it (the header is row 1) and its cells. formulas holds the indexes of
// cells that were formulas in a workbook.
type rawRow struct {
	num      int
	cells    []string
	formulas []int
}

// blank reports whether every cell is empty or spaces.
func (r rawRow) blank() bool {
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return len(r.formulas) == 0
}

// rowReader yields a file's rows in order. Next returns false at the end
// or on a structural error, which Err then reports with its row.
type rowReader interface {
	Next() (rawRow, bool)
	Err() error
}

// csvReader reads delimited text. Row numbers follow what a spreadsheet
// shows when it opens the file: one row per record, blank lines included,
// a quoted value with line breaks staying in one row.
type csvReader struct {
	r       *csv.Reader
	row     int // number of the last row returned
	endLine int // the line the last record ended on
	err     error
}

// newCSVReader detects the delimiter from the first line of text and
// returns a reader and the delimiter.
func newCSVReader(text io.Reader) (*csvReader, rune) {
	br := bufio.NewReaderSize(text, 64*1024)
	head, _ := br.Peek(64 * 1024)
	first := string(head)
	if i := strings.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	delim := textfile.DetectDelimiter(first)
	r := csv.NewReader(br)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	return &csvReader{r: r}, delim
}

func (c *csvReader) Next() (rawRow, bool) {
	if c.err != nil {
		return rawRow{}, false
	}
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return rawRow{}, false
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			c.err = &rowError{row: c.row + 1 + max(pe.StartLine-c.endLine-1, 0),
				msg: fmt.Sprintf("the text cannot be read as CSV at line %d, character %d: %v; check the quotes in that row", pe.Line, pe.Column, pe.Err)}
		} else {
			c.err = err
		}
		return rawRow{}, false
	}
	start, _ := c.r.FieldPos(0)
	// Lines the csv package skipped were blank lines: rows to a spreadsheet.
	c.row += 1 + max(start-c.endLine-1, 0)
	last := len(rec) - 1
	lastLine, _ := c.r.FieldPos(last)
	c.endLine = lastLine + strings.Count(rec[last], "\n")
	return rawRow{num: c.row, cells: rec}, true
}

func (c *csvReader) Err() error { return c.err }

// rowError is a structural error located at a row.
type rowError struct {
	row int
	msg string
}

func (e *rowError) Error() string { return fmt.Sprintf("row %d: %s", e.row, e.msg) }
