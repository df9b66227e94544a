package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLoggingNamesTheClient checks that the request log names the client
// behind a trusted proxy, not the proxy.
func TestLoggingNamesTheClient(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := ClientAddress(mustTrust(t, "10.0.0.0/8"))(Logging(logger, nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	r := httptest.NewRequest(http.MethodGet, "/r/x", nil)
	r.RemoteAddr = "10.1.2.3:5555"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if !strings.Contains(buf.String(), "client=203.0.113.9") {
		t.Errorf("log line: %s", buf.String())
	}
}
