package importer

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// The text encodings a CSV file may be in, as reports name them.
const (
	EncUTF8        = "UTF-8"
	EncUTF8BOM     = "UTF-8 with BOM"
	EncUTF16LE     = "UTF-16LE"
	EncUTF16BE     = "UTF-16BE"
	EncWindows1252 = "Windows-1252"
)

// decodeText returns a reader of data as UTF-8 and the encoding it chose:
// the byte-order mark decides when there is one; otherwise valid UTF-8 is
// UTF-8, and anything else is read as Windows-1252, the superset of
// Latin-1 that Excel on Windows writes ("CSV" rather than "CSV UTF-8").
// The reader decodes as it goes, so the file is not held twice.
func decodeText(data []byte) (io.Reader, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return bytes.NewReader(data[3:]), EncUTF8BOM
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(bytes.NewReader(data), dec), EncUTF16LE
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(bytes.NewReader(data), dec), EncUTF16BE
	case utf8.Valid(data):
		return bytes.NewReader(data), EncUTF8
	}
	return transform.NewReader(bytes.NewReader(data), charmap.Windows1252.NewDecoder()), EncWindows1252
}

// looksUTF16WithoutBOM reports whether text without a byte-order mark has
// the NUL bytes of UTF-16, which no CSV in a single-byte encoding has.
func looksUTF16WithoutBOM(data []byte) bool {
	head := data[:min(len(data), 512)]
	return bytes.Count(head, []byte{0}) > len(head)/4
}
