package ingest

import (
	"embed"
	"net/http"
	"strings"

	"github.com/parvis-civic/parvis/web"
)

//go:embed widget/widget.js widget/site
var assets embed.FS

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

// DemoSite serves the demo's sites, each embedding the widget of its commune:
// the homepage of Montclar (/) with its privacy page (/confidentialite), the
// homepage of Saint-Aubin-sur-Lèze (/saint-aubin-sur-leze), and their
// stylesheet.
func DemoSite() http.Handler {
	return sitePages(map[string]string{
		"/": "widget/site/index.html", "/confidentialite": "widget/site/confidentialite.html", "/site.css": "widget/site/site.css",
		"/saint-aubin-sur-leze": "widget/site/saint-aubin-sur-leze.html",
	})
}

// InvitePage serves /essai, a page that holds nothing but the widget: the one
// test campaigns' invite URLs open when no town site is given (--campaign-url)
// and there is no demo site.
func InvitePage() http.Handler {
	return sitePages(map[string]string{"/essai": "widget/site/essai.html"})
}

// sitePages serves the embedded files of pages, by path.
func sitePages(pages map[string]string) http.Handler {
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
			h.Set("Content-Security-Policy", web.PageCSP)
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write(b)
	})
}
