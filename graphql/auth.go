package graphql

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/ingest"
)

// Principal is who calls the API.
type Principal struct {
	Name string
	Role model.Role
}

type principalKey struct{}

// PrincipalFrom returns the caller of a request, if authenticated.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Authenticator resolves bearer tokens to principals.
type Authenticator struct {
	AdminToken string             // PARVIS_ADMIN_TOKEN, accepted as an admin token when set
	Tokens     *eventlog.Tokens   // API tokens created with createApiToken; may be nil
	Accounts   *eventlog.Accounts // local accounts and their browser sessions; may be nil
	// Limit bounds the requests a minute of each token or account; nil: none.
	Limit *ingest.Limiter
	// OIDC tells the pages that the authority's identity provider signs in too.
	OIDC bool
}

// Middleware puts the caller of each request in its context. A request without a
// token is anonymous (chat is public); a wrong token is anonymous too, and the
// fields that need a role refuse it.
func (a Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p Principal
		var ok bool
		if tok, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); bearer {
			p, ok = a.resolve(strings.TrimSpace(tok))
		} else {
			p, ok = a.fromSession(r)
		}
		if ok {
			if !a.Limit.Allow(p.Name + "/" + string(p.Role)) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				w.Write([]byte(`{"errors":[{"message":"Trop de requêtes pour ce jeton : patientez une minute.","extensions":{"code":"RATE_LIMITED"}}]}`))
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
		}
		next.ServeHTTP(w, r)
	})
}

func (a Authenticator) resolve(token string) (Principal, bool) {
	if a.AdminToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(a.AdminToken)) == 1 {
		return Principal{Name: "admin (PARVIS_ADMIN_TOKEN)", Role: model.RoleAdmin}, true
	}
	if a.Tokens != nil {
		if t, ok := a.Tokens.Lookup(token); ok {
			return Principal{Name: t.Name, Role: model.Role(t.Role)}, true
		}
	}
	return Principal{}, false
}

// authDirective implements @auth(roles: [...]).
func authDirective(ctx context.Context, _ any, next graphql.Resolver, roles []model.Role) (any, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return nil, errUnauthenticated
	}
	for _, r := range roles {
		if p.Role == r {
			return next(ctx)
		}
	}
	return nil, errForbidden
}
