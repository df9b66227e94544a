package web

import (
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// FormErrors maps field names to messages for re-rendering a form; the
// summary lists them in order with links to the fields.
type FormErrors struct {
	Message string
	Fields  []problem.Detail
}

// NewFormErrors turns a validation problem into form errors; other errors
// give nil so the caller can treat them as failures.
func NewFormErrors(err error) *FormErrors {
	p := problem.As(err)
	if p == nil || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
		return nil
	}
	return &FormErrors{Message: p.Message, Fields: p.Details}
}

// For returns the message for one field, or "".
func (f *FormErrors) For(field string) string {
	if f == nil {
		return ""
	}
	for _, d := range f.Fields {
		if d.Field == field {
			return d.Message
		}
	}
	return ""
}

// Any reports whether there are errors.
func (f *FormErrors) Any() bool { return f != nil && (len(f.Fields) > 0 || f.Message != "") }

// ParseID reads a positive record ID from a path value.
func ParseID(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, problem.NotFoundf("")
	}
	return n, nil
}
