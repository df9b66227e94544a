package importer

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// XLSXType is the media type of an .xlsx workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// upload is a file sent to be imported, with the small form fields that
// came with it.
type upload struct {
	name   string
	data   []byte
	fields map[string]string
}

// readUpload reads a multipart form (the file in the field "file") or, for
// scripts, a raw CSV or XLSX body. Files over MaxBytes are refused with a
// too-large problem; the body is read once, never buffered twice.
func readUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBytes+64<<10)
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	up := &upload{fields: map[string]string{}}
	if mt != "multipart/form-data" {
		switch mt {
		case "text/csv", "text/plain", "application/csv", XLSXType, "application/octet-stream":
		default:
			return nil, problem.New(problem.Invalid, "Send the file as multipart/form-data in the field \"file\", or as the body with Content-Type text/csv or %s.", XLSXType)
		}
		up.name = uploadName(r.URL.Query().Get("filename"), mt)
		data, err := readLimited(r.Body, up.name)
		up.data = data
		return up, err
	}
	if params["boundary"] == "" {
		return nil, problem.New(problem.Invalid, "The multipart form has no boundary.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, problem.New(problem.Invalid, "The form cannot be read: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if isTooLarge(err) {
				return nil, errTooLarge(up.name)
			}
			return nil, problem.New(problem.Invalid, "The form cannot be read: %v", err)
		}
		if part.FormName() == "file" {
			if part.FileName() == "" {
				// A form submitted without choosing a file.
				continue
			}
			up.name = uploadName(part.FileName(), "")
			if up.data, err = readLimited(part, up.name); err != nil {
				return nil, err
			}
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(part, 1024))
		up.fields[part.FormName()] = string(b)
	}
	return up, nil
}

// readLimited reads at most MaxBytes, and a too-large problem beyond.
func readLimited(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		if isTooLarge(err) {
			return nil, errTooLarge(name)
		}
		return nil, problem.New(problem.Invalid, "The file could not be received: %v", err)
	}
	if len(data) > MaxBytes {
		return nil, errTooLarge(name)
	}
	return data, nil
}

func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// uploadName keeps only the base name of an uploaded file, for messages.
func uploadName(name, mediaType string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	if name == "." || name == "/" || name == "" {
		if mediaType == XLSXType {
			return "upload.xlsx"
		}
		return "upload.csv"
	}
	return name
}
