package implementation

import (
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"
)

// MaxAttachmentBytes is the largest receipt or piece of evidence kept.
const MaxAttachmentBytes = 5 << 20

// attachmentTypes are the kinds of file kept, as content sniffing names them.
var attachmentTypes = map[string]string{"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

// File is an uploaded file before it is checked.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"content_base64"`
}

// CheckFile tells the kind of an uploaded file from its first bytes (never
// its name) and returns its content type, or a message for the person when
// it is empty, too large or not a PDF, JPEG or PNG.
func CheckFile(f *File) (string, error) {
	if len(f.Data) == 0 {
		return "", fmt.Errorf("The file %q is empty.", f.Name)
	}
	if len(f.Data) > MaxAttachmentBytes {
		return "", fmt.Errorf("The file %q is larger than %d MB.", f.Name, MaxAttachmentBytes>>20)
	}
	ct := http.DetectContentType(f.Data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if _, ok := attachmentTypes[ct]; !ok {
		return "", fmt.Errorf("The file %q is not a PDF, JPEG or PNG (its content reads as %s): scan or save it as one of these.", f.Name, ct)
	}
	return ct, nil
}

// cleanName keeps the last part of a file name, short and printable.
func cleanName(name, contentType string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == '"' || r == 127 {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" || name == "" {
		name = "attachment" + attachmentTypes[contentType]
	}
	for utf8.RuneCountInString(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}
