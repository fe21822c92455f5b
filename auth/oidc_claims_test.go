package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/parvis-civic/parvis/auth"
)

// fakeIdP is a minimal OpenID provider that signs whoever asks in with claims.
func fakeIdP(t *testing.T, claims map[string]any) *httptest.Server {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	nonces := map[string]string{}
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "authorization_endpoint": srv.URL + "/authorize",
			"token_endpoint": srv.URL + "/token", "jwks_uri": srv.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		nonces["c"] = q.Get("nonce")
		http.Redirect(w, r, q.Get("redirect_uri")+"?state="+url.QueryEscape(q.Get("state"))+"&code=c", http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k1").WithType("JWT"))
		c := map[string]any{"nonce": nonces["c"]}
		for k, v := range claims {
			c[k] = v
		}
		raw, _ := jwt.Signed(signer).Claims(jwt.Claims{Issuer: srv.URL, Subject: "agent-7", Audience: jwt.Audience{"parvis"},
			Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour)), IssuedAt: jwt.NewNumericDate(time.Now())}).Claims(c).Serialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "id_token": raw})
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestOIDCTenantClaim: the tenant claim as a string or as a list of one (as
// Keycloak's multivalued attribute and group mappers send it) scopes the
// person to that commune; a list of several, an empty one, a blank or a
// number refuses the sign-in, never the whole platform.
func TestOIDCTenantClaim(t *testing.T) {
	for name, tt := range map[string]struct {
		claim  any
		tenant string // "": refused
	}{"string": {"montclar", "montclar"}, "list": {[]string{"montclar"}, "montclar"}, "several": {[]string{"montclar", "saint-aubin-sur-leze"}, ""},
		"empty list": {[]string{}, ""}, "blank": {"  ", ""}, "number": {42, ""}} {
		claim := tt.claim
		t.Run(name, func(t *testing.T) {
			claims := map[string]any{"name": "Agent de Montclar", "parvis_role": "admin"}
			if claim != nil {
				claims["parvis_tenant"] = claim
			}
			idp := fakeIdP(t, claims)
			accounts := auth.NewAccounts(&memLog{}, "montclar")
			mux := http.NewServeMux()
			site := httptest.NewServer(mux)
			defer site.Close()
			o, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: idp.URL, ClientID: "parvis",
				RedirectURL: site.URL + "/auth/oidc/callback", TenantClaim: "parvis_tenant"}, accounts, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			mux.Handle("/auth/oidc/", o.Handler())
			mux.Handle("/auth/", auth.Authenticator{Accounts: accounts}.SessionHandler())
			jar, _ := cookiejar.New(nil)
			b := &http.Client{Jar: jar}
			resp, err := b.Get(site.URL + "/auth/oidc/login")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			resp, err = b.Get(site.URL + "/auth/session")
			if err != nil {
				t.Fatal(err)
			}
			var info map[string]string
			json.NewDecoder(resp.Body).Decode(&info)
			resp.Body.Close()
			switch {
			case tt.tenant == "" && resp.StatusCode == 200:
				t.Errorf("tenant claim %v: signed in (%v), want refused", claim, info)
			case tt.tenant != "" && (resp.StatusCode != 200 || info["tenant"] != tt.tenant):
				t.Errorf("tenant claim %v: %d %v, want signed in as %s", claim, resp.StatusCode, info, tt.tenant)
			}
		})
	}
}
