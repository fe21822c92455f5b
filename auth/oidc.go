package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
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
	// https://parvis.ville.fr/auth/oidc/callback. Empty: made from the request's
	// host.
	RedirectURL string
	// RoleClaim names the ID token claim holding the Parvis role (a string, or a
	// list whose first Parvis role is taken); DefaultRole applies without it ("":
	// refuse).
	RoleClaim   string
	DefaultRole string
}

// OIDC signs people in through the identity provider (authorisation code flow,
// state and nonce checked) and opens a dashboard session.
type OIDC struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	accounts *Accounts
	log      *slog.Logger
}

// NewOIDC discovers the provider.
func NewOIDC(ctx context.Context, cfg OIDCConfig, accounts *Accounts, log *slog.Logger) (*OIDC, error) {
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

// Handler serves /auth/oidc/login and /auth/oidc/callback.
func (o *OIDC) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth/oidc/login", func(w http.ResponseWriter, r *http.Request) {
		state, nonce := NewSecret(), NewSecret()
		http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: state + "." + nonce, Path: "/auth/oidc/", HttpOnly: true,
			Secure: overHTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: 600})
		conf := o.config(r)
		http.Redirect(w, r, conf.AuthCodeURL(state, oidc.Nonce(nonce)), http.StatusFound)
	})
	mux.HandleFunc("GET /auth/oidc/callback", func(w http.ResponseWriter, r *http.Request) {
		name, role, subject, err := o.callback(r)
		if err != nil {
			o.log.Warn("OpenID Connect sign-in refused", slog.Any("error", err))
			http.Error(w, "Connexion refusée : "+err.Error(), http.StatusForbidden)
			return
		}
		s := o.accounts.OpenSession(name, role, subject, deviceOf(r))
		http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1})
		setSessionCookie(w, r, s)
		// A page of our own finishes the sign-in: a Strict cookie set on a
		// redirect from another site is only sent from the next navigation.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", web.BareCSP)
		fmt.Fprint(w, `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Connexion réussie</title>`+
			`<p>Connexion réussie. <a href="/dashboards/">Ouvrir les tableaux de bord</a></p></html>`)
	})
	return mux
}

func (o *OIDC) callback(r *http.Request) (name string, role Role, subject string, err error) {
	c, err := r.Cookie(flowCookie)
	if err != nil {
		return "", "", "", fmt.Errorf("session de connexion expirée, recommencez")
	}
	state, nonce, _ := strings.Cut(c.Value, ".")
	if r.URL.Query().Get("state") != state || state == "" {
		return "", "", "", fmt.Errorf("état de connexion invalide")
	}
	if e := r.URL.Query().Get("error"); e != "" {
		return "", "", "", fmt.Errorf("le fournisseur d'identité a refusé (%s)", e)
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	conf := o.config(r)
	tok, err := conf.Exchange(ctx, r.URL.Query().Get("code"))
	if err != nil {
		return "", "", "", fmt.Errorf("échange du code refusé")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return "", "", "", fmt.Errorf("jeton d'identité invalide")
	}
	if idt.Nonce != nonce {
		return "", "", "", fmt.Errorf("nonce invalide")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return "", "", "", fmt.Errorf("jeton d'identité illisible")
	}
	role = o.role(claims[o.cfg.RoleClaim])
	if role == "" {
		return "", "", "", fmt.Errorf("aucun rôle Parvis pour ce compte")
	}
	name, _ = claims["name"].(string)
	if name == "" {
		name, _ = claims["email"].(string)
	}
	if name == "" {
		name = idt.Subject
	}
	return name, role, idt.Subject, nil
}

// config returns the OAuth2 configuration, with the callback made from the
// request when none is configured.
func (o *OIDC) config(r *http.Request) oauth2.Config {
	c := o.oauth
	if c.RedirectURL == "" {
		scheme := "http"
		if overHTTPS(r) {
			scheme = "https"
		}
		c.RedirectURL = scheme + "://" + r.Host + "/auth/oidc/callback"
	}
	return c
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
