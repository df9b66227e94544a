// Package problem defines the platform's one error type. A Problem has a
// kind that implies an HTTP status, a message safe to show to users, and
// optional located details (file, sheet, row, field) for bad input. Raw
// driver and system errors never reach users; they stay in the logs.
package problem

import (
	"errors"
	"fmt"
	"net/http"
)

// Kind classifies a problem and decides its HTTP status.
type Kind string

// The kinds of problem.
const (
	Invalid      Kind = "invalid"
	NotFound     Kind = "not-found"
	Conflict     Kind = "conflict"
	Forbidden    Kind = "forbidden"
	Unauthorized Kind = "unauthorized"
	TooMany      Kind = "too-many-requests"
	TooLarge     Kind = "too-large"
	Internal     Kind = "internal"
)

// Status is the HTTP status that goes with a kind.
func (k Kind) Status() int {
	switch k {
	case Invalid:
		return http.StatusUnprocessableEntity
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Forbidden:
		return http.StatusForbidden
	case Unauthorized:
		return http.StatusUnauthorized
	case TooMany:
		return http.StatusTooManyRequests
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// Detail locates one problem in the input: a form or JSON field, or a cell
// of an uploaded file.
type Detail struct {
	File    string `json:"file,omitempty"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Location renders where the detail points, for plain-text messages.
func (d Detail) Location() string {
	s := ""
	if d.File != "" {
		s += d.File
	}
	if d.Sheet != "" {
		s += " sheet " + d.Sheet
	}
	if d.Row > 0 {
		s += fmt.Sprintf(" row %d", d.Row)
	}
	if d.Field != "" {
		s += " " + d.Field
	}
	if len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	return s
}

// Error is a problem that may be shown to the person who caused it.
type Error struct {
	Kind    Kind
	Message string
	Details []Detail
	Err     error // the cause, for logs only
}

func (e *Error) Error() string {
	s := string(e.Kind) + ": " + e.Message
	for _, d := range e.Details {
		s += "; " + d.Location() + ": " + d.Message
	}
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New makes a problem of the given kind.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf reports a missing record.
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// Forbiddenf reports an action outside the caller's role or scope.
func Forbiddenf(format string, args ...any) *Error { return New(Forbidden, format, args...) }

// Conflictf reports a clash with stored data.
func Conflictf(format string, args ...any) *Error { return New(Conflict, format, args...) }

// Fields collects field problems while validating input.
type Fields []Detail

// Add records a problem with one field.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, Detail{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Has reports whether a field already has a problem.
func (f Fields) Has(field string) bool {
	for _, d := range f {
		if d.Field == field {
			return true
		}
	}
	return false
}

// Err returns an Invalid problem listing the fields, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: "Some fields need attention.", Details: f}
}

// KindOf returns the kind of err, Internal for errors that are not problems.
func KindOf(err error) Kind {
	var p *Error
	if errors.As(err, &p) {
		return p.Kind
	}
	return Internal
}

// As returns err as a problem, or nil.
func As(err error) *Error {
	var p *Error
	if errors.As(err, &p) {
		return p
	}
	return nil
}

// Is reports whether err is a problem of kind k.
func Is(err error, k Kind) bool { return KindOf(err) == k }
