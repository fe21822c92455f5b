package web

import (
	"net/http"
	"net/http/httptest"
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
	tests := map[string]string{"192.0.2.7:51234": "192.0.2.7", "[2001:db8::1]:443": "2001:db8::1", "@unix": "@unix"}
	for remote, want := range tests {
		req := httptest.NewRequest("POST", "/graphql", nil)
		req.RemoteAddr = remote
		var got string
		WithClientAddr(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = ClientAddr(r.Context()) })).
			ServeHTTP(httptest.NewRecorder(), req)
		if got != want || RemoteHost(req) != want {
			t.Errorf("%s: context %q, RemoteHost %q, want %q", remote, got, RemoteHost(req), want)
		}
	}
}
