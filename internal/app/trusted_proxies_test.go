package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/web"
)

// TestTrustedProxiesReachEveryLimit: with a trusted proxy in front, the
// public rate limit and sign-in throttling key on the forwarded client
// address, while a peer that is not a trusted proxy keeps its own address
// whatever X-Forwarded-For it sends. The wiring is the same on both
// engines, so SQLite is enough.
func TestTrustedProxiesReachEveryLimit(t *testing.T) {
	trusted, err := web.ParseTrustedProxies("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(dbtest.SQLite(t), slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{
		BaseURL: "http://example.test", PublicPerMinute: 2, LoginPerMinute: 1, TrustedProxies: trusted,
		Jobs: job.Config{Test: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := a.Handler()
	do := func(method, path, remote, forwardedFor string) int {
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader(url.Values{"email": {"nobody@example.org"}, "password": {"wrong wrong wrong"}}.Encode())
		}
		r := httptest.NewRequest(method, path, body)
		if body != nil {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		r.RemoteAddr = remote
		if forwardedFor != "" {
			r.Header.Set("X-Forwarded-For", forwardedFor)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	// A public limit of 2 a minute allows a burst of 1; sign-in 1 a minute.
	for _, path := range []struct{ method, path string }{{"GET", "/calls/987654"}, {"POST", "/login"}} {
		if code := do(path.method, path.path, "10.0.0.1:4000", "203.0.113.1"); code == http.StatusTooManyRequests {
			t.Fatalf("%s %s: first request limited", path.method, path.path)
		}
		if code := do(path.method, path.path, "10.0.0.1:4001", "203.0.113.1"); code != http.StatusTooManyRequests {
			t.Errorf("%s %s: the same respondent again: %d, want 429", path.method, path.path, code)
		}
		if code := do(path.method, path.path, "10.0.0.1:4002", "203.0.113.2"); code == http.StatusTooManyRequests {
			t.Errorf("%s %s: another respondent behind the same proxy was limited", path.method, path.path)
		}
		if code := do(path.method, path.path, "198.51.100.9:5000", "203.0.113.3"); code == http.StatusTooManyRequests {
			t.Fatalf("%s %s: first request of an untrusted peer limited", path.method, path.path)
		}
		if code := do(path.method, path.path, "198.51.100.9:5001", "203.0.113.4"); code != http.StatusTooManyRequests {
			t.Errorf("%s %s: an untrusted peer dodged the limit with X-Forwarded-For: %d", path.method, path.path, code)
		}
	}
}
