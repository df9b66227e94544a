package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRespondentServiceWorker(t *testing.T) {
	h := RespondentServiceWorker()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/r/sw.js", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	if got := rec.Header().Get("Service-Worker-Allowed"); got != "/r/" {
		t.Errorf("Service-Worker-Allowed %q", got)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q", cc)
	}
	want, _ := staticFS.ReadFile("static/dist/respondent-sw.js")
	if len(want) == 0 || !bytes.Equal(rec.Body.Bytes(), want) {
		t.Error("the body is not the embedded respondent-sw.js")
	}

	etag := rec.Header().Get("ETag")
	req := httptest.NewRequest(http.MethodGet, "/r/sw.js", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("revalidation gave %d", rec.Code)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/r/sw.js", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST gave %d", rec.Code)
	}

	for _, name := range []string{"dist/respondent.js", "dist/respondent.css"} {
		if _, gz, ok := AssetSize(name); !ok || gz > 600<<10 {
			t.Errorf("%s: embedded %v, %d bytes gzipped", name, ok, gz)
		}
	}
}
