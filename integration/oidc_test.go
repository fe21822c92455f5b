package integration

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
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
// in whoever is asked for, with the claims given, as a provider that holds a
// session of its own (authenticated an hour ago) would. It insists on PKCE
// (S256), and honours prompt=login unless told to ignore it.
type identityProvider struct {
	*httptest.Server
	key *rsa.PrivateKey

	mu           sync.Mutex
	grants       map[string]grant // by code
	claims       map[string]any
	authTime     time.Time // when the person last authenticated here
	ignorePrompt bool
	prompts      int // authorisations asked with prompt=login
}

// grant is what the provider remembers of an authorisation until the code is
// exchanged.
type grant struct{ nonce, challenge string }

func newIdentityProvider(t *testing.T, claims map[string]any) *identityProvider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &identityProvider{key: key, grants: map[string]grant{}, claims: claims, authTime: time.Now().Add(-time.Hour)}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
			"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"code_challenge_methods_supported": []string{"S256"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		back := q.Get("redirect_uri") + "?state=" + url.QueryEscape(q.Get("state"))
		if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
			http.Redirect(w, r, back+"&error=invalid_request", http.StatusFound)
			return
		}
		code := "code-" + q.Get("state")
		p.mu.Lock()
		p.grants[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge")}
		if q.Get("prompt") == "login" {
			p.prompts++
			if !p.ignorePrompt {
				p.authTime = time.Now()
			}
		}
		p.mu.Unlock()
		http.Redirect(w, r, back+"&code="+url.QueryEscape(code), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		p.mu.Lock()
		g, ok := p.grants[r.Form.Get("code")]
		delete(p.grants, r.Form.Get("code"))
		claims := map[string]any{"nonce": g.nonce, "auth_time": p.authTime.Unix()}
		for k, v := range p.claims {
			claims[k] = v
		}
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.Form.Get("code_verifier")))
		if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k1").WithType("JWT"))
		std := jwt.Claims{Issuer: p.URL, Subject: "agent-42", Audience: jwt.Audience{"parvis"},
			Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour)), IssuedAt: jwt.NewNumericDate(time.Now())}
		raw, err := jwt.Signed(signer).Claims(std).Claims(claims).Serialize()
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

// set changes how the provider behaves, between two sign-ins.
func (p *identityProvider) set(change func(p *identityProvider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change(p)
}

// browser is a browser-like client of the site at base.
type browser struct {
	*http.Client
	base string
}

func newBrowser(base string) browser {
	jar, _ := cookiejar.New(nil)
	return browser{&http.Client{Jar: jar}, base}
}

// signIn follows the whole sign-in flow and returns its final status and the
// session the browser then holds.
func (b browser) signIn(t *testing.T) (int, map[string]string) {
	resp, err := b.Get(b.base + "/auth/oidc/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	return b.session(t)
}

// session returns the status of GET /auth/session and what it says.
func (b browser) session(t *testing.T) (int, map[string]string) {
	resp, err := b.Get(b.base + "/auth/session")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var info map[string]string
	json.NewDecoder(resp.Body).Decode(&info)
	return resp.StatusCode, info
}

// TestOpenIDConnect signs in through the authority's provider, with Parvis
// behind the town's reverse proxy at the address registered there: the code
// flow with PKCE, the role from the ID token, the callback from the
// configuration whatever Host header a request carries, and a sign-out
// everywhere that a provider still signed in on a stolen laptop cannot undo.
func TestOpenIDConnect(t *testing.T) {
	idp := newIdentityProvider(t, map[string]any{"name": "Alex Durand", "parvis_role": []string{"agents", "analyst"}, "parvis_tenant": "montclar"})
	front := httptest.NewUnstartedServer(nil)
	site := "http://" + front.Listener.Addr().String()
	s := parvistest.Start(t, t.TempDir(), "--oidc-issuer", idp.URL, "--oidc-client-id", "parvis",
		"--oidc-redirect-url", site+"/auth/oidc/callback")
	front.Config.Handler = httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: s.Addr})
	front.Start()
	t.Cleanup(front.Close)

	laptop := newBrowser(site)
	status, info := laptop.signIn(t)
	if status != 200 || info["role"] != "ANALYST" || info["name"] != "Alex Durand" || info["csrf"] == "" || info["tenant"] != "montclar" {
		t.Fatalf("sign-in: %d %v", status, info)
	}
	// Back on the dashboard page the person left to sign in, never another site.
	for next, want := range map[string]string{
		"/dashboards/elus.html?territoire=montclar": `url=/dashboards/elus.html?territoire=montclar"`,
		"https://evil.example/":                     `url=/dashboards/"`,
	} {
		resp, err := newBrowser(site).Get(site + "/auth/oidc/login?next=" + url.QueryEscape(next))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), want) {
			t.Errorf("signed in from %s: %s, want %s", next, body, want)
		}
	}
	resp, err := http.Get(site + "/auth/config")
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]bool
	json.NewDecoder(resp.Body).Decode(&cfg)
	if !cfg["oidc"] {
		t.Error("/auth/config does not announce the identity provider")
	}

	// The way to the provider: the configured callback, not one made from a
	// forged Host header; PKCE; a short-lived HttpOnly cookie for the flow.
	req, _ := http.NewRequest(http.MethodGet, "http://"+s.Addr+"/auth/oidc/login", nil)
	req.Host = "evil.example"
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to, _ := url.Parse(resp.Header.Get("Location"))
	if q := to.Query(); q.Get("redirect_uri") != site+"/auth/oidc/callback" || q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 {
		t.Errorf("to the provider with Host: evil.example: %s", to)
	}
	if c := resp.Cookies(); len(c) != 1 || c[0].Name != "parvis_oidc" || !c[0].HttpOnly || c[0].MaxAge <= 0 || c[0].MaxAge > 600 {
		t.Errorf("flow cookie %+v", c)
	}

	// Signing out everywhere from a phone ends the laptop's session, and the
	// provider's own session on the laptop does not open a new one: Parvis asks
	// the provider to authenticate the person again, and checks it did.
	phone := newBrowser(site)
	_, info = phone.signIn(t)
	req, _ = http.NewRequest(http.MethodPost, site+"/auth/logout?everywhere=1", nil)
	req.Header.Set("X-CSRF-Token", info["csrf"])
	if resp, err := phone.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("sign out everywhere: %v %v", resp, err)
	}
	if status, _ := laptop.session(t); status != http.StatusUnauthorized {
		t.Errorf("the laptop's session after signing out everywhere: %d", status)
	}
	idp.set(func(p *identityProvider) { p.ignorePrompt = true })
	if status, _ := laptop.signIn(t); status != http.StatusForbidden {
		t.Errorf("sign-in with the provider's session of before the revocation: %d, want 403", status)
	}
	idp.set(func(p *identityProvider) { p.ignorePrompt = false })
	if status, info := laptop.signIn(t); status != 200 || info["role"] != "ANALYST" {
		t.Errorf("sign-in after authenticating again: %d %v", status, info)
	}
	idp.set(func(p *identityProvider) {
		if p.prompts != 2 {
			t.Errorf("the provider was asked %d times to authenticate again, want 2", p.prompts)
		}
	})

	// Without a Parvis role, no session.
	idp.set(func(p *identityProvider) { p.claims = map[string]any{"name": "Visiteur"} })
	if status, _ := newBrowser(site).signIn(t); status != http.StatusForbidden {
		t.Errorf("sign-in without a role: %d, want 403", status)
	}
	if !strings.HasPrefix(idp.URL, "http://127.0.0.1") {
		t.Errorf("the identity provider must stay on loopback: %s", idp.URL)
	}
}
