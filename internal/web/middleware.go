package web

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// ContentSecurityPolicy allows only the platform's own origin: every script,
// style, font and image is served from the binary.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"

// SecurityHeaders sets the headers every response carries.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status a handler wrote, for logs and metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Observer is told about every finished request (metrics).
type Observer func(r *http.Request, status int, elapsed time.Duration)

// Logging logs each request at debug level, and server errors at error level;
// it also recovers from panics so one bad request cannot stop the server.
func Logging(logger *slog.Logger, observe Observer) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
					if rec.status == 0 {
						http.Error(rec, "internal server error", http.StatusInternalServerError)
					}
				}
				elapsed := time.Since(start)
				level := slog.LevelDebug
				if rec.status >= 500 {
					level = slog.LevelError
				}
				logger.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path,
					"status", rec.status, "bytes", rec.bytes, "ms", elapsed.Milliseconds(), "client", ClientIP(r))
				if observe != nil {
					observe(r, rec.status, elapsed)
				}
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// CrossOrigin refuses state-changing requests that a browser sent from
// another origin (Fetch metadata and Origin checks). Requests without
// browser headers, such as API scripts with bearer tokens, pass.
func CrossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	return cop.Handler(next)
}
