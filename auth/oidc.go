package auth

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/parvis-civic/parvis/web"
	"golang.org/x/oauth2"
)

// OIDCConfig is the authority's identity provider, for signing in to the
// dashboards with the authority's own accounts.
type OIDCConfig struct {
	Issuer       string // e.g. https://sso.ville.fr/realms/agents
	ClientID     string
	ClientSecret string
	// RedirectURL is this server's callback as the provider knows it:
	// https://parvis.ville.fr/auth/oidc/callback. Required: a callback made from
	// the request's Host header would send the provider's code wherever a
	// forged header says.
	RedirectURL string
	// RoleClaim names the ID token claim holding the Parvis role (a string, or a
	// list whose first Parvis role is taken); DefaultRole applies without it ("":
	// refuse).
	RoleClaim   string
	DefaultRole string
	// TenantClaim names the ID token claim holding the tenant a person's
	// session is scoped to (a commune's or an intercommunalité's id); without
	// it, the whole platform.
	TenantClaim string
}

// OIDC signs people in through the identity provider (authorisation code flow
// with PKCE, state and nonce checked) and opens a dashboard session.
type OIDC struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	accounts *Accounts
	log      *slog.Logger
}

// NewOIDC discovers the provider.
func NewOIDC(ctx context.Context, cfg OIDCConfig, accounts *Accounts, log *slog.Logger) (*OIDC, error) {
	if cfg.RedirectURL == "" {
		return nil, errors.New("auth: OpenID Connect needs the redirect URL registered at the provider")
	}
	provider, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: OpenID Connect provider %s: %w", cfg.Issuer, err)
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "parvis_role"
	}
	return &OIDC{
		cfg: cfg,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}},
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		accounts: accounts, log: log,
	}, nil
}

const flowCookie = "parvis_oidc"

// flow is what the browser keeps between its trip to the provider and the
// callback, in a short-lived HttpOnly cookie: the state and nonce that tie the
// callback to this browser, the PKCE verifier without which the code is worth
// nothing to whoever intercepts it, and whether the provider was asked to
// authenticate the person again.
type flow struct {
	state, nonce, verifier string
	reauth                 bool
}

func (f flow) String() string {
	s := f.state + "." + f.nonce + "." + f.verifier
	if f.reauth {
		s += ".reauth"
	}
	return s
}

func parseFlow(v string) (flow, bool) {
	parts := strings.Split(v, ".")
	if len(parts) < 3 || len(parts) > 4 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return flow{}, false
	}
	return flow{state: parts[0], nonce: parts[1], verifier: parts[2], reauth: len(parts) == 4}, true
}

// Handler serves /auth/oidc/login and /auth/oidc/callback.
func (o *OIDC) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth/oidc/login", func(w http.ResponseWriter, r *http.Request) {
		// The dashboard page the person was on: they land there once signed in.
		if next, ok := returnTo(r.URL.Query().Get("next")); ok {
			http.SetCookie(w, &http.Cookie{Name: nextCookie, Value: url.QueryEscape(next), Path: "/auth/oidc/", HttpOnly: true,
				Secure: web.OverHTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: 600})
		}
		o.redirect(w, r, false)
	})
	mux.HandleFunc("GET /auth/oidc/callback", func(w http.ResponseWriter, r *http.Request) {
		who, f, err := o.callback(r)
		if err == nil && o.stale(who) {
			if !f.reauth {
				o.redirect(w, r, true)
				return
			}
			err = errors.New("le fournisseur d'identité ne vous a pas authentifié à nouveau depuis la révocation de vos sessions")
		}
		http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1})
		next := "/dashboards/"
		if c, err := r.Cookie(nextCookie); err == nil {
			if v, err := url.QueryUnescape(c.Value); err == nil {
				if v, ok := returnTo(v); ok {
					next = v
				}
			}
			http.SetCookie(w, &http.Cookie{Name: nextCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1})
		}
		if err != nil {
			o.log.Warn("OpenID Connect sign-in refused", slog.Any("error", err))
			http.Error(w, "Connexion refusée : "+err.Error(), http.StatusForbidden)
			return
		}
		s, err := o.accounts.OpenSession(r.Context(), who.name, who.role, who.tenant, who.subject, deviceOf(r))
		if err != nil {
			o.log.Error("OpenID Connect session not opened", slog.Any("error", err))
			http.Error(w, "Connexion impossible pour le moment : réessayez.", http.StatusServiceUnavailable)
			return
		}
		setSessionCookie(w, r, s)
		// A page of our own finishes the sign-in: a Strict cookie set on a
		// redirect from another site is only sent from the next navigation.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", web.BareCSP)
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=%[1]s">`+
			`<title>Connexion réussie</title><p>Connexion réussie. <a href="%[1]s">Continuer</a></p></html>`, html.EscapeString(next))
	})
	return mux
}

// nextCookie keeps, during a sign-in with the provider, the dashboard page to
// return to.
const nextCookie = "parvis_oidc_next"

// returnTo accepts the page to return to after a sign-in: a page of the
// dashboards on this site only, never another site's (an open redirect).
func returnTo(v string) (string, bool) {
	u, err := url.Parse(v)
	if err != nil || v == "" || len(v) > 500 || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(v, "/dashboards/") || strings.ContainsAny(v, "\\\r\n") || strings.Contains(v, "/..") ||
		// A browser reads %2e as a dot in a path: /dashboards/%2e%2e/ is /.
		strings.Contains(u.Path, "/..") {
		return "", false
	}
	return v, true
}

// redirect sends the browser to the provider with a new flow; with reauth, the
// provider is asked to authenticate the person again, whatever session it holds.
func (o *OIDC) redirect(w http.ResponseWriter, r *http.Request, reauth bool) {
	f := flow{state: NewSecret(), nonce: NewSecret(), verifier: oauth2.GenerateVerifier(), reauth: reauth}
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: f.String(), Path: "/auth/oidc/", HttpOnly: true,
		Secure: web.OverHTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: 600})
	opts := []oauth2.AuthCodeOption{oidc.Nonce(f.nonce), oauth2.S256ChallengeOption(f.verifier)}
	if reauth {
		// max_age also obliges the provider to say in auth_time when it did.
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "login"), oauth2.SetAuthURLParam("max_age", "0"))
	}
	http.Redirect(w, r, o.oauth.AuthCodeURL(f.state, opts...), http.StatusFound)
}

// stale reports whether the provider last authenticated someone before their
// sessions were revoked ([Accounts.RevokeSession],
// [Accounts.SignOutEverywhere]): perhaps on a stolen laptop still signed in
// there. auth_time counts in seconds.
func (o *OIDC) stale(who identity) bool {
	since, revoked := o.accounts.revokedAt(who.subject)
	return revoked && who.authTime.Before(since.Truncate(time.Second))
}

// identity is whom the provider vouched for, and when it last authenticated
// them (zero when it does not say).
type identity struct {
	name, subject string
	role          Role
	tenant        string
	authTime      time.Time
}

func (o *OIDC) callback(r *http.Request) (identity, flow, error) {
	c, err := r.Cookie(flowCookie)
	if err != nil {
		return identity{}, flow{}, errors.New("session de connexion expirée, recommencez")
	}
	f, ok := parseFlow(c.Value)
	if !ok || !sameSecret(r.URL.Query().Get("state"), f.state) {
		return identity{}, f, errors.New("état de connexion invalide")
	}
	if e := r.URL.Query().Get("error"); e != "" {
		return identity{}, f, fmt.Errorf("le fournisseur d'identité a refusé (%s)", e)
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	tok, err := o.oauth.Exchange(ctx, r.URL.Query().Get("code"), oauth2.VerifierOption(f.verifier))
	if err != nil {
		return identity{}, f, errors.New("échange du code refusé")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return identity{}, f, errors.New("jeton d'identité invalide")
	}
	if !sameSecret(idt.Nonce, f.nonce) {
		return identity{}, f, errors.New("nonce invalide")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return identity{}, f, errors.New("jeton d'identité illisible")
	}
	who := identity{subject: idt.Subject, role: o.role(claims[o.cfg.RoleClaim])}
	if o.cfg.TenantClaim != "" {
		t, err := tenantClaim(claims[o.cfg.TenantClaim])
		if err != nil {
			return identity{}, f, err
		}
		who.tenant = t
	}
	if who.role == "" {
		return identity{}, f, errors.New("aucun rôle Parvis pour ce compte")
	}
	if at, ok := claims["auth_time"].(float64); ok {
		who.authTime = time.Unix(int64(at), 0)
	}
	who.name, _ = claims["name"].(string)
	if who.name == "" {
		who.name, _ = claims["email"].(string)
	}
	if who.name == "" {
		who.name = idt.Subject
	}
	return who, f, nil
}

// tenantClaim reads the territory of the person from the tenant claim: one
// string, or a list of one (as multivalued attributes and group mappers send
// it); no claim at all is the whole platform (as documented). A claim that is
// empty (a person taken out of every commune's group), of another shape, or
// naming several territories refuses the sign-in: read wrong, it would open
// the whole platform.
func tenantClaim(claim any) (string, error) {
	name := ""
	switch v := claim.(type) {
	case nil:
		return "", nil
	case string:
		name = v
	case []any:
		if len(v) > 1 {
			return "", errors.New("la revendication de collectivité en nomme plusieurs : une seule est attendue")
		}
		if len(v) == 1 {
			name, _ = v[0].(string)
		}
	}
	if name = strings.TrimSpace(name); name == "" {
		return "", errors.New("la revendication de collectivité est vide ou n'est pas un texte : aucun territoire pour ce compte")
	}
	return name, nil
}

// role reads a role claim: a string or a list of strings, whichever first names a
// Parvis role; else the default role, if any.
func (o *OIDC) role(claim any) Role {
	var values []string
	switch v := claim.(type) {
	case string:
		values = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	for _, v := range values {
		if r, ok := ParseRole(v); ok {
			return r
		}
	}
	r, _ := ParseRole(o.cfg.DefaultRole)
	return r
}
