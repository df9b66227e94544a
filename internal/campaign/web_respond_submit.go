package campaign

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// POST /r/{token}/submissions takes the answers of the respondent page's
// script (frontend/src/respondent): a JSON body, or multipart/form-data
// with the JSON in the part "submission" and one part per chosen file. The
// script retries from its outbox until it gets a final answer, so the
// answers are 201 for a new submission, 200 for one already stored under
// the same instance ID, 410 for a link or campaign that no longer takes
// answers, and problem details (409, 413, 415, 422) for the rest.

// Limits of the files sent with a submission from the page.
const (
	MaxWebFileBytes  = 10 << 20
	MaxWebFiles      = 20
	maxWebUploadBody = MaxWebFileBytes*5 + MaxAnswersBytes
)

// PageSubmission is the JSON the respondent page sends.
type PageSubmission struct {
	InstanceID string          `json:"instance_id"`
	Answers    json.RawMessage `json:"answers"`
	// VersionID is the form version's ID the page was drawn from (a number;
	// a string of digits is taken too).
	VersionID json.Number `json:"version_id"`
}

// PageSubmitted is the answer to a stored submission.
type PageSubmitted struct {
	ID         int64  `json:"id"`
	InstanceID string `json:"instance_id"`
}

// pageUpload is a read request: the JSON, and the files' descriptions.
type pageUpload struct {
	raw   []byte
	files []Attachment
}

// readPageUpload reads a JSON or multipart body, refusing other media
// types, oversized bodies and files, and files of types not taken.
func readPageUpload(w http.ResponseWriter, r *http.Request) (*pageUpload, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	switch mt {
	case "application/json":
		r.Body = http.MaxBytesReader(w, r.Body, MaxAnswersBytes+64<<10)
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, tooLarge(err, problem.New(problem.TooLarge, "The answers are larger than %d bytes.", MaxAnswersBytes))
		}
		return &pageUpload{raw: raw}, nil
	case "multipart/form-data":
		if params["boundary"] == "" {
			return nil, problem.New(problem.Invalid, "The multipart body names no boundary.")
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxWebUploadBody)
		return readMultipart(multipart.NewReader(r.Body, params["boundary"]))
	}
	return nil, unsupported("Send the answers as application/json, or as multipart/form-data with the answers in the part " +
		"\"submission\" and one part per file.")
}

func readMultipart(mr *multipart.Reader) (*pageUpload, error) {
	up := &pageUpload{}
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, tooLarge(err, problem.New(problem.TooLarge, "The request is larger than %d MB; send fewer or smaller files.",
				maxWebUploadBody>>20))
		}
		name := part.FormName()
		if name == "submission" {
			if up.raw != nil {
				return nil, problem.Fields{{Field: "submission", Message: "The part \"submission\" appears twice."}}.Err()
			}
			up.raw, err = readLimited(part, MaxAnswersBytes)
			if err != nil {
				return nil, tooLarge(err, problem.New(problem.TooLarge, "The answers are larger than %d bytes.", MaxAnswersBytes))
			}
			continue
		}
		if name == "" || part.FileName() == "" {
			return nil, problem.Fields{{Field: name, Message: "Each part other than \"submission\" must be a file."}}.Err()
		}
		if len(up.files) == MaxWebFiles {
			return nil, problem.Fields{{Field: name, Message: fmt.Sprintf("A submission may carry at most %d files.", MaxWebFiles)}}.Err()
		}
		if seen[name] {
			return nil, problem.Fields{{Field: name, Message: fmt.Sprintf("The file %s is sent twice.", name)}}.Err()
		}
		seen[name] = true
		data, err := readLimited(part, MaxWebFileBytes)
		if err != nil {
			return nil, tooLarge(err, &problem.Error{Kind: problem.TooLarge,
				Message: fmt.Sprintf("The file %s is larger than %d MB; choose a smaller file.", name, MaxWebFileBytes>>20),
				Details: []problem.Detail{{Field: name, Message: fmt.Sprintf("larger than %d MB", MaxWebFileBytes>>20)}}})
		}
		// The type is read from the content, never taken from the browser.
		ctype, err := checkAttachment(name, data)
		if err != nil {
			return nil, err
		}
		up.files = append(up.files, Attachment{Name: name, ContentType: ctype, Size: int64(len(data)), Data: data})
	}
	if up.raw == nil {
		return nil, problem.Fields{{Field: "submission", Message: "The answers are missing: send them as JSON in the part \"submission\"."}}.Err()
	}
	return up, nil
}

// readLimited reads at most max bytes, failing with a MaxBytesError beyond.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &http.MaxBytesError{Limit: max}
	}
	return data, nil
}

// tooLarge returns large when err is a body or part over its limit, else
// a problem that says the body could not be read.
func tooLarge(err error, large error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return large
	}
	return problem.New(problem.Invalid, "The request body could not be read: %v.", err)
}

// fileAnswers lists the answers naming a file, at any depth.
func fileAnswers(v any, out map[string]bool) {
	switch x := v.(type) {
	case string:
		out[x] = true
	case []any:
		for _, e := range x {
			fileAnswers(e, out)
		}
	case map[string]any:
		for _, e := range x {
			fileAnswers(e, out)
		}
	}
}

// HandleRespondSubmit stores the answers the respondent page sends.
func HandleRespondSubmit(s *Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(err error) { pageProblem(w, r, logger, err) }
		token := r.PathValue("token")
		resp, err := s.Resolve(r.Context(), token)
		if err != nil {
			fail(err)
			return
		}
		up, err := readPageUpload(w, r)
		if err != nil {
			fail(err)
			return
		}
		var req PageSubmission
		dec := json.NewDecoder(bytes.NewReader(up.raw))
		if err := dec.Decode(&req); err != nil {
			fail(problem.New(problem.Invalid, "The answers are not valid JSON: send {\"instance_id\", \"version_id\", \"answers\"}."))
			return
		}
		version, err := strconv.ParseInt(req.VersionID.String(), 10, 64)
		switch {
		case req.VersionID == "" || err != nil:
			fail(problem.Fields{{Field: "version_id", Message: "Name the form version the answers were given in."}}.Err())
			return
		case version != resp.Campaign.VersionID:
			fail(problem.Fields{{Field: "version_id", Message: fmt.Sprintf(
				"These answers were given in form version #%d, but the campaign collects version #%d; open the link again and answer in the current form.",
				version, resp.Campaign.VersionID)}}.Err())
			return
		}
		def, err := s.definition(r, resp.Campaign.VersionID)
		if err != nil {
			fail(err)
			return
		}
		answers := decodeAnswers(req.Answers)
		// The page checked the answers when they were given, maybe
		// offline and days ago.
		if bad := CheckAnswers(def, answers, Checking{Earlier: true}); len(bad) > 0 {
			msgs := make([]string, len(bad))
			for i := range bad {
				msgs[i] = bad[i].Field + ": " + bad[i].Message
				bad[i].Field = "answers." + bad[i].Field
			}
			fail(&problem.Error{Kind: problem.Invalid, Message: "Some answers need attention. " + strings.Join(msgs, " "), Details: bad})
			return
		}
		if len(up.files) > 0 {
			named := map[string]bool{}
			fileAnswers(answers, named)
			for _, f := range up.files {
				if !named[f.Name] {
					fail(problem.Fields{{Field: f.Name, Message: fmt.Sprintf("No answer names the file %s.", f.Name)}}.Err())
					return
				}
			}
		}
		// Every file an image or file answer names is listed: the ones
		// not sent (or kept from the answers this replaces) are missing.
		in := SubmissionInput{Token: token, FormVersionID: version, InstanceID: req.InstanceID, Channel: ChannelWeb,
			Answers: req.Answers, Raw: up.raw, RawType: "application/json", Attachments: withNamedFiles(FileFieldNames(def, answers), up.files),
			// Sending again after answering replaces the earlier answers,
			// as the plain page does.
			ReplaceLatest: true}
		sub, created, err := s.Submit(r.Context(), in)
		if err != nil {
			fail(err)
			return
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		w.Header().Set("Cache-Control", "no-store")
		web.JSON(w, status, PageSubmitted{ID: sub.ID, InstanceID: sub.InstanceID})
	})
}

// errUnsupportedMedia marks a body or file of a media type not taken (415).
var errUnsupportedMedia = errors.New("unsupported media type")

func unsupported(msg string) error {
	return &problem.Error{Kind: problem.Invalid, Message: msg, Err: errUnsupportedMedia}
}

// pageProblem writes err as problem details. A link or campaign that no
// longer takes answers is 410 Gone, so the page stops retrying and says
// why; a media type not taken is 415.
func pageProblem(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	w.Header().Set("Cache-Control", "no-store")
	status, kind := 0, ""
	switch {
	case errors.Is(err, ErrGone):
		status, kind = http.StatusGone, "gone"
	case errors.Is(err, errUnsupportedMedia):
		status, kind = http.StatusUnsupportedMediaType, "unsupported-media-type"
	default:
		web.APIError(w, r, logger, err)
		return
	}
	body := web.ProblemDetails{Type: "https://clusterobservatory.org/problems/" + kind, Title: http.StatusText(status),
		Status: status, Detail: "This link no longer takes answers.", Instance: r.URL.Path}
	if p := problem.As(err); p != nil {
		if p.Message != "" {
			body.Detail = p.Message
		}
		body.Errors = p.Details
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
