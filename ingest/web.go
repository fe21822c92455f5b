package ingest

import (
	"embed"
	"net/http"
	"slices"
	"strings"
)

//go:embed widget/widget.js widget/site
var assets embed.FS

// pageCSP is the Content-Security-Policy of the pages Parvis serves: nothing but
// its own scripts, styles and API. The widget itself needs no 'unsafe-inline'.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// WidgetHandler serves /widget.js, the embeddable chat widget.
func WidgetHandler() http.Handler {
	js, err := assets.ReadFile("widget/widget.js")
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		w.Write(js)
	})
}

// DemoSite serves the demo town's homepage (/), its privacy page
// (/confidentialite) and stylesheet, each embedding the widget.
func DemoSite() http.Handler {
	pages := map[string]string{
		"/": "widget/site/index.html", "/confidentialite": "widget/site/confidentialite.html", "/site.css": "widget/site/site.css",
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := assets.ReadFile(file)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		if strings.HasSuffix(file, ".css") {
			h.Set("Content-Type", "text/css; charset=utf-8")
		} else {
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Content-Security-Policy", pageCSP)
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write(b)
	})
}

// CORS lets the widget call the API from the sites allowed to embed it
// ("*": any site). Requests from other origins get no CORS headers, so browsers
// refuse them; requests without an Origin (curl, servers) are not concerned.
func CORS(allowed []string, next http.Handler) http.Handler {
	any := slices.Contains(allowed, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && (any || slices.Contains(allowed, origin)) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
			h.Set("Access-Control-Max-Age", "600")
		} else if origin != "" && r.Method == http.MethodOptions {
			http.Error(w, "origine non autorisée", http.StatusForbidden)
			return
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
