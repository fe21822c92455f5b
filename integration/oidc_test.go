package integration

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// identityProvider is a minimal OpenID Connect provider for the tests: it signs
// in whoever is asked for, with the claims given.
type identityProvider struct {
	*httptest.Server
	key    *rsa.PrivateKey
	mu     sync.Mutex
	nonces map[string]string // code → nonce
	claims map[string]any
}

func newIdentityProvider(t *testing.T, claims map[string]any) *identityProvider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &identityProvider{key: key, nonces: map[string]string{}, claims: claims}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
			"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		code := "code-" + q.Get("state")
		p.mu.Lock()
		p.nonces[code] = q.Get("nonce")
		p.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?code="+url.QueryEscape(code)+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		p.mu.Lock()
		nonce, ok := p.nonces[r.Form.Get("code")]
		p.mu.Unlock()
		if !ok {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k1").WithType("JWT"))
		std := jwt.Claims{Issuer: p.URL, Subject: "agent-42", Audience: jwt.Audience{"parvis"},
			Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour)), IssuedAt: jwt.NewNumericDate(time.Now())}
		extra := map[string]any{"nonce": nonce}
		for k, v := range p.claims {
			extra[k] = v
		}
		raw, err := jwt.Signed(signer).Claims(std).Claims(extra).Serialize()
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "id_token": raw})
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

// signIn follows the whole sign-in flow with a browser-like client and returns
// its final status and the session it holds.
func signIn(t *testing.T, s *parvistest.Server) (int, map[string]string) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get("http://" + s.Addr + "/auth/oidc/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	resp, err = client.Get("http://" + s.Addr + "/auth/session")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var info map[string]string
	json.NewDecoder(resp.Body).Decode(&info)
	return resp.StatusCode, info
}

func TestOpenIDConnect(t *testing.T) {
	idp := newIdentityProvider(t, map[string]any{"name": "Alex Durand", "parvis_role": []string{"agents", "analyst"}})
	s := parvistest.Start(t, t.TempDir(), "--oidc-issuer", idp.URL, "--oidc-client-id", "parvis")
	status, info := signIn(t, s)
	if status != 200 || info["role"] != "ANALYST" || info["name"] != "Alex Durand" || info["csrf"] == "" {
		t.Fatalf("sign-in: %d %v", status, info)
	}
	resp, err := http.Get("http://" + s.Addr + "/auth/config")
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]bool
	json.NewDecoder(resp.Body).Decode(&cfg)
	if !cfg["oidc"] {
		t.Error("/auth/config does not announce the identity provider")
	}

	// Without a Parvis role, no session.
	idp.claims = map[string]any{"name": "Visiteur"}
	if status, _ := signIn(t, s); status != http.StatusForbidden {
		t.Errorf("sign-in without a role: %d, want 403", status)
	}
	if !strings.HasPrefix(idp.URL, "http://127.0.0.1") {
		t.Errorf("the identity provider must stay on loopback: %s", idp.URL)
	}
}
