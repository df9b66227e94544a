// Package web is the platform's HTTP toolkit: page rendering with the shared
// layout, JSON and problem-details responses, middleware (security headers,
// logging, recovery, cross-origin protection) and the embedded static assets.
// It knows no domain.
package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

// Viewer is the signed-in person as the layout needs to see them.
type Viewer struct {
	UserID int64
	Name   string
	Email  string
	Role   string
}

// SignedIn reports whether someone is signed in.
func (v Viewer) SignedIn() bool { return v.UserID != 0 }

type viewerKey struct{}

// WithViewer stores the viewer in a context.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer of a request (the zero Viewer when anonymous).
func ViewerFrom(ctx context.Context) Viewer {
	v, _ := ctx.Value(viewerKey{}).(Viewer)
	return v
}

// Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Label string
	URL   string
}

// Page is what every template receives: the common parts of the layout and
// the page's own typed data in Data.
type Page struct {
	Title       string
	Crumbs      []Crumb
	Section     string // the main-navigation entry to highlight
	Viewer      Viewer
	Lang        string
	Languages   []string
	Demo        bool
	Flash       string
	Path        string
	Query       url.Values
	AssetPrefix string
	Data        any
	// Content, when set, is the page's "content" block rendered earlier
	// (see Fragments); the layout shows it instead of rendering the block.
	Content template.HTML

	loc *i18n.Localizer
}

// T translates a message key for the page's language.
func (p *Page) T(key string, args ...any) string { return p.loc.T(key, args...) }

// N formats a whole number for the page's language.
func (p *Page) N(n any) string {
	switch v := n.(type) {
	case int:
		return p.loc.Int(int64(v))
	case int64:
		return p.loc.Int(v)
	case float64:
		return p.loc.Float(v, 0)
	}
	return ""
}

// F formats a number with decimals for the page's language.
func (p *Page) F(f float64, decimals int) string { return p.loc.Float(f, decimals) }

// Pct formats a share as a percentage.
func (p *Page) Pct(f float64) string { return p.loc.Percent(f, 0) }

// Date formats a day for the page's language.
func (p *Page) Date(t time.Time) string { return p.loc.Date(t) }

// DateTime formats a moment for the page's language.
func (p *Page) DateTime(t time.Time) string { return p.loc.DateTime(t) }

// LangName is the name of a language in itself.
func (p *Page) LangName(l string) string { return i18n.LanguageNames[l] }

// Asset is the fingerprinted URL of a static file.
func (p *Page) Asset(name string) string { return AssetURL(name) }

// WithQuery returns the current path with one query parameter changed,
// keeping the others (page links, sort headers, filters).
func (p *Page) WithQuery(kv ...string) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return p.Path
	}
	return p.Path + "?" + q.Encode()
}

// HTML marks a trusted string as HTML (only for strings the code built).
func (p *Page) HTML(s string) template.HTML { return template.HTML(s) }

// Localizer returns the localizer of a request.
func Localizer(r *http.Request) *i18n.Localizer { return i18n.For(i18n.FromRequest(r)) }
