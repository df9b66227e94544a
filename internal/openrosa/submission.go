package openrosa

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// The part that carries the instance, as OpenRosa names it.
const instancePart = "xml_submission_file"

// incompletePart is the form field ODK Collect adds, with the value "yes",
// to every request but the last when it splits a submission whose files
// pass AcceptContentLength; each request repeats the instance.
const incompletePart = "*isIncomplete*"

// Limits of a submission request. ODK Collect splits a submission whose
// attachments pass the limit a server announces (AcceptContentLength) into
// several requests; each of them repeats the instance.
const (
	MaxAttachmentBytes  = 10 << 20
	MaxSubmissionBytes  = 50 << 20
	maxAttachmentsCount = 50
)

// AcceptContentLength is the announced request limit, in the
// X-OpenRosa-Accept-Content-Length header of the pre-flight answer.
var AcceptContentLength = strconv.Itoa(MaxSubmissionBytes)

// Attachment is a file sent with an instance.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Submission is what one submission request carried.
type Submission struct {
	XML         []byte
	Attachments []Attachment
	// Incomplete is true when the client says more requests follow with
	// further attachments of the same instance.
	Incomplete bool
}

// ReadSubmission reads a POST of multipart/form-data: the instance in the
// xml_submission_file part and any attachments. Oversized requests, parts
// and instances are refused with a message naming the part.
func ReadSubmission(r *http.Request) (*Submission, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, invalid("", "A submission is sent as multipart/form-data with the instance in the part %s.", instancePart)
	}
	body := http.MaxBytesReader(nil, r.Body, MaxSubmissionBytes)
	mr := multipart.NewReader(body, params["boundary"])
	sub := &Submission{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, tooLargeOr(err, invalid("", "The submission's multipart body cannot be read: %v.", err))
		}
		name := part.FormName()
		if name == instancePart {
			if sub.XML != nil {
				return nil, invalid(instancePart, "The part %s appears twice.", instancePart)
			}
			data, err := readPart(part, MaxInstanceBytes)
			if err != nil {
				return nil, err
			}
			sub.XML = data
			continue
		}
		if name == incompletePart && part.FileName() == "" {
			v, err := readPart(part, 16)
			if err != nil {
				return nil, err
			}
			sub.Incomplete = strings.EqualFold(strings.TrimSpace(string(v)), "yes")
			continue
		}
		if len(sub.Attachments) >= maxAttachmentsCount {
			return nil, invalid(name, "A submission may carry at most %d attachments.", maxAttachmentsCount)
		}
		file := part.FileName()
		if file == "" {
			file = name
		}
		if file != path.Base(file) || file == "." || file == "" {
			return nil, invalid(name, "The attachment's file name %q is not a plain file name.", file)
		}
		data, err := readPart(part, MaxAttachmentBytes)
		if err != nil {
			return nil, err
		}
		ct := part.Header.Get("Content-Type")
		if ct == "" {
			ct = http.DetectContentType(data)
		}
		sub.Attachments = append(sub.Attachments, Attachment{Name: file, ContentType: ct, Data: data})
	}
	if sub.XML == nil {
		return nil, invalid(instancePart, "The submission has no part named %s holding the instance.", instancePart)
	}
	return sub, nil
}

// readPart reads a part up to limit bytes.
func readPart(part *multipart.Part, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(part, limit+1))
	if err != nil {
		return nil, tooLargeOr(err, invalid(part.FormName(), "The part %s cannot be read: %v.", part.FormName(), err))
	}
	if int64(len(data)) > limit {
		return nil, &problem.Error{Kind: problem.TooLarge, Message: fmt.Sprintf("The part %s (%s) is larger than %d MB.", part.FormName(), part.FileName(), limit>>20),
			Details: []problem.Detail{{Field: part.FormName(), Message: fmt.Sprintf("At most %d bytes.", limit)}}}
	}
	return data, nil
}

func tooLargeOr(err, other error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &problem.Error{Kind: problem.TooLarge, Message: fmt.Sprintf("The submission is larger than %d MB; send fewer attachments at a time.", MaxSubmissionBytes>>20)}
	}
	return other
}
