package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

//go:embed templates/*.html
var layoutFS embed.FS

// Renderer renders pages into the shared layout. Templates are parsed once
// at start: the layout and partials, then each page file on a clone of them.
type Renderer struct {
	pages  map[string]*template.Template
	logger *slog.Logger
	// IsDemo reports whether the database holds demonstration data, so every
	// page can say so.
	IsDemo func() bool
}

// funcs are the few helpers templates need beyond the Page methods.
var funcs = template.FuncMap{
	"add":  func(a, b int) int { return a + b },
	"sub":  func(a, b int) int { return a - b },
	"join": strings.Join,
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i + 1
		}
		return s
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"contains": func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	},
}

// PageSource names a domain's embedded templates: every *.html file under
// Dir becomes page "Domain/file" (without .html).
type PageSource struct {
	Domain string
	FS     fs.FS
	Dir    string
}

// NewRenderer parses the layout and every page of the given sources.
func NewRenderer(logger *slog.Logger, sources ...PageSource) (*Renderer, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(layoutFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("layout templates: %w", err)
	}
	r := &Renderer{pages: map[string]*template.Template{}, logger: logger, IsDemo: func() bool { return false }}
	// The layout package's own pages (errors, messages).
	sources = append([]PageSource{{Domain: "web", FS: layoutFS, Dir: "templates"}}, sources...)
	for _, src := range sources {
		files, err := fs.Glob(src.FS, path.Join(src.Dir, "*.html"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			name := strings.TrimSuffix(path.Base(f), ".html")
			if src.Domain == "web" && (name == "layout" || strings.HasPrefix(name, "_")) {
				continue
			}
			if strings.HasPrefix(name, "_") {
				// Domain partials are parsed into every page of that domain.
				continue
			}
			t, err := base.Clone()
			if err != nil {
				return nil, err
			}
			partials, _ := fs.Glob(src.FS, path.Join(src.Dir, "_*.html"))
			if src.Domain != "web" && len(partials) > 0 {
				if t, err = t.ParseFS(src.FS, partials...); err != nil {
					return nil, fmt.Errorf("%s partials: %w", src.Domain, err)
				}
			}
			if t, err = t.ParseFS(src.FS, f); err != nil {
				return nil, fmt.Errorf("page %s/%s: %w", src.Domain, name, err)
			}
			r.pages[src.Domain+"/"+name] = t
		}
	}
	return r, nil
}

// Has reports whether a page exists, for the test that every view is there.
func (rd *Renderer) Has(name string) bool { _, ok := rd.pages[name]; return ok }

// NewPage builds the common page data for a request.
func (rd *Renderer) NewPage(r *http.Request, title string, data any) *Page {
	lang := i18n.FromRequest(r)
	p := &Page{
		Title:     title,
		Viewer:    ViewerFrom(r.Context()),
		Lang:      lang,
		Languages: i18n.Languages,
		Demo:      rd.IsDemo(),
		Path:      r.URL.Path,
		Query:     r.URL.Query(),
		Data:      data,
		loc:       i18n.For(lang),
	}
	if c, err := r.Cookie("flash"); err == nil {
		p.Flash, _ = url.QueryUnescape(c.Value)
	}
	return p
}

// Render writes a page with the given status. An htmx request that names a
// target gets only the page's "content" block.
func (rd *Renderer) Render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := rd.pages[name]
	if !ok {
		rd.logger.Error("missing template", "page", name)
		http.Error(w, "missing template "+name, http.StatusInternalServerError)
		return
	}
	block := "layout"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != "" && t.Lookup("partial") != nil {
		block = "partial"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		rd.logger.Error("render", "page", name, "err", err)
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	if p.Flash != "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Path: "/", MaxAge: -1})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "Cookie, Accept-Language, HX-Request")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// Fragment renders one named block of a page's templates on its own, for a
// piece of the page kept in memory (see Fragments).
func (rd *Renderer) Fragment(name, block string, p *Page) (template.HTML, error) {
	t, ok := rd.pages[name]
	if !ok {
		return "", fmt.Errorf("missing template %s", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		return "", fmt.Errorf("render %s %s: %w", name, block, err)
	}
	return template.HTML(buf.String()), nil
}

// Flash sets a one-time message shown on the next page.
func Flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: "flash", Value: url.QueryEscape(msg), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// Error renders an error page for err, in the page's language, with the
// status its kind implies. Internal errors are logged and never shown.
func (rd *Renderer) Error(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := publicError(r, err, rd.logger)
	loc := i18n.For(i18n.FromRequest(r))
	p := rd.NewPage(r, loc.T("common.error_title"), ErrorData{Status: status, Message: msg})
	rd.Render(w, r, status, "web/error", p)
}

// ErrorData is the error page's data.
type ErrorData struct {
	Status  int
	Message string
}
