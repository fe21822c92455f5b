package graphql

import (
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/parvis-civic/parvis/graphql/generated"
)

// Limits of what one request may ask.
const (
	maxComplexity = 500
	maxBodyBytes  = 64 << 10
)

// NewHandler returns the HTTP handler of /graphql: POST JSON (and GET for
// queries), complexity-limited, with every error carrying extensions.code.
func NewHandler(r *Resolver, auth Authenticator) http.Handler {
	cfg := generated.Config{Resolvers: r}
	cfg.Directives.Auth = authDirective
	srv := handler.New(generated.NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.Use(extension.FixedComplexityLimit(maxComplexity))
	srv.SetErrorPresenter(presentError(r.Logger))
	srv.SetRecoverFunc(recoverFunc(r.Logger))
	h := http.MaxBytesHandler(srv, maxBodyBytes)
	h = http.TimeoutHandler(h, 15*time.Second, `{"errors":[{"message":"Délai dépassé.","extensions":{"code":"TIMEOUT"}}]}`)
	return auth.Middleware(h)
}
