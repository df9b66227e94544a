package audit

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// Change is one field that differs between a record's state before and
// after a write.
type Change struct {
	Field   string // dotted path for nested objects: "address.city"
	Old     string // the value before, as text ("" when absent or null)
	New     string // the value after
	Added   bool   // the field did not exist before
	Removed bool   // the field does not exist after
}

// Diff compares two JSON objects and lists the fields whose values differ,
// sorted by field. Nested objects are compared field by field; arrays and
// other values as a whole. Either side may be empty (a creation or a
// deletion); a side that is not an object counts as one unnamed field.
func Diff(before, after json.RawMessage) ([]Change, error) {
	b, err := flatten(before)
	if err != nil {
		return nil, err
	}
	a, err := flatten(after)
	if err != nil {
		return nil, err
	}
	var out []Change
	for k, old := range b {
		nw, ok := a[k]
		switch {
		case !ok:
			out = append(out, Change{Field: k, Old: old, Removed: true})
		case nw != old:
			out = append(out, Change{Field: k, Old: old, New: nw})
		}
	}
	for k, nw := range a {
		if _, ok := b[k]; !ok {
			out = append(out, Change{Field: k, New: nw, Added: true})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out, nil
}

// flatten reads a JSON document into field → text, with nested objects'
// fields under dotted names. Empty input or null is no fields at all.
func flatten(raw json.RawMessage) (map[string]string, error) {
	out := map[string]string{}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep large IDs and amounts exact
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		out[""] = text(v)
		return out, nil
	}
	walk(out, "", obj)
	return out, nil
}

func walk(out map[string]string, prefix string, obj map[string]any) {
	for k, v := range obj {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			walk(out, name, sub)
			continue
		}
		out[name] = text(v)
	}
}

// text renders a JSON value for people: strings without quotes, null as
// nothing, arrays and objects as compact JSON.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSpace(buf.String())
}
