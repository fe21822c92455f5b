package web

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
)

// ParseProxies reads a comma-separated list of proxies trusted to tell the
// client's address in X-Forwarded-For: addresses or CIDR prefixes.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a prefix like 10.0.0.0/8", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// clientAddr returns the key of the client of a request, for rate limits and
// logs: the peer's address, or, when the peer is a trusted proxy, the nearest
// address in X-Forwarded-For that is not one (each proxy appends the address it
// saw, so entries left of an untrusted one may be forged). An IPv6 client is
// keyed by its /64, the network one subscriber gets.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	client := peer
	if isTrusted(peer, trusted) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, ok := parseAddr(strings.TrimSpace(hops[i]))
			if !ok {
				break // garbage from before the first trusted proxy: keep the last good hop
			}
			client = a
			if !isTrusted(a, trusted) {
				break
			}
		}
	}
	if client.Is6() {
		return netip.PrefixFrom(client, 64).Masked().String()
	}
	return client.String()
}

// parseAddr reads "host:port" or a bare address, IPv4-mapped IPv6 as IPv4.
func parseAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.WithZone("").Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type clientKey struct{}

// requester is what [WithClientAddr] learns of a request's client.
type requester struct {
	addr  string
	https bool
}

// WithClientAddr records the client's address (see the rules of trusted
// proxies and IPv6 networks above) and whether it reached us over HTTPS in
// the request context, for every handler behind it: rate limits, sign-in
// attempts, logs, cookies.
func WithClientAddr(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := requester{addr: clientAddr(r, trusted), https: overHTTPS(r, trusted)}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
	})
}

// overHTTPS reports whether the browser reached us over HTTPS: directly, or
// through a trusted proxy that says so in X-Forwarded-Proto (the last value,
// the one the nearest proxy set). Any other peer's header is its own say-so:
// believing it would let a plain-HTTP client be handed the cookies meant for
// HTTPS.
func overHTTPS(r *http.Request, trusted []netip.Prefix) bool {
	if r.TLS != nil {
		return true
	}
	protos := strings.Split(strings.Join(r.Header.Values("X-Forwarded-Proto"), ","), ",")
	https := strings.EqualFold(strings.TrimSpace(protos[len(protos)-1]), "https")
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok || !isTrusted(peer, trusted) {
		if https {
			untrustedHTTPS.Do(func() {
				slog.Warn("X-Forwarded-Proto: https from a peer that --trusted-proxies does not name: ignored, session cookies are not Secure; name the TLS proxy in --trusted-proxies (PARVIS_TRUSTED_PROXIES)",
					slog.String("peer", r.RemoteAddr))
			})
		}
		return false
	}
	return https
}

// untrustedHTTPS says once that a peer claimed HTTPS unheard: most likely a
// TLS proxy the deployment did not declare, whose users get plain cookies.
var untrustedHTTPS sync.Once

// ClientAddr returns the address recorded by [WithClientAddr], or "" without it.
func ClientAddr(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(requester)
	return c.addr
}

// OverHTTPS reports whether r's client reached us over HTTPS, as
// [WithClientAddr] recorded it (without it: whether r came over TLS).
func OverHTTPS(r *http.Request) bool {
	if c, ok := r.Context().Value(clientKey{}).(requester); ok {
		return c.https
	}
	return r.TLS != nil
}
