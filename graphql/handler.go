package graphql

import (
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/graphql/generated"
	"github.com/parvis-civic/parvis/tenant"
	"github.com/parvis-civic/parvis/web"
)

// queryCacheSize bounds the documents kept parsed: the clients' own are a few
// dozen; past that, the least used go.
const queryCacheSize = 1000

// NewHandler returns the HTTP handler of /graphql: POST JSON (and GET for
// queries), complexity- and depth-limited, with every error carrying
// extensions.code. Introspection is off unless asked for.
func NewHandler(r *Resolver, authn auth.Authenticator, introspection bool) http.Handler {
	if r.Registry == nil {
		r.Registry = tenant.NewRegistry(nil)
	}
	// The writer checks every change to the knowledge base against the
	// caller's territory itself, whatever path makes it (an edit, an import, an
	// accepted suggestion, a tester's phrasing): an entry answers its tenant's
	// citizens, so its tenant's experts decide.
	if r.KB != nil && r.KB.Territory == nil {
		r.KB.Territory, r.KB.Reads = r.visible, r.reads
	}
	cfg := generated.Config{Resolvers: r}
	cfg.Directives.Auth = authDirective
	setCosts(&cfg.Complexity)
	schema := generated.NewExecutableSchema(cfg)
	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	// A document is parsed and validated once, then taken from the cache: the
	// widget and the dashboards send the same few documents again and again,
	// and parsing and validating one cost as much as a chat turn's decision.
	srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize))
	srv.Use(extension.FixedComplexityLimit(maxComplexity))
	srv.AroundOperations(countOperations)
	srv.AroundOperations(limitDepth)
	srv.AroundFields(limitPublic(r.Public))
	if introspection {
		srv.Use(extension.Introspection{})
	}
	srv.SetErrorPresenter(presentError(r.Logger, enumsOf(schema.Schema())))
	srv.SetRecoverFunc(recoverFunc(r.Logger))
	const timeout = `{"errors":[{"message":"Délai dépassé.","extensions":{"code":"TIMEOUT"}}]}`
	public := web.Bounded(srv, maxBodyBytes, 15*time.Second, timeout)
	// Signed-in staff may send a spreadsheet (importKb): a larger body, longer.
	staff := web.Bounded(srv, maxStaffBodyBytes, 60*time.Second, timeout)
	return authn.Middleware(web.WithOrigin(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if _, ok := auth.PrincipalFrom(req.Context()); ok {
			staff.ServeHTTP(w, req)
			return
		}
		public.ServeHTTP(w, req)
	})))
}
