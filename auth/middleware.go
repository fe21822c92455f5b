package auth

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/parvis-civic/parvis/web"
)

// Authenticator resolves bearer tokens to principals.
type Authenticator struct {
	AdminToken string    // PARVIS_ADMIN_TOKEN, accepted as an admin token when set
	Tokens     *Tokens   // API tokens created with createApiToken; may be nil
	Accounts   *Accounts // local accounts and their browser sessions; may be nil
	// Limit bounds the requests a minute of each token or account; nil: none.
	Limit *web.Limiter
	// Failures bounds the wrong bearer tokens a minute from one client address
	// (web.ClientAddr), so that tokens cannot be guessed; nil: none.
	Failures *web.Limiter
	// OIDC tells the pages that the authority's identity provider signs in too.
	OIDC bool
}

// Middleware puts the caller of each request in its context. A request without a
// token is anonymous (chat is public); a wrong token is anonymous too, and the
// fields that need a role refuse it, until the address has sent too many.
func (a Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p Principal
		var ok bool
		if tok, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); bearer {
			p, ok = a.resolve(strings.TrimSpace(tok))
			if !ok && !a.Failures.Allow(web.ClientAddr(r.Context())) {
				tooMany(w, "Trop de jetons refusés depuis cette adresse : patientez une minute.")
				return
			}
		} else {
			p, ok = a.fromSession(r)
		}
		if ok {
			if !a.Limit.Allow(p.Name + "/" + string(p.Role)) {
				tooMany(w, "Trop de requêtes pour ce jeton : patientez une minute.")
				return
			}
			r = r.WithContext(WithPrincipal(r.Context(), p))
		}
		next.ServeHTTP(w, r)
	})
}

// tooMany answers 429 as a GraphQL error the pages and clients understand.
func tooMany(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": msg, "extensions": map[string]string{"code": "RATE_LIMITED"}}}})
}

func (a Authenticator) resolve(token string) (Principal, bool) {
	if a.AdminToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(a.AdminToken)) == 1 {
		return Principal{Name: "admin (PARVIS_ADMIN_TOKEN)", Role: Admin}, true
	}
	if a.Tokens != nil {
		if t, ok := a.Tokens.Lookup(token); ok {
			return Principal{Name: t.Name, Role: t.Role, Tenant: t.Tenant, Services: t.Services}, true
		}
	}
	return Principal{}, false
}
