// Package web holds the HTTP middleware that the API, the widget and the
// dashboards share: who the client is ([WithClientAddr], [ClientAddr]), how often
// it may call ([Limiter]), which sites may call from a browser ([CORS]), what a
// page may load ([PageCSP]) and the bounds of a request and of the server
// ([Bounded], [NewServer]). It knows nothing of chat, sign-in or GraphQL.
package web

import (
	"net/http"
	"time"
)

// PageCSP is the Content-Security-Policy of every page Parvis serves (the demo
// site, the dashboards): nothing but its own scripts, styles and API, no inline
// script or style.
const PageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// BareCSP is the policy of a page that loads nothing at all (a message after a
// sign-in).
const BareCSP = "default-src 'none'"

// Bounded limits a handler's request to maxBody bytes, in its body or in its
// query string (a GET carries its request there), and its run to timeout, after
// which the client gets timeoutBody (with status 503).
func Bounded(h http.Handler, maxBody int64, timeout time.Duration, timeoutBody string) http.Handler {
	h = http.TimeoutHandler(http.MaxBytesHandler(h, maxBody), timeout, timeoutBody)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int64(len(r.URL.RawQuery)) > maxBody {
			http.Error(w, "requête trop longue", http.StatusRequestURITooLong)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// maxHeaderBytes bounds a request's line and headers (Go's default is 1 MB).
const maxHeaderBytes = 128 << 10

// NewServer returns an HTTP server with explicit timeouts, so that a slow or
// silent client cannot hold a connection for ever.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr: addr, Handler: h,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 20 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
		MaxHeaderBytes: maxHeaderBytes,
	}
}
