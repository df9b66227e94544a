package mapping

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/clusterobservatory/observatory/internal/textfile"
)

// Employment files are read as the organisation importer reads its files
// (internal/importer), but streamed: a dataset may have millions of rows, so
// a CSV file is decoded and split as it is read and never held whole. The
// format is sniffed from the content: a zip is an .xlsx workbook, an OLE2
// file (.xls) is refused, anything else is CSV. CSV text is decoded by its
// byte-order mark (UTF-8, UTF-16LE/BE), else as UTF-8 when its first 64 KB
// are valid UTF-8, else as Windows-1252; the delimiter is whichever of
// comma, semicolon and tab occurs most often in the header line. A workbook
// is read with excelize's row iterator (raw values, not formatted ones),
// which must hold the zipped workbook in memory, hence its own size limit.

// The limits of an employment file.
const (
	// MaxEmploymentBytes is the largest CSV file accepted: 1 GiB, about
	// 25 million rows.
	MaxEmploymentBytes = 1 << 30
	// MaxEmploymentXLSXBytes is the largest workbook accepted; Excel holds
	// at most 1,048,576 rows a sheet anyway.
	MaxEmploymentXLSXBytes = 256 << 20
	// maxEmploymentRows bounds the data rows of one file.
	maxEmploymentRows = 20_000_000
	// employmentSheet is the sheet read from a workbook that has one of
	// that name; otherwise the first sheet is read.
	employmentSheet = "employment"
)

// The formats and encodings an employment file may be read as, as the
// summary names them.
const (
	formatCSV  = "csv"
	formatXLSX = "xlsx"
)

var (
	zipMagic  = []byte("PK\x03\x04")
	ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// sourceRows yields the rows of a file: the row number a spreadsheet shows
// (the header is row 1) and the cells, valid until the next call.
type sourceRows interface {
	next() (row int, cells []string, err error) // io.EOF at the end
	close()
}

// openEmploymentSource sniffs r and returns a reader of its rows, filling
// the format fields of sum. A file that cannot be read at all is a
// file-level error message.
func openEmploymentSource(r io.Reader, sum *EmploymentSummary) (sourceRows, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("the file cannot be read: %v", err)
	}
	switch {
	case len(bytes.TrimSpace(head)) == 0:
		return nil, errors.New("the file is empty: it needs a header row (year, area, industry, employment) and one row per cell")
	case bytes.HasPrefix(head, ole2Magic):
		return nil, errors.New("the file is an Excel 97–2003 workbook (.xls) or a password-protected one; save it as .xlsx (Excel Workbook) or CSV UTF-8 without a password")
	case bytes.HasPrefix(head, zipMagic):
		return openEmploymentXLSX(br, sum)
	}
	var text io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		sum.Encoding = "UTF-8 with BOM"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		text = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
		sum.Encoding = "UTF-16LE"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		text = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
		sum.Encoding = "UTF-16BE"
	case bytes.Count(head[:min(len(head), 512)], []byte{0}) > min(len(head), 512)/4:
		return nil, errors.New("the file looks like UTF-16 text without a byte-order mark; save it as CSV UTF-8")
	case bytes.IndexByte(head, 0) >= 0:
		return nil, errors.New("the file is neither CSV text nor an .xlsx workbook")
	case validUTF8Prefix(head):
		sum.Encoding = "UTF-8"
	default:
		text = transform.NewReader(br, charmap.Windows1252.NewDecoder())
		sum.Encoding = "Windows-1252"
	}
	tb := bufio.NewReaderSize(text, 256<<10)
	first, _ := tb.Peek(64 << 10)
	line := string(first)
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	delim := textfile.DetectDelimiter(line)
	cr := csv.NewReader(tb)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	sum.Format = formatCSV
	sum.Delimiter = map[rune]string{',': "comma", ';': "semicolon", '\t': "tab"}[delim]
	return &csvRows{r: cr, checkUTF8: sum.Encoding == "UTF-8"}, nil
}

// validUTF8Prefix reports whether b is UTF-8, allowing a character cut at
// the end of the peeked window.
func validUTF8Prefix(b []byte) bool {
	for cut := 0; cut < utf8.UTFMax && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
	}
	return utf8.Valid(b)
}

// csvRows numbers rows as a spreadsheet shows the file: one row per record,
// blank lines included, a quoted value with line breaks in one row.
type csvRows struct {
	r         *csv.Reader
	row       int
	endLine   int
	checkUTF8 bool
}

// errNotUTF8 is a row that is not UTF-8 in a file read as UTF-8.
type errNotUTF8 struct{ row int }

func (e errNotUTF8) Error() string {
	return fmt.Sprintf("row %d is not UTF-8 text while the rows before it are; save the whole file as CSV UTF-8", e.row)
}

func (c *csvRows) next() (int, []string, error) {
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return 0, nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			row := c.row + 1 + max(pe.StartLine-c.endLine-1, 0)
			return row, nil, fmt.Errorf("row %d cannot be read as CSV (line %d, character %d: %v); check the quotes in that row", row, pe.Line, pe.Column, pe.Err)
		}
		return 0, nil, fmt.Errorf("the file cannot be read: %v", err)
	}
	start, _ := c.r.FieldPos(0)
	c.row += 1 + max(start-c.endLine-1, 0)
	last := len(rec) - 1
	lastLine, _ := c.r.FieldPos(last)
	c.endLine = lastLine + strings.Count(rec[last], "\n")
	if c.checkUTF8 {
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return c.row, nil, errNotUTF8{c.row}
			}
		}
	}
	return c.row, rec, nil
}

func (c *csvRows) close() {}

// xlsxRows streams one worksheet.
type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

func openEmploymentXLSX(r io.Reader, sum *EmploymentSummary) (sourceRows, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxEmploymentXLSXBytes+1))
	if err != nil {
		return nil, fmt.Errorf("the file cannot be read: %v", err)
	}
	if len(data) > MaxEmploymentXLSXBytes {
		return nil, fmt.Errorf("the workbook is larger than %d MB; save the sheet as CSV UTF-8, which may be far larger", MaxEmploymentXLSXBytes>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 4 << 30, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, fmt.Errorf("the file looks like an Excel workbook but cannot be opened (%v); save it again as .xlsx or as CSV UTF-8", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("the workbook has no sheets")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), employmentSheet) {
			sheet = s
			break
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("the sheet %q cannot be read: %v", sheet, err)
	}
	sum.Format, sum.Sheet = formatXLSX, sheet
	return &xlsxRows{f: f, rows: rows}, nil
}

func (x *xlsxRows) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return x.row + 1, nil, fmt.Errorf("the sheet cannot be read after row %d: %v", x.row, err)
		}
		return 0, nil, io.EOF
	}
	// Each call to Next is the next row: excelize yields empty rows for gaps.
	x.row++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return x.row, nil, fmt.Errorf("row %d cannot be read: %v", x.row, err)
	}
	return x.row, cells, nil
}

func (x *xlsxRows) close() {
	x.rows.Close()
	x.f.Close()
}
