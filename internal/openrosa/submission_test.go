package openrosa

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// submissionRequest builds a POST as ODK Collect sends it.
func submissionRequest(t *testing.T, parts map[string][]byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, data := range parts {
		file := name
		if name == instancePart {
			file = "instance.xml"
		}
		w, err := mw.CreateFormFile(name, file)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/openrosa/k/submission", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

func TestReadSubmission(t *testing.T) {
	photo := append([]byte("\xff\xd8\xff\xe0"), make([]byte, 100)...)
	sub, err := ReadSubmission(submissionRequest(t, map[string][]byte{instancePart: []byte(goodInstance), "shop.jpg": photo}))
	if err != nil {
		t.Fatal(err)
	}
	if string(sub.XML) != goodInstance || len(sub.Attachments) != 1 || sub.Attachments[0].Name != "shop.jpg" || len(sub.Attachments[0].Data) != len(photo) {
		t.Fatalf("read %d bytes, attachments %+v", len(sub.XML), sub.Attachments)
	}

	tests := []struct {
		name string
		req  *http.Request
		kind problem.Kind
		msg  string
	}{
		{"no instance", submissionRequest(t, map[string][]byte{"shop.jpg": photo}), problem.Invalid, "no part named xml_submission_file"},
		{"big attachment", submissionRequest(t, map[string][]byte{instancePart: []byte(goodInstance), "film.mp4": make([]byte, MaxAttachmentBytes+1)}), problem.TooLarge, "larger than 10 MB"},
		{"big instance", submissionRequest(t, map[string][]byte{instancePart: make([]byte, MaxInstanceBytes+1)}), problem.TooLarge, "xml_submission_file"},
		{"not multipart", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/openrosa/k/submission", strings.NewReader(goodInstance))
			r.Header.Set("Content-Type", "text/xml")
			return r
		}(), problem.Invalid, "multipart/form-data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSubmission(tt.req)
			if p := problem.As(err); p == nil || p.Kind != tt.kind || !strings.Contains(p.Message, tt.msg) {
				t.Fatalf("got %v, want %s %q", err, tt.kind, tt.msg)
			}
		})
	}
}

func TestWriteXML(t *testing.T) {
	w := httptest.NewRecorder()
	WriteXML(w, http.StatusCreated, Response(NatureSubmitSuccess, "ok"))
	if w.Code != 201 || w.Header().Get("X-OpenRosa-Version") != "1.0" || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/xml") {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
}

// ODK Collect marks all but the last request of a split submission with
// the form field *isIncomplete*; it is a flag, not an attachment.
func TestReadSubmissionIncomplete(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile(instancePart, "instance.xml")
	w.Write([]byte(goodInstance))
	w, _ = mw.CreateFormFile("shop.jpg", "shop.jpg")
	w.Write([]byte("\xff\xd8\xff\xe0"))
	mw.WriteField(incompletePart, "yes")
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/openrosa/k/submission", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	sub, err := ReadSubmission(r)
	if err != nil {
		t.Fatal(err)
	}
	if !sub.Incomplete || len(sub.Attachments) != 1 || sub.Attachments[0].Name != "shop.jpg" {
		t.Errorf("incomplete %v, attachments %+v", sub.Incomplete, sub.Attachments)
	}
}
