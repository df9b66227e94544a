package openrosa

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Limits of a submitted instance. A firm's annual survey is a few
// kilobytes; the limits leave room for long rosters and stop a document
// built to exhaust memory.
const (
	MaxInstanceBytes = 2 << 20
	maxDepth         = 32
	maxElements      = 50_000
	maxProblems      = 100
)

// Instance is a submitted instance read against its form version.
type Instance struct {
	FormID  string
	Version string
	// InstanceID is the client-made ID from meta/instanceID ("uuid:…");
	// DeprecatedID, when set, names the instance this one edits.
	InstanceID   string
	DeprecatedID string
	InstanceName string
	// Answers maps field names to values: int64 for integers, float64 for
	// decimals, []string for select_multiple, string for everything else;
	// a group's fields sit beside the others (names are unique in a form)
	// and a repeat is a []map[string]any, one map per occurrence. A field
	// left empty is absent.
	Answers map[string]any
	// Attachments are the file names the instance's image and file fields
	// refer to; their bytes come as other parts of the submission.
	Attachments []string
}

// node is an element of the submitted document.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     strings.Builder
}

// Peek reads the form ID and version a submitted instance claims, so that
// the caller can find the version to read it against.
func Peek(data []byte) (formID, version string, err error) {
	root, err := parseTree(data)
	if err != nil {
		return "", "", err
	}
	formID = root.attrs["id"]
	if formID == "" {
		return "", "", invalid("", "The instance's root element <%s> has no id attribute naming its form.", root.name)
	}
	return formID, root.attrs["version"], nil
}

// ParseInstance reads a submitted instance of def's form version.
func ParseInstance(def *form.Definition, data []byte) (*Instance, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	in := &Instance{FormID: root.attrs["id"], Version: root.attrs["version"], Answers: map[string]any{}}
	if in.FormID != def.FormID {
		return nil, &problem.Error{Kind: problem.Conflict,
			Message: fmt.Sprintf("The instance answers the form %q, not %q.", in.FormID, def.FormID)}
	}
	if in.Version != def.Version {
		return nil, &problem.Error{Kind: problem.Conflict,
			Message: fmt.Sprintf("The instance answers version %q of the form %q, not version %q; download the form again.", in.Version, def.FormID, def.Version)}
	}
	r := &reader{def: def, byPath: map[string]*form.Field{}, in: in}
	for i := range def.Fields {
		r.byPath[def.Fields[i].Path] = &def.Fields[i]
	}
	rootPath := "/" + def.FormID
	r.children(root, rootPath, in.Answers, true)
	if in.InstanceID == "" && len(r.problems) == 0 {
		r.add(rootPath+"/meta/instanceID", "The instance has no meta/instanceID; every submission needs a client-made ID.")
	}
	if len(r.problems) > 0 {
		return nil, &problem.Error{Kind: problem.Invalid,
			Message: fmt.Sprintf("The instance of %s cannot be stored: %s", def.FormID, r.problems[0].Message), Details: r.problems}
	}
	return in, nil
}

type reader struct {
	def      *form.Definition
	byPath   map[string]*form.Field
	in       *Instance
	problems []problem.Detail
}

func (r *reader) add(field, format string, args ...any) {
	if len(r.problems) < maxProblems {
		r.problems = append(r.problems, problem.Detail{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

// children reads the elements under n (whose path is p) into answers.
func (r *reader) children(n *node, p string, answers map[string]any, top bool) {
	for _, c := range n.children {
		cp := p + "/" + c.name
		if top && c.name == "meta" {
			r.meta(c, cp)
			continue
		}
		f, ok := r.byPath[cp]
		if !ok {
			r.add(cp, "<%s> is not a field of version %q of the form %s.", c.name, r.def.Version, r.def.FormID)
			continue
		}
		switch f.Type {
		case form.TypeGroup:
			r.children(c, cp, answers, false)
		case form.TypeRepeat:
			row := map[string]any{}
			r.children(c, cp, row, false)
			rows, _ := answers[f.Name].([]map[string]any)
			answers[f.Name] = append(rows, row)
		default:
			if len(c.children) > 0 {
				r.add(cp, "<%s> holds elements; a %s field holds a value.", c.name, f.Type)
				continue
			}
			if _, dup := answers[f.Name]; dup {
				r.add(cp, "<%s> appears twice.", c.name)
				continue
			}
			if v, ok := r.value(f, cp, strings.TrimSpace(c.text.String())); ok {
				answers[f.Name] = v
			}
		}
	}
}

// meta reads the instance's metadata; elements other than the IDs and
// name (device ID, timings) are accepted and not kept.
func (r *reader) meta(n *node, p string) {
	for _, c := range n.children {
		v := strings.TrimSpace(c.text.String())
		switch c.name {
		case "instanceID":
			r.in.InstanceID = v
		case "deprecatedID":
			r.in.DeprecatedID = v
		case "instanceName":
			r.in.InstanceName = v
		}
	}
	for _, id := range []struct{ name, v string }{{"instanceID", r.in.InstanceID}, {"deprecatedID", r.in.DeprecatedID}} {
		if id.v != "" && !validInstanceID(id.v) {
			r.add(p+"/"+id.name, "%q is not an instance ID: use \"uuid:\" and a UUID, or up to 100 letters, digits, dashes and colons.", id.v)
		}
	}
}

// validInstanceID accepts the IDs clients make: "uuid:" and a UUID, or
// another short ID of safe characters.
func validInstanceID(s string) bool {
	if len(s) == 0 || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == ':' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// value converts a leaf's text by the field's type; empty is absent.
func (r *reader) value(f *form.Field, p, s string) (any, bool) {
	if s == "" {
		return nil, false
	}
	bad := func(format string, args ...any) (any, bool) {
		r.add(p, format, args...)
		return nil, false
	}
	switch f.Type {
	case form.TypeInteger:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return bad("%q is not a whole number.", s)
		}
		return n, true
	case form.TypeDecimal:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("%q is not a number.", s)
		}
		return x, true
	case form.TypeSelectOne:
		if !r.choice(f, s) {
			return bad("%q is not a choice of the list %s.", s, f.ChoiceList)
		}
		return s, true
	case form.TypeSelectMultiple:
		picked := strings.Fields(s)
		for _, c := range picked {
			if !r.choice(f, c) {
				return bad("%q is not a choice of the list %s.", c, f.ChoiceList)
			}
		}
		return picked, true
	case form.TypeDate:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return bad("%q is not a date (YYYY-MM-DD).", s)
		}
	case form.TypeDateTime:
		if _, err := parseDateTime(s); err != nil {
			return bad("%q is not a date and time (such as 2025-03-04T10:15:00.000-04:00).", s)
		}
	case form.TypeGeopoint:
		if !validGeopoint(s) {
			return bad("%q is not a point: give latitude and longitude in degrees, then optionally altitude and accuracy in metres, separated by spaces.", s)
		}
	case form.TypeImage, form.TypeFile:
		if s != path.Base(s) || s == "." || s == ".." || strings.ContainsAny(s, `\`) || len(s) > 255 {
			return bad("%q is not the name of an attached file.", s)
		}
		r.in.Attachments = append(r.in.Attachments, s)
	}
	return s, true
}

func (r *reader) choice(f *form.Field, name string) bool {
	list, ok := r.def.ChoiceList(f.ChoiceList)
	if !ok {
		return false
	}
	return slices.ContainsFunc(list.Choices, func(c form.Choice) bool { return c.Name == name })
}

// parseDateTime reads the date-times ODK clients write (milliseconds and a
// numeric offset) and plain RFC 3339.
func parseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.000-07:00", time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a date-time")
}

func validGeopoint(s string) bool {
	parts := strings.Fields(s)
	if len(parts) < 2 || len(parts) > 4 {
		return false
	}
	for i, p := range parts {
		x, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
		if (i == 0 && math.Abs(x) > 90) || (i == 1 && math.Abs(x) > 180) || (i == 3 && x < 0) {
			return false
		}
	}
	return true
}

// parseTree reads the document into elements, by local name (clients may
// put the meta block in the OpenRosa namespace), within the limits.
func parseTree(data []byte) (*node, error) {
	if len(data) > MaxInstanceBytes {
		return nil, &problem.Error{Kind: problem.TooLarge,
			Message: fmt.Sprintf("The instance is %d bytes; at most %d are accepted.", len(data), MaxInstanceBytes)}
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var (
		root  *node
		stack []*node
		count int
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, invalid("", "The instance is not well-formed XML: %v.", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count > maxElements {
				return nil, invalid("", "The instance has more than %d elements.", maxElements)
			}
			if len(stack) >= maxDepth {
				return nil, invalid("", "The instance nests elements more than %d deep.", maxDepth)
			}
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				if a.Name.Space == "" || a.Name.Space == "xmlns" {
					n.attrs[a.Name.Local] = a.Value
				}
			}
			switch {
			case len(stack) > 0:
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			case root != nil:
				return nil, invalid("", "The instance has more than one root element.")
			default:
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.Directive:
			// A DOCTYPE could declare entities; an instance has no use for one.
			return nil, invalid("", "The instance may not contain a DOCTYPE or other directive.")
		}
	}
	if root == nil {
		return nil, invalid("", "The instance is empty: it has no root element.")
	}
	return root, nil
}

func invalid(field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &problem.Error{Kind: problem.Invalid, Message: msg, Details: []problem.Detail{{Field: field, Message: msg}}}
}
