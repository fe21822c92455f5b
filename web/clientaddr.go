package web

import (
	"context"
	"net"
	"net/http"
)

// RemoteHost returns the address of the client of a request, without its port:
// the one place that reads it, for rate limits and logs.
func RemoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type clientKey struct{}

// WithClientAddr records the client's address ([RemoteHost]) in the request
// context, for handlers that only see the context (GraphQL resolvers).
func WithClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, RemoteHost(r))))
	})
}

// ClientAddr returns the address recorded by [WithClientAddr].
func ClientAddr(ctx context.Context) string {
	s, _ := ctx.Value(clientKey{}).(string)
	return s
}
