package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// static holds the bundled front end (built by esbuild from frontend/ into
// static/dist) and the few files served as they are.
//
//go:embed static
var staticFS embed.FS

type asset struct {
	body    []byte
	gzipped []byte
	ctype   string
	hash    string
}

var assets = map[string]*asset{}

func init() {
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := staticFS.ReadFile(p)
		sum := sha256.Sum256(b)
		a := &asset{body: b, hash: hex.EncodeToString(sum[:])[:12], ctype: mime.TypeByExtension(path.Ext(p))}
		if a.ctype == "" {
			a.ctype = "application/octet-stream"
		}
		if compressible(a.ctype) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			a.gzipped = buf.Bytes()
		}
		assets[strings.TrimPrefix(p, "static/")] = a
		return nil
	})
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")
}

// AssetURL is the URL of a static file with its content hash, so browsers
// may cache it for a year and still see every new release.
func AssetURL(name string) string {
	if a, ok := assets[name]; ok {
		return "/static/" + name + "?v=" + a.hash
	}
	return "/static/" + name
}

// AssetSize returns the size of a static file as sent to a browser that
// accepts gzip, for the page-weight test.
func AssetSize(name string) (raw, compressed int, ok bool) {
	a, ok := assets[name]
	if !ok {
		return 0, 0, false
	}
	if a.gzipped != nil {
		return len(a.body), len(a.gzipped), true
	}
	return len(a.body), len(a.body), true
}

// Static serves the embedded assets, gzipped when the browser accepts it.
func Static() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[strings.TrimPrefix(r.URL.Path, "/static/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("ETag", `"`+a.hash+`"`)
		h.Set("Vary", "Accept-Encoding")
		if r.URL.Query().Get("v") == a.hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, max-age=300")
		}
		if r.Header.Get("If-None-Match") == `"`+a.hash+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := a.body
		if a.gzipped != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			body = a.gzipped
		}
		w.Write(body)
	})
}
