package graphql

import (
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/graphql/generated"
	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/web"
)

func pageSize(n *int, def int) int {
	if n == nil {
		return def
	}
	return max(1, *n)
}

// Limits of what one request may ask.
const (
	maxComplexity = 20000
	maxBodyBytes  = 64 << 10
)

// NewHandler returns the HTTP handler of /graphql: POST JSON (and GET for
// queries), complexity- and depth-limited, with every error carrying
// extensions.code. Introspection is off unless asked for.
func NewHandler(r *Resolver, authn auth.Authenticator, introspection bool) http.Handler {
	cfg := generated.Config{Resolvers: r}
	cfg.Directives.Auth = authDirective
	// Lists cost what they may return, so that many aliases of a long list add up.
	cfg.Complexity.Query.KbEntries = func(child int, _ *string, first *int) int {
		return 1 + child*pageSize(first, 50)
	}
	cfg.Complexity.Query.UnansweredClusters = func(child int, _, _ time.Time, limit *int, _ *model.Audience, _ *model.SignalReason, _ *string) int {
		return 1 + child*pageSize(limit, 20)
	}
	srv := handler.New(generated.NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.Use(extension.FixedComplexityLimit(maxComplexity))
	srv.AroundOperations(limitDepth)
	if introspection {
		srv.Use(extension.Introspection{})
	}
	srv.SetErrorPresenter(presentError(r.Logger))
	srv.SetRecoverFunc(recoverFunc(r.Logger))
	return authn.Middleware(web.Bounded(srv, maxBodyBytes, 15*time.Second,
		`{"errors":[{"message":"Délai dépassé.","extensions":{"code":"TIMEOUT"}}]}`))
}
