package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRateLimiterLimitsPerAddress(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	statuses := func(h http.Handler, addr string, n int) map[int]int {
		out := map[int]int{}
		for range n {
			r := httptest.NewRequest(http.MethodGet, "/r/x", nil)
			r.RemoteAddr = addr
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			out[w.Code]++
		}
		return out
	}
	h := NewRateLimiter(60, 3).Limit(ok)
	if got := statuses(h, "192.0.2.1:1000", 5); got[200] != 3 || got[429] != 2 {
		t.Errorf("burst of 3 then limited: got %v", got)
	}
	if got := statuses(h, "192.0.2.2:1000", 3); got[200] != 3 {
		t.Errorf("another address has its own bucket: got %v", got)
	}
	var off *RateLimiter
	if got := statuses(off.Limit(ok), "192.0.2.1:1000", 500); got[200] != 500 {
		t.Errorf("a nil limiter must limit nothing: got %v", got)
	}
}
