package region

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"sync"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

// The region pages are the busiest of the platform, and most of their
// markup is large tables whose content is the same for every reader of a
// language: executing html/template over them on every request cost more
// than everything else the request does. So those tables and rows are
// fragments: rendered with html/template (escaping as everywhere else) once
// per language and content, then reused. A fragment is keyed by what it is
// made of — the figures it shows (a pointer to an immutable snapshot) or the
// row's own values — so a reused fragment is never out of date with its data.

//go:embed fragments/*.html
var fragmentFS embed.FS

var fragmentTemplates = template.Must(template.New("fragments").ParseFS(fragmentFS, "fragments/*.html"))

// fragmentData is what a fragment template receives: the data and the
// language's translations and number formats, as pages have them.
type fragmentData struct {
	loc *i18n.Localizer
	D   any
}

// T translates a message key.
func (f fragmentData) T(key string, args ...any) string { return f.loc.T(key, args...) }

// N formats a whole number.
func (f fragmentData) N(n int) string { return f.loc.Int(int64(n)) }

// maxRows bounds the memo of rows: past it, every row is dropped and
// rendered again on demand (rows of edited records would otherwise pile up).
const maxRows = 20_000

// fragments memoises rendered fragments; safe for concurrent use.
type fragments struct {
	mu     sync.RWMutex
	tables map[string]snapshot      // by name, language and slot: the latest only
	rows   map[rowKey]template.HTML // by name, language and the row's values
}

// snapshot is a table rendered from one version of its data.
type snapshot struct {
	version any
	html    template.HTML
}

type rowKey struct {
	name string
	lang string
	row  any
}

// table returns the fragment template name executed on the data that build
// makes, in the localizer's language. It keeps one rendering per name,
// language and slot (a country, say) and builds and renders again only when
// version — the data's identity, such as a pointer to an immutable snapshot
// of figures — changes.
func (f *fragments) table(name, slot string, loc *i18n.Localizer, version any, build func() any) (template.HTML, error) {
	k := name + "|" + loc.Lang + "|" + slot
	f.mu.RLock()
	s, ok := f.tables[k]
	f.mu.RUnlock()
	if ok && s.version == version {
		return s.html, nil
	}
	h, err := execute(name, loc, build())
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	if f.tables == nil {
		f.tables = map[string]snapshot{}
	}
	f.tables[k] = snapshot{version: version, html: h}
	f.mu.Unlock()
	return h, nil
}

// row returns the fragment template name executed on the data that build
// makes from row, a comparable value that is its own key: the same values
// always give the same markup, so a memoised row is never stale.
func (f *fragments) row(name string, loc *i18n.Localizer, row any, build func() any) (template.HTML, error) {
	k := rowKey{name: name, lang: loc.Lang, row: row}
	f.mu.RLock()
	h, ok := f.rows[k]
	f.mu.RUnlock()
	if ok {
		return h, nil
	}
	h, err := execute(name, loc, build())
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	if f.rows == nil || len(f.rows) >= maxRows {
		f.rows = map[rowKey]template.HTML{}
	}
	f.rows[k] = h
	f.mu.Unlock()
	return h, nil
}

func execute(name string, loc *i18n.Localizer, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := fragmentTemplates.ExecuteTemplate(&buf, name, fragmentData{loc: loc, D: data}); err != nil {
		return "", fmt.Errorf("fragment %s: %w", name, err)
	}
	// The template escaped every value: the result is safe HTML.
	return template.HTML(buf.String()), nil
}
