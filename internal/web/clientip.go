package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the reverse proxies (load balancers) whose
// X-Forwarded-For header the platform believes: single addresses and
// ranges, IPv4 and IPv6. The empty set trusts nobody, so the client address
// is the connection's.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads a comma-separated list of IP addresses and CIDR
// ranges ("10.0.0.0/8, 192.0.2.7, fd00::/8"). An empty list trusts nobody.
// The error names the first entry that is neither.
func ParseTrustedProxies(list string) (TrustedProxies, error) {
	var out TrustedProxies
	for entry := range strings.SplitSeq(list, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if strings.Contains(entry, "/") {
			p, err := netip.ParsePrefix(entry)
			if err != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR range (such as 10.0.0.0/8 or fd00::/8)", entry)
			}
			if p.Addr().Is4In6() {
				// ::ffff:10.0.0.0/104 means 10.0.0.0/8; addresses are
				// compared unmapped.
				if p.Bits() < 96 {
					return nil, fmt.Errorf("%q mixes IPv4-mapped and plain IPv6 addresses; write the IPv4 range instead", entry)
				}
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(entry)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not an IP address or CIDR range (such as 10.0.0.0/8 or fd00::/8)", entry)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Trusts reports whether a is one of the trusted proxies.
func (t TrustedProxies) Trusts(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// String lists the proxies as ParseTrustedProxies reads them.
func (t TrustedProxies) String() string {
	s := make([]string, len(t))
	for i, p := range t {
		if p.IsSingleIP() {
			s[i] = p.Addr().String()
		} else {
			s[i] = p.String()
		}
	}
	return strings.Join(s, ",")
}

// ResolveClientIP finds the address of the client behind a request, from the
// connection's remote address (host:port) and the values of its
// X-Forwarded-For headers. When the connection does not come from a trusted
// proxy the header is ignored, as anyone can write it. Otherwise the header
// is read from right to left, each proxy having appended the address it
// received the request from: trusted proxies are skipped and the first
// other address is the client; if every address is trusted, the leftmost.
// A missing or unreadable header gives the connection's address.
func ResolveClientIP(remoteAddr string, forwardedFor []string, trusted TrustedProxies) string {
	remote, ok := parseHost(remoteAddr)
	if !ok {
		if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
			return host
		}
		return remoteAddr
	}
	if !trusted.Trusts(remote) {
		return remote.String()
	}
	hops := strings.Split(strings.Join(forwardedFor, ","), ",")
	var leftmost netip.Addr
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		a, ok := parseHost(hop)
		if !ok {
			// Only a trusted proxy can have written an entry right of
			// here; one that wrote nonsense gives the connection's
			// address rather than a guess.
			return remote.String()
		}
		if !trusted.Trusts(a) {
			return a.String()
		}
		leftmost = a
	}
	if leftmost.IsValid() {
		return leftmost.String()
	}
	return remote.String()
}

// parseHost reads an IP address with or without a port ("192.0.2.1",
// "192.0.2.1:443", "2001:db8::1", "[2001:db8::1]:443"), unmapping
// IPv4-mapped IPv6 addresses and dropping any zone.
func parseHost(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			if inner, found := strings.CutPrefix(s, "["); found && strings.HasSuffix(inner, "]") {
				a, err = netip.ParseAddr(strings.TrimSuffix(inner, "]"))
			}
			if err != nil {
				return netip.Addr{}, false
			}
		} else {
			a = ap.Addr()
		}
	}
	return a.Unmap().WithZone(""), true
}

type clientIPKey struct{}

// ClientAddress resolves each request's client address once, trusting the
// X-Forwarded-For header of the given proxies (ResolveClientIP), for
// ClientIP to return. With no trusted proxy it changes nothing.
func ClientAddress(trusted TrustedProxies) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if len(trusted) == 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ip := ResolveClientIP(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), trusted)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientIPKey{}, ip)))
		})
	}
}

// ClientIP is the address of the client that sent the request, without a
// port: the one ClientAddress resolved, or else the connection's address.
// The public rate limit and sign-in throttling both key on it.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok {
		return ip
	}
	return ResolveClientIP(r.RemoteAddr, nil, nil)
}
