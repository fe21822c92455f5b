package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestHealth: `parvis health` exits 0 when the serve answers 200, 1 when it
// answers otherwise or not at all, 2 on a bad address; --ready asks /readyz.
func TestHealth(t *testing.T) {
	var ready atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/healthz":
			w.Write([]byte("ok\n"))
		case r.URL.Path == "/readyz" && ready.Load():
			w.Write([]byte("prêt\n"))
		default:
			http.Error(w, "pas prêt : ClickHouse injoignable", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	gone := httptest.NewServer(http.NotFoundHandler())
	goneAddr := strings.TrimPrefix(gone.URL, "http://")
	gone.Close()

	for _, tt := range []struct {
		name  string
		ready bool
		args  []string
		want  int
	}{
		{"alive", false, []string{"--addr", addr}, 0},
		{"not ready yet", false, []string{"--addr", addr, "--ready"}, 1},
		{"ready", true, []string{"--addr", addr, "--ready"}, 0},
		{"nobody there", true, []string{"--addr", goneAddr}, 1},
		{"bad address", true, []string{"--addr", "nowhere"}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ready.Store(tt.ready)
			if code, _ := capture(t, append([]string{"health"}, tt.args...)...); code != tt.want {
				t.Errorf("parvis health %v: exit %d, want %d", tt.args, code, tt.want)
			}
		})
	}
}
