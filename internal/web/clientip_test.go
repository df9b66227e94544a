package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func mustTrust(t *testing.T, list string) TrustedProxies {
	t.Helper()
	tp, err := ParseTrustedProxies(list)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func TestParseTrustedProxies(t *testing.T) {
	tp := mustTrust(t, " 10.0.0.0/8, 192.0.2.7 ,2001:db8:1::/48,::1,, ::ffff:172.16.0.0/108, 10.1.2.3/8")
	if got, want := tp.String(), "10.0.0.0/8,192.0.2.7,2001:db8:1::/48,::1,172.16.0.0/12,10.0.0.0/8"; got != want {
		t.Errorf("parsed %q, want %q", got, want)
	}
	for _, s := range []string{"10.200.3.4", "192.0.2.7", "2001:db8:1:ff::9", "::1", "::ffff:10.0.0.1", "172.31.255.255"} {
		if !tp.Trusts(netip.MustParseAddr(s)) {
			t.Errorf("%s must be trusted", s)
		}
	}
	for _, s := range []string{"11.0.0.1", "192.0.2.8", "2001:db8:2::1", "::2", "172.32.0.1", "fe80::1%eth0"} {
		if tp.Trusts(netip.MustParseAddr(s)) {
			t.Errorf("%s must not be trusted", s)
		}
	}
	if tp, err := ParseTrustedProxies("  "); err != nil || len(tp) != 0 {
		t.Errorf("an empty list trusts nobody: %v %v", tp, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example.org", "10.0.0", "192.0.2.1:80", "2001:db8::/129", "fe80::1%eth0", "::ffff:0:0/64", "10.0.0.0/8/8"} {
		_, err := ParseTrustedProxies("192.0.2.1, " + bad)
		if err == nil || !strings.Contains(err.Error(), `"`+bad+`"`) {
			t.Errorf("%q: the error must name the bad entry, got %v", bad, err)
		}
	}
}

func TestResolveClientIP(t *testing.T) {
	tp := mustTrust(t, "10.0.0.0/8, 192.0.2.7, 2001:db8:ffff::/48")
	xff := func(v ...string) []string { return v }
	cases := []struct {
		name   string
		remote string
		xff    []string
		want   string
	}{
		{"no proxy, no header", "198.51.100.4:52311", nil, "198.51.100.4"},
		{"spoofed header from an untrusted peer", "198.51.100.4:52311", xff("203.0.113.9"), "198.51.100.4"},
		{"spoofed header naming a trusted proxy", "198.51.100.4:52311", xff("10.0.0.1"), "198.51.100.4"},
		{"trusted single address", "192.0.2.7:443", xff("203.0.113.9"), "203.0.113.9"},
		{"trusted CIDR", "10.20.30.40:8080", xff("203.0.113.9"), "203.0.113.9"},
		{"client's own header is not believed", "10.0.0.1:1", xff("1.1.1.1, 203.0.113.9"), "203.0.113.9"},
		{"chain of trusted proxies", "10.0.0.1:1", xff("1.1.1.1, 203.0.113.9, 10.9.9.9, 192.0.2.7"), "203.0.113.9"},
		{"several header lines are one list", "10.0.0.1:1", xff("1.1.1.1, 203.0.113.9", "10.9.9.9"), "203.0.113.9"},
		{"all trusted: the leftmost", "10.0.0.1:1", xff("10.0.0.3, 10.0.0.2"), "10.0.0.3"},
		{"missing header behind a proxy", "10.0.0.1:1", nil, "10.0.0.1"},
		{"empty header", "10.0.0.1:1", xff(" , "), "10.0.0.1"},
		{"garbage header", "10.0.0.1:1", xff("not an address"), "10.0.0.1"},
		{"garbage right of the client", "10.0.0.1:1", xff("203.0.113.9, unknown"), "10.0.0.1"},
		{"garbage left of the client is never read", "10.0.0.1:1", xff("<script>, 203.0.113.9"), "203.0.113.9"},
		{"ports in the header", "10.0.0.1:1", xff("203.0.113.9:61000, 10.0.0.2:443"), "203.0.113.9"},
		{"IPv6 peer untrusted", "[2001:db8::5]:443", xff("203.0.113.9"), "2001:db8::5"},
		{"IPv6 proxy trusted by range", "[2001:db8:ffff:1::2]:443", xff("2001:db8:aaaa::7"), "2001:db8:aaaa::7"},
		{"IPv6 in the header with brackets and port", "[2001:db8:ffff::2]:443", xff("[2001:db8:aaaa::7]:5000"), "2001:db8:aaaa::7"},
		{"IPv6 in the header with brackets only", "10.0.0.1:1", xff("[2001:db8:aaaa::7]"), "2001:db8:aaaa::7"},
		{"IPv4-mapped peer matches an IPv4 range", "[::ffff:10.1.1.1]:80", xff("::ffff:203.0.113.9"), "203.0.113.9"},
		{"zone dropped", "[fe80::1%eth0]:80", nil, "fe80::1"},
		{"remote without port", "198.51.100.4", nil, "198.51.100.4"},
		{"unreadable remote address is kept", "@", xff("203.0.113.9"), "@"},
	}
	for _, c := range cases {
		if got := ResolveClientIP(c.remote, c.xff, tp); got != c.want {
			t.Errorf("%s: ResolveClientIP(%q, %q) = %q, want %q", c.name, c.remote, c.xff, got, c.want)
		}
	}
	if got := ResolveClientIP("10.0.0.1:1", xff("203.0.113.9"), nil); got != "10.0.0.1" {
		t.Errorf("trusting nobody must ignore the header, got %q", got)
	}
}

func TestClientIPWithoutMiddleware(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "[2001:db8::5]:443"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	if got := ClientIP(r); got != "2001:db8::5" {
		t.Errorf("without ClientAddress the connection's address counts, got %q", got)
	}
}

// TestRateLimitBehindTrustedProxy: respondents behind one trusted proxy
// each have their own bucket, and a peer that is not a trusted proxy cannot
// escape its bucket by writing X-Forwarded-For.
func TestRateLimitBehindTrustedProxy(t *testing.T) {
	var seen []string
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = append(seen, ClientIP(r)) })
	h := ClientAddress(mustTrust(t, "10.0.0.0/8"))(NewRateLimiter(60, 2).Limit(ok))
	get := func(remote, forwardedFor string) int {
		r := httptest.NewRequest(http.MethodGet, "/r/x", nil)
		r.RemoteAddr = remote
		if forwardedFor != "" {
			r.Header.Set("X-Forwarded-For", forwardedFor)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	for i := range 2 {
		if code := get("10.0.0.1:4000", "203.0.113.1"); code != 200 {
			t.Fatalf("first respondent, request %d: %d", i+1, code)
		}
	}
	if code := get("10.0.0.1:4001", "203.0.113.1"); code != 429 {
		t.Errorf("first respondent over its limit: %d", code)
	}
	for i := range 2 {
		if code := get("10.0.0.1:4002", "203.0.113.2"); code != 200 {
			t.Errorf("second respondent behind the same proxy, request %d: %d", i+1, code)
		}
	}
	if got := strings.Join(seen, " "); got != "203.0.113.1 203.0.113.1 203.0.113.2 203.0.113.2" {
		t.Errorf("handlers saw client addresses %q", got)
	}

	for i := range 2 {
		if code := get("198.51.100.9:5000", "203.0.113.50"); code != 200 {
			t.Fatalf("untrusted peer, request %d: %d", i+1, code)
		}
	}
	for _, spoof := range []string{"203.0.113.51", "203.0.113.52, 10.0.0.1", "10.0.0.1"} {
		if code := get("198.51.100.9:5001", spoof); code != 429 {
			t.Errorf("untrusted peer dodged the limit with X-Forwarded-For %q: %d", spoof, code)
		}
	}
	if code := get("10.0.0.1:4003", "198.51.100.9"); code != 429 {
		t.Errorf("the same client through the proxy shares its bucket: %d", code)
	}
}
