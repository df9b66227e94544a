package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// JSON writes v as JSON with the given status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// ProblemDetails is an RFC 9457 problem-details body, with the located
// problems of invalid input in "errors".
type ProblemDetails struct {
	Type     string           `json:"type"`
	Title    string           `json:"title"`
	Status   int              `json:"status"`
	Detail   string           `json:"detail,omitempty"`
	Instance string           `json:"instance,omitempty"`
	Errors   []problem.Detail `json:"errors,omitempty"`
}

// publicError turns err into a status and a message safe to show. Errors that
// are not problems are logged with their cause and replaced by a generic text.
func publicError(r *http.Request, err error, logger *slog.Logger) (int, string) {
	loc := i18n.For(i18n.FromRequest(r))
	var p *problem.Error
	if !errors.As(err, &p) || p.Kind == problem.Internal {
		logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		return http.StatusInternalServerError, loc.T("common.internal_error")
	}
	msg := p.Message
	switch {
	case p.Kind == problem.NotFound && msg == "":
		msg = loc.T("common.not_found")
	case p.Kind == problem.Forbidden && msg == "":
		msg = loc.T("common.forbidden")
	}
	return p.Kind.Status(), msg
}

// APIError writes err as problem details.
func APIError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	status, msg := publicError(r, err, logger)
	body := ProblemDetails{
		Type:     "about:blank",
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   msg,
		Instance: r.URL.Path,
	}
	if p := problem.As(err); p != nil {
		body.Type = "https://clusterobservatory.org/problems/" + string(p.Kind)
		body.Errors = p.Details
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// DecodeJSON reads a JSON request body into v, refusing unknown fields and
// bodies over maxBytes, with a problem that says what is wrong.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any, maxBytes int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &mbe):
			return problem.New(problem.TooLarge, "The request body is larger than %d bytes.", maxBytes)
		case errors.As(err, &te):
			return &problem.Error{Kind: problem.Invalid, Message: "A field has the wrong type.",
				Details: []problem.Detail{{Field: te.Field, Message: "expected " + te.Type.String()}}}
		case errors.As(err, &se):
			return problem.New(problem.Invalid, "The request body is not valid JSON (at byte %d).", se.Offset)
		default:
			return problem.New(problem.Invalid, "The request body could not be read: %v", err)
		}
	}
	return nil
}
