package web

import (
	"html/template"
	"sync"
	"time"
)

// FragmentTTL bounds how long a kept fragment may be shown. Writes this
// process commits are seen at once (the generation changes); writes by
// another process (a command-line import, a second server) within the TTL.
const FragmentTTL = 5 * time.Second

// fragmentsKept bounds the fragments in memory; past it the cache starts
// afresh, which costs renders, not correctness.
const fragmentsKept = 512

// Fragments keeps rendered pieces of pages that are costly to render and
// seldom change, such as a cluster's profile with its member table:
// html/template spends microseconds on every value it escapes, and a table
// of a few hundred rows is most of a page's cost. A fragment is kept for the database
// generation it was read at (see db.DB.Generation) and at most FragmentTTL.
// The key must name everything the fragment depends on: the record, the
// language, and whatever of the viewer changes it.
type Fragments struct {
	generation func() uint64
	mu         sync.Mutex
	kept       map[string]fragment
}

type fragment struct {
	html template.HTML
	gen  uint64
	at   time.Time
}

// NewFragments returns an empty cache checked against generation.
func NewFragments(generation func() uint64) *Fragments {
	return &Fragments{generation: generation, kept: map[string]fragment{}}
}

// Get returns the fragment kept under key, rendering and keeping it with
// render when there is none or it is stale.
func (f *Fragments) Get(key string, render func() (template.HTML, error)) (template.HTML, error) {
	now := time.Now()
	gen := f.generation()
	f.mu.Lock()
	e, ok := f.kept[key]
	f.mu.Unlock()
	if ok && e.gen == gen && now.Sub(e.at) < FragmentTTL {
		return e.html, nil
	}
	html, err := render()
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	// A write that committed while rendering may not be in the fragment:
	// show it this once, keep it not.
	if f.generation() == gen {
		if len(f.kept) >= fragmentsKept {
			clear(f.kept)
		}
		f.kept[key] = fragment{html: html, gen: gen, at: now}
	}
	return html, nil
}
