package web

import (
	"bytes"
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
)

func TestCORS(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	h := CORS([]string{"https://www.montclar.example"}, ok)
	tests := []struct {
		method, origin string
		status         int
		allowed        string
	}{
		{"OPTIONS", "https://www.montclar.example", 204, "https://www.montclar.example"},
		{"POST", "https://www.montclar.example", 200, "https://www.montclar.example"},
		{"OPTIONS", "https://evil.example", 403, ""},
		{"POST", "https://evil.example", 200, ""}, // no CORS header: the browser refuses the answer
		{"POST", "", 200, ""}, // not a browser
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, "/graphql", nil)
		if tt.origin != "" {
			req.Header.Set("Origin", tt.origin)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.status || rec.Header().Get("Access-Control-Allow-Origin") != tt.allowed {
			t.Errorf("%s from %q: %d, allow %q; want %d, %q", tt.method, tt.origin, rec.Code,
				rec.Header().Get("Access-Control-Allow-Origin"), tt.status, tt.allowed)
		}
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(60) // burst of 12
	allowed := 0
	for range 50 {
		if l.Allow("1.2.3.4") {
			allowed++
		}
	}
	if allowed < 12 || allowed > 14 {
		t.Errorf("allowed %d of a burst of 50, want about 12", allowed)
	}
	if !l.Allow("5.6.7.8") {
		t.Error("another client is limited by the first one")
	}
	b := NewBurstLimiter(120, 80)
	allowed = 0
	for range 100 {
		if b.Allow("1.2.3.4") {
			allowed++
		}
	}
	if allowed < 80 || allowed > 82 {
		t.Errorf("burst limiter allowed %d of 100, want about 80", allowed)
	}
	if !NewLimiter(0).Allow("x") {
		t.Error("no limit should allow")
	}
	var none *Limiter
	if !none.Allow("x") {
		t.Error("a nil limiter should allow")
	}
}

func TestClientAddr(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8, 192.0.2.1,2001:db8:ffff::/48")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"IPv4 peer", "198.51.100.7:51234", "", "198.51.100.7"},
		{"IPv6 peer keyed by its /64", "[2001:db8:1:2:aaaa::1]:443", "", "2001:db8:1:2::/64"},
		{"same /64, same client", "[2001:db8:1:2:bbbb::9]:443", "", "2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6", "[::ffff:198.51.100.7]:80", "", "198.51.100.7"},
		{"forwarded header from an untrusted peer is ignored", "198.51.100.7:1", "203.0.113.9", "198.51.100.7"},
		{"trusted proxy", "10.1.2.3:1", "203.0.113.9", "203.0.113.9"},
		{"forged entries left of the real client", "10.1.2.3:1", "1.1.1.1, 203.0.113.9", "203.0.113.9"},
		{"chain of trusted proxies", "10.1.2.3:1", "203.0.113.9, 192.0.2.1, 10.9.9.9", "203.0.113.9"},
		{"garbage before the proxy", "192.0.2.1:1", "nonsense", "192.0.2.1"},
		{"IPv6 client through a proxy", "[2001:db8:ffff::1]:1", "2001:db8:5:6::7", "2001:db8:5:6::/64"},
		{"unix socket", "@", "", "@"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/graphql", nil)
			req.RemoteAddr = tt.remote
			if tt.xff != "" {
				req.Header.Set("X-Forwarded-For", tt.xff)
			}
			var got string
			WithClientAddr(proxies, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = ClientAddr(r.Context()) })).
				ServeHTTP(httptest.NewRecorder(), req)
			if got != tt.want {
				t.Errorf("client %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := ParseProxies("10.0.0.0/8,proxy.ville.fr"); err == nil || !strings.Contains(err.Error(), "proxy.ville.fr") {
		t.Errorf("a host name: %v", err)
	}
}

// TestOverHTTPS: HTTPS is what the connection was, or what the nearest trusted
// proxy says; anyone else's X-Forwarded-Proto is ignored.
func TestOverHTTPS(t *testing.T) {
	proxies, _ := ParseProxies("10.0.0.0/8")
	tests := []struct {
		name, remote string
		tls          bool
		protos       []string
		want         bool
	}{
		{"plain HTTP", "198.51.100.7:1", false, nil, false},
		{"TLS", "198.51.100.7:1", true, nil, true},
		{"trusted proxy says https", "10.1.2.3:1", false, []string{"https"}, true},
		{"trusted proxy says http", "10.1.2.3:1", false, []string{"http"}, false},
		{"the nearest proxy's word counts", "10.1.2.3:1", false, []string{"https", "http"}, false},
		{"the nearest proxy's word counts, in one header", "10.1.2.3:1", false, []string{"http, HTTPS"}, true},
		{"untrusted peer says https", "198.51.100.7:1", false, []string{"https"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tt.remote
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			for _, p := range tt.protos {
				req.Header.Add("X-Forwarded-Proto", p)
			}
			var got bool
			WithClientAddr(proxies, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = OverHTTPS(r) })).
				ServeHTTP(httptest.NewRecorder(), req)
			if got != tt.want {
				t.Errorf("over HTTPS: %v, want %v", got, tt.want)
			}
		})
	}
}

// TestUndeclaredTLSProxyIsLogged: a peer that is no trusted proxy claiming
// HTTPS is most likely a TLS proxy left out of --trusted-proxies, whose users
// get plain cookies: the log says so, once.
func TestUndeclaredTLSProxyIsLogged(t *testing.T) {
	var buf bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	untrustedHTTPS = sync.Once{}
	for range 3 {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "198.51.100.7:1"
		req.Header.Set("X-Forwarded-Proto", "https")
		WithClientAddr(nil, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(httptest.NewRecorder(), req)
	}
	if n := strings.Count(buf.String(), "X-Forwarded-Proto: https from a peer"); n != 1 {
		t.Errorf("the undeclared proxy logged %d times, want once:\n%s", n, buf.String())
	}
}

// FuzzClientAddr: whatever a client sends as its address chain, the key is
// short, and a forged header from an untrusted peer changes nothing.
func FuzzClientAddr(f *testing.F) {
	f.Add("10.1.2.3:1", "203.0.113.9, 192.0.2.1")
	f.Add("[2001:db8::1]:443", "::ffff:1.2.3.4,garbage,,")
	f.Add("198.51.100.7:9", strings.Repeat("1.1.1.1,", 100))
	proxies, _ := ParseProxies("10.0.0.0/8,192.0.2.1")
	f.Fuzz(func(t *testing.T, remote, xff string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", xff)
		got := clientAddr(req, proxies)
		if p, ok := parseAddr(remote); ok {
			if len(got) > len("ffff:ffff:ffff:ffff::/64") {
				t.Fatalf("key %q for %q / %q", got, remote, xff)
			}
			if !isTrusted(p, proxies) && got != keyOf(p) {
				t.Fatalf("untrusted peer %q took %q from its header", remote, got)
			}
		}
	})
}

func keyOf(a netip.Addr) string {
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = netip.AddrPortFrom(a, 1).String()
	return clientAddr(req, nil)
}

func TestWithOrigin(t *testing.T) {
	tests := []struct {
		host, origin string
		want         PageOrigin
	}{
		{"parvis.example:8080", "http://parvis.example:8080", PageOrigin{Origin: "http://parvis.example:8080", Own: true}},
		{"parvis.example", "https://www.ville.fr/", PageOrigin{Origin: "https://www.ville.fr"}},
		{"parvis.example", "https://parvis.example.evil.fr", PageOrigin{Origin: "https://parvis.example.evil.fr"}},
		{"parvis.example", "", PageOrigin{}},
		{"parvis.example", "null", PageOrigin{Origin: "null"}},
	}
	for _, tt := range tests {
		var got PageOrigin
		h := WithOrigin(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = Origin(r.Context()) }))
		r := httptest.NewRequest("POST", "http://"+tt.host+"/graphql", nil)
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != tt.want {
			t.Errorf("Origin %q on %s: %+v, want %+v", tt.origin, tt.host, got, tt.want)
		}
	}
}
