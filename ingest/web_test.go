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

func TestDemoPagesHaveAStrictCSP(t *testing.T) {
	for path, site := range map[string]http.Handler{"/": DemoSite(), "/confidentialite": DemoSite(), "/saint-aubin-sur-leze": DemoSite(), "/essai": InvitePage()} {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		csp := rec.Header().Get("Content-Security-Policy")
		if rec.Code != 200 || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: %d, CSP %q", path, rec.Code, csp)
		}
		if !strings.Contains(rec.Body.String(), `src="/widget.js"`) {
			t.Errorf("%s does not embed the widget", path)
		}
	}
}
