package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
)

func TestParseRole(t *testing.T) {
	for in, want := range map[string]auth.Role{"admin": auth.Admin, " Expert ": auth.Expert, "ELECTED": auth.Elected, "maire": "", "": ""} {
		got, ok := auth.ParseRole(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestTokensFromTheAuditLog: a token created in one process is known to another
// that applies the same events, by its hash only, until it is revoked.
func TestTokensFromTheAuditLog(t *testing.T) {
	ctx := context.Background()
	_, pub := eventlogtest.Start(t)
	rec := &recorder{Emitter: pub}
	a := auth.NewTokens(rec, "montclar")
	token, tok, err := a.Create(ctx, auth.Analyst, "Service communication", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, auth.TokenPrefix) || tok.Role != auth.Analyst || tok.Name != "Service communication" {
		t.Fatalf("token %q %+v", token, tok)
	}
	if raw, _ := rec.envs[0].Marshal(); strings.Contains(string(raw), strings.TrimPrefix(token, auth.TokenPrefix)) {
		t.Error("the audit event must hold the token's hash, never the token")
	}

	// Another process reads the events from the log.
	b := auth.NewTokens(rec, "montclar")
	for _, env := range rec.envs {
		raw, _ := env.Marshal()
		env, p, err := events.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		b.Apply(env, p)
	}
	if got, ok := b.Lookup(token); !ok || got.ID != tok.ID {
		t.Fatalf("another process does not know the token: %+v %v", got, ok)
	}
	if _, ok := b.Lookup(token + "x"); ok {
		t.Error("a wrong token is accepted")
	}
	if err := a.Revoke(ctx, "nope", "admin"); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("revoking nothing: %v", err)
	}
	if err := a.Revoke(ctx, tok.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Lookup(token); ok {
		t.Error("a revoked token is accepted")
	}
}

// TestSessionsAndMiddleware signs in with a local account and calls through the
// middleware: the cookie alone is not enough, it needs the session's CSRF token.
func TestSessionsAndMiddleware(t *testing.T) {
	ctx := context.Background()
	_, pub := eventlogtest.Start(t)
	accounts := auth.NewAccounts(pub, "montclar")
	if _, err := accounts.Create(ctx, "elue", "Mme la Maire", auth.Elected, "court", "admin"); !errors.Is(err, auth.ErrAccount) {
		t.Errorf("a short password: %v, want ErrAccount", err)
	}
	acc, err := accounts.Create(ctx, "elue", "Mme la Maire", auth.Elected, "un mot de passe long", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SignIn("ELUE", "mauvais mot de passe"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("a wrong password: %v", err)
	}
	s, err := accounts.SignIn("ELUE", "un mot de passe long")
	if err != nil {
		t.Fatal(err)
	}

	var seen auth.Principal
	var signedIn bool
	h := auth.Authenticator{Accounts: accounts}.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, signedIn = auth.PrincipalFrom(r.Context())
	}))
	call := func(csrf string) {
		req := httptest.NewRequest("POST", "/graphql", nil)
		req.AddCookie(&http.Cookie{Name: "parvis_session", Value: s.ID})
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		seen, signedIn = auth.Principal{}, false
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	call(s.CSRF)
	if !signedIn || seen.Role != auth.Elected || seen.Name != "Mme la Maire" {
		t.Errorf("with cookie and CSRF token: %+v %v", seen, signedIn)
	}
	call("")
	if signedIn {
		t.Error("a cookie without the CSRF token signs in: cross-site requests would too")
	}
	if err := accounts.Disable(ctx, acc.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	call(s.CSRF)
	if signedIn {
		t.Error("a disabled account's session still signs in")
	}
}

// recorder keeps the events it emits, to apply them elsewhere.
type recorder struct {
	auth.Emitter
	envs []events.Envelope
}

func (r *recorder) Emit(ctx context.Context, tenant, conv string, p events.Payload) (events.Envelope, error) {
	env, err := r.Emitter.Emit(ctx, tenant, conv, p)
	if err == nil {
		r.envs = append(r.envs, env)
	}
	return env, err
}
