package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

type originKey struct{}

// PageOrigin is the origin of the browser page that made a request.
type PageOrigin struct {
	// Origin is the Origin header: "" when the client sent none (a program,
	// not a browser page: browsers send it with every cross-site call and every
	// POST).
	Origin string
	// Own reports whether the page is served by this deployment (same host), as
	// the demo's pages are.
	Own bool
}

// WithOrigin records the calling page's origin in the request context, for
// the checks that depend on which site embeds the widget.
func WithOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := PageOrigin{Origin: strings.TrimRight(r.Header.Get("Origin"), "/")}
		if u, err := url.Parse(o.Origin); o.Origin != "" && err == nil {
			o.Own = u.Host != "" && strings.EqualFold(u.Host, r.Host)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), originKey{}, o)))
	})
}

// Origin returns the page origin recorded by [WithOrigin] (the zero value
// without it: no page).
func Origin(ctx context.Context) PageOrigin {
	o, _ := ctx.Value(originKey{}).(PageOrigin)
	return o
}
