// Package dashboards serves the pages of the people who run Parvis, in French:
// the communications team's workbench of unmet demand (groups of unanswered
// questions, examples, CSV export, drafting an entry from a group), the
// experts' validation queue, the elected officials' dashboard and the agents'
// service desk of demandes (demandes.html). Pages are static files embedded in
// the binary; they read and write through the GraphQL API with the user's
// token, under a strict Content-Security-Policy.
package dashboards

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/parvis-civic/parvis/web"
)

//go:embed assets
var assets embed.FS

// Favicon serves the icon of Parvis (/favicon.svg), which every page it
// serves links to: the dashboards and the demo site.
func Favicon() http.Handler {
	svg, err := assets.ReadFile("assets/favicon.svg")
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "image/svg+xml")
		h.Set("Cache-Control", "public, max-age=86400")
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write(svg)
	})
}

// Handler serves /dashboards/.
func Handler() http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/dashboards/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", web.PageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
