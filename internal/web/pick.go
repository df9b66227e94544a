package web

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// The finder next to an ID field (frontend/src/picker.js) asks a domain's
// pick route for the records whose name holds what was typed, and gets an
// HTML fragment of options back. This file holds what the domains' pick
// handlers share: reading the request, ordering and capping the matches,
// and writing the fragment.

// PickLimit is how many records a finder offers.
const PickLimit = 10

// PickMinQuery is the shortest search a finder answers.
const PickMinQuery = 2

// PickItem is a record a finder offers.
type PickItem struct {
	ID      int64
	Name    string
	Country string // named in the page's language
}

// PickData is a finder's answer: what was searched, for which field, and
// what was found, or why the search was refused.
type PickData struct {
	Query string
	For   string // the ID of the field the finder fills, prefix of the options' IDs
	Items []PickItem
	Error string
}

// ReadPick reads a finder's request: ?q= trimmed, and ?for= kept only if
// it is a field ID a form of the platform could have, else "pick" (it is
// written into the fragment's element IDs). It reports whether the query
// is long enough to search (a number always is).
func ReadPick(r *http.Request) (*PickData, bool) {
	d := &PickData{Query: strings.TrimSpace(r.URL.Query().Get("q")), For: pickFieldID(r.URL.Query().Get("for"))}
	// A registry number is searched however short (#7).
	if utf8.RuneCountInString(d.Query) < PickMinQuery && !isDigits(d.Query) {
		d.Error = Localizer(r).T("pick.too_short", "n", PickMinQuery)
		return d, false
	}
	return d, true
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func pickFieldID(s string) string {
	if s == "" || len(s) > 100 {
		return "pick"
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.[]:", c)
		if !ok {
			return "pick"
		}
	}
	return s
}

// PickMatches puts the record whose ID was typed (exact, if any) before
// the records found by name, once each, and keeps the first PickLimit.
func PickMatches[T any](exact *T, named []T, id func(T) int64) []T {
	var out []T
	if exact != nil {
		out = append(out, *exact)
	}
	for _, x := range named {
		if exact != nil && id(x) == id(*exact) {
			continue
		}
		out = append(out, x)
	}
	return out[:min(len(out), PickLimit)]
}

// ServePick writes a finder's fragment (template name, block): 400 when
// the search was refused, 200 otherwise. The answer depends on the
// session and language and is never cached.
func ServePick(rd *Renderer, w http.ResponseWriter, r *http.Request, name, block string, d *PickData) {
	html, err := rd.Fragment(name, block, rd.NewPage(r, "", d))
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if d.Error != "" {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	w.Write([]byte(html))
}
