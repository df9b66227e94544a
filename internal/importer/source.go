package importer

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/textfile"
)

// The limits of one import file.
const (
	// MaxBytes is the largest file accepted: 20 MB.
	MaxBytes = 20 << 20
	// MaxRows is the most data rows (after the header, blank rows not
	// counted) one file may have.
	MaxRows = 100_000
)

// The file formats, detected from the content rather than the name.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Source describes how a file was read, so that a person whose file was
// misread can see why.
type Source struct {
	File      string `json:"file"`
	Format    string `json:"format"`
	Sheet     string `json:"sheet,omitempty"`
	Encoding  string `json:"encoding,omitempty"`
	Delimiter string `json:"delimiter,omitempty"`
}

// errTooLarge is the problem of a file over MaxBytes.
func errTooLarge(file string) *problem.Error {
	return &problem.Error{Kind: problem.TooLarge, Message: "The file is too large.",
		Details: []problem.Detail{{File: file, Message: fmt.Sprintf("the file is larger than %d MB; split it into smaller files", MaxBytes>>20)}}}
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// open sniffs the content of a file and returns a reader of its rows. The
// name is only used in messages: a CSV called .xlsx is read as CSV.
func open(kind Kind, name string, data []byte) (rowReader, Source, func(), error) {
	src := Source{File: name}
	none := func() {}
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, src, none, errors.New("the file is empty: fill in the template's header row and at least one row of data")
	case len(data) > MaxBytes:
		return nil, src, none, errTooLarge(name)
	case bytes.HasPrefix(data, oleMagic):
		return nil, src, none, errors.New("the file is an Excel 97–2003 workbook (.xls) or a password-protected one; save it as .xlsx (Excel Workbook) or CSV without a password")
	case bytes.HasPrefix(data, zipMagic):
		x, err := openXLSX(data, kind)
		if err != nil {
			return nil, src, none, err
		}
		src.Format, src.Sheet = FormatXLSX, x.sheet
		return x, src, x.Close, nil
	}
	text, enc := decodeText(data)
	if enc == EncUTF8 || enc == EncWindows1252 {
		if looksUTF16WithoutBOM(data) {
			return nil, src, none, errors.New("the file looks like UTF-16 text without a byte-order mark; save it as \"CSV UTF-8\"")
		}
		if bytes.IndexByte(data[:min(len(data), 4096)], 0) >= 0 {
			return nil, src, none, errors.New("the file is neither CSV text nor an .xlsx workbook")
		}
	}
	r, delim := newCSVReader(text)
	src.Format, src.Encoding, src.Delimiter = FormatCSV, enc, textfile.DelimiterNames[delim]
	return r, src, none, nil
}
