package ingest

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWidgetIsSmall(t *testing.T) {
	rec := httptest.NewRecorder()
	WidgetHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/widget.js", nil))
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(rec.Body.Bytes())
	zw.Close()
	if buf.Len() > 30<<10 {
		t.Errorf("widget.js is %d bytes gzipped, more than 30 KB", buf.Len())
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	t.Logf("widget.js: %d bytes, %d gzipped", rec.Body.Len(), buf.Len())
}

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

func TestDemoPagesHaveAStrictCSP(t *testing.T) {
	for _, path := range []string{"/", "/confidentialite"} {
		rec := httptest.NewRecorder()
		DemoSite().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		csp := rec.Header().Get("Content-Security-Policy")
		if rec.Code != 200 || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: %d, CSP %q", path, rec.Code, csp)
		}
		if !strings.Contains(rec.Body.String(), `src="/widget.js"`) {
			t.Errorf("%s does not embed the widget", path)
		}
	}
}
