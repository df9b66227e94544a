package web

import (
	"net/http"
	"strings"
)

// RespondentServiceWorker serves the respondent page's service worker
// (static/dist/respondent-sw.js, built from frontend/src/respondent/sw.js).
// Mount it at GET /r/sw.js: a worker controls the pages under the folder it
// is served from, so served there it covers every /r/{token} page. It is
// never cached for long, so a new release reaches phones on their next
// visit; Service-Worker-Allowed lets a page register it with scope /r/
// even if it is mounted elsewhere.
func RespondentServiceWorker() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		a, ok := assets["dist/respondent-sw.js"]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("Service-Worker-Allowed", "/r/")
		h.Set("ETag", `"`+a.hash+`"`)
		h.Set("Vary", "Accept-Encoding")
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Header.Get("If-None-Match") == `"`+a.hash+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := a.body
		if a.gzipped != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			body = a.gzipped
		}
		if r.Method == http.MethodHead {
			return
		}
		w.Write(body)
	})
}
