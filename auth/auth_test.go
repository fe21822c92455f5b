package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/web"
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
	token, tok, err := a.Create(ctx, auth.Analyst, "saint-aubin-sur-leze", "Service communication", "admin")
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
	if got, ok := b.Lookup(token); !ok || got.ID != tok.ID || got.Tenant != "saint-aubin-sur-leze" {
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
	if _, err := accounts.Create(ctx, "elue", "Mme la Maire", auth.Elected, "montclar", "court", "admin"); !errors.Is(err, auth.ErrAccount) {
		t.Errorf("a short password: %v, want ErrAccount", err)
	}
	acc, err := accounts.Create(ctx, "elue", "Mme la Maire", auth.Elected, "montclar", password, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SignIn(ctx, "ELUE", "mauvais mot de passe", auth.Device{}); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("a wrong password: %v", err)
	}
	s, err := accounts.SignIn(ctx, "ELUE", password, auth.Device{})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := principal(accounts, s.Secret, s.CSRF); !ok || p.Role != auth.Elected || p.Name != "Mme la Maire" || p.Tenant != "montclar" {
		t.Errorf("with cookie and CSRF token: %+v %v", p, ok)
	}
	for _, csrf := range []string{"", s.CSRF[:len(s.CSRF)-1], s.CSRF + "x"} {
		if _, ok := principal(accounts, s.Secret, csrf); ok {
			t.Errorf("CSRF token %q signs in: cross-site requests would too", csrf)
		}
	}
	if err := accounts.Disable(ctx, acc.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, ok := principal(accounts, s.Secret, s.CSRF); ok {
		t.Error("a disabled account's session still signs in")
	}
}

// TestSessionLifetime: a session ends 8 hours after its last use and, however
// often it is used, SessionMaxAge after sign-in (a stolen cookie used every few
// hours does not live for ever); expired sessions are forgotten, by the lookup
// or, for those nobody comes back to, by the janitor.
func TestSessionLifetime(t *testing.T) {
	// The log is in memory here: the clock is synctest's, which a broker's
	// goroutines outside the test's bubble cannot share.
	accounts := auth.NewAccounts(&memLog{}, "montclar")
	if _, err := accounts.Create(context.Background(), "elue", "Mme la Maire", auth.Elected, "", password, "admin"); err != nil {
		t.Fatal(err)
	}
	accounts.SessionMaxAge = 12 * time.Hour
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go accounts.RunJanitor(ctx)
		used, idle, left := signIn(t, accounts, "a"), signIn(t, accounts, "b"), signIn(t, accounts, "c")
		if want := used.Started.Add(12 * time.Hour); !used.Ends.Equal(want) || !used.Expires.Equal(used.Started.Add(auth.IdleTimeout)) {
			t.Errorf("a new session ends %s and expires %s", used.Ends, used.Expires)
		}
		for i := range 3 { // used every 3 hours: the idle timeout alone would keep it for ever
			time.Sleep(3 * time.Hour)
			if _, ok := accounts.Session(used.Secret); !ok {
				t.Fatalf("a session used every 3 hours is refused after %s", time.Since(used.Started))
			}
			if i == 1 { // and then left alone until it ends
				if _, ok := accounts.Session(left.Secret); !ok {
					t.Fatal("a session used 6 hours after sign-in is refused")
				}
			}
		}
		synctest.Wait()
		if n := accounts.StoredSessions(); n != 2 {
			t.Errorf("9 hours on, %d sessions held, want 2: the one unused for 8 hours is still there", n)
		}
		if _, ok := accounts.Session(idle.Secret); ok {
			t.Error("a session unused for 8 hours is accepted")
		}
		time.Sleep(2*time.Hour + 59*time.Minute)
		if _, ok := accounts.Session(used.Secret); !ok {
			t.Fatal("a session is refused before its end")
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if _, ok := accounts.Session(used.Secret); ok {
			t.Error("a session is accepted 12 hours after sign-in")
		}
		if n := accounts.StoredSessions(); n != 0 {
			t.Errorf("%d sessions held 12 hours after sign-in, want 0 (the janitor forgets the one last used 6 hours ago)", n)
		}
		if got := accounts.Sessions(); len(got) != 0 {
			t.Errorf("expired sessions listed: %+v", got)
		}
	})
}

// TestRevokeSessions: an administrator sees who is signed in and from where,
// without anything that would let them act as that person, and ends one
// session (the stolen laptop's) or every session of an account, local or of
// the identity provider.
func TestRevokeSessions(t *testing.T) {
	accounts, acc := newAccounts(t)
	laptop, phone := signIn(t, accounts, "Firefox (portable)"), signIn(t, accounts, "Safari (téléphone)")
	ctx := context.Background()
	agent, err := accounts.OpenSession(ctx, "Alex Durand", auth.Analyst, "", "agent-42", auth.Device{Address: "192.0.2.7", UserAgent: "Chrome"})
	if err != nil {
		t.Fatal(err)
	}
	list := accounts.Sessions()
	if len(list) != 3 || list[0].ID != agent.ID {
		t.Fatalf("sessions, most recently used first: %+v", list)
	}
	for _, s := range list {
		if s.Secret != "" || s.CSRF != "" {
			t.Errorf("the list gives away a session's secret or CSRF token: %+v", s)
		}
		if s.ID == laptop.ID && (s.Device.UserAgent != "Firefox (portable)" || s.Device.Address != "192.0.2.1" || s.AccountID != acc.ID || s.Name != "Mme la Maire") {
			t.Errorf("the laptop's session: %+v", s)
		}
		if s.ID == laptop.Secret || s.ID == phone.Secret || s.ID == agent.Secret {
			t.Error("a session's ID is its secret")
		}
	}
	live := func(s auth.Session) bool { _, ok := principal(accounts, s.Secret, s.CSRF); return ok }

	if err := accounts.RevokeSession(ctx, "nope", "admin"); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("revoking nothing: %v", err)
	}
	if err := accounts.RevokeSession(ctx, laptop.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	if live(laptop) || !live(phone) {
		t.Errorf("after revoking the laptop's session: laptop %v, phone %v", live(laptop), live(phone))
	}
	if n, err := accounts.SignOutEverywhere(ctx, acc.ID, "admin"); err != nil || n != 1 || live(phone) || !live(agent) {
		t.Errorf("signing the account out everywhere ended %d sessions: phone %v, another person %v", n, live(phone), live(agent))
	}
	if n, err := accounts.SignOutEverywhere(ctx, agent.AccountID, "admin"); err != nil || n != 1 || live(agent) || agent.AccountID != "oidc:agent-42" {
		t.Errorf("signing an account of the identity provider out everywhere (%s) ended %d sessions", agent.AccountID, n)
	}
	if got := accounts.Sessions(); len(got) != 0 {
		t.Errorf("sessions left: %+v", got)
	}
}

// TestLoginNeedsJSON: a form on another site can post text/plain or a form
// body without the browser asking first, and would sign the victim in to the
// attacker's account (login CSRF); only JSON is accepted.
func TestLoginNeedsJSON(t *testing.T) {
	accounts, _ := newAccounts(t)
	h := auth.Authenticator{Accounts: accounts}.SessionHandler()
	body := `{"login":"elue","password":"` + password + `"}`
	tests := []struct {
		contentType string
		want        int
	}{
		{"application/json", http.StatusOK},
		{"application/json; charset=utf-8", http.StatusOK},
		{"text/plain", http.StatusUnsupportedMediaType},
		{"text/plain; charset=utf-8", http.StatusUnsupportedMediaType},
		{"application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"multipart/form-data; boundary=x", http.StatusUnsupportedMediaType},
		{"", http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.contentType, func(t *testing.T) {
			resp := do(h, "POST", "http://parvis.test/auth/login", tt.contentType, body, nil, "")
			var out map[string]string
			json.NewDecoder(resp.Body).Decode(&out)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want != http.StatusOK && (len(resp.Cookies()) > 0 || !strings.Contains(out["error"], "JSON")) {
				t.Errorf("refused with cookies %v and %v", resp.Cookies(), out)
			}
		})
	}
}

// TestSessionKeepsTheNetwork: a sign-in keeps the network it came from (IPv4
// /24, IPv6 /48) and its browser, not the exact address: the session events are
// kept on the audit log for ever.
func TestSessionKeepsTheNetwork(t *testing.T) {
	body := `{"login":"elue","password":"` + password + `"}`
	for remote, want := range map[string]string{"198.51.100.77:4242": "198.51.100.0/24", "[2001:db8:aa:bb:cc::1]:443": "2001:db8:aa::/48"} {
		accounts, _ := newAccounts(t)
		r := httptest.NewRequest("POST", "http://parvis.test/auth/login", strings.NewReader(body))
		r.RemoteAddr = remote
		r.Header.Set("User-Agent", "Firefox")
		if resp := serveRequest(web.WithClientAddr(nil, auth.Authenticator{Accounts: accounts}.SessionHandler()), r, "application/json", nil, ""); resp.StatusCode != http.StatusOK {
			t.Fatalf("sign-in from %s: %d", remote, resp.StatusCode)
		}
		if list := accounts.Sessions(); len(list) != 1 || list[0].Device.Address != want || list[0].Device.UserAgent != "Firefox" {
			t.Errorf("sign-in from %s: sessions %+v, want the network %s", remote, list, want)
		}
	}
}

// TestSessionCookie: over HTTPS (direct or through a trusted proxy) the cookie
// has the __Host- prefix, so no sibling subdomain or plain-HTTP page can plant
// one, and a cookie without it does not count; a peer that is no trusted proxy
// claiming HTTPS gets the plain-HTTP cookie; the cookie lasts until the
// session's end; signing out clears the cookie the browser holds.
func TestSessionCookie(t *testing.T) {
	accounts, _ := newAccounts(t)
	// httptest's requests come from 192.0.2.1.
	trusted, _ := web.ParseProxies("192.0.2.1")
	sessions := auth.Authenticator{Accounts: accounts}.SessionHandler()
	body := `{"login":"elue","password":"` + password + `"}`
	tests := []struct {
		name, url, proto, cookie string
		proxies                  []netip.Prefix
		secure                   bool
	}{
		{"HTTP", "http://parvis.test", "", "parvis_session", nil, false},
		{"HTTPS", "https://parvis.test", "", "__Host-parvis_session", nil, true},
		{"HTTPS proxy", "http://parvis.test", "https", "__Host-parvis_session", trusted, true},
		{"HTTPS claimed by a peer that is no trusted proxy", "http://parvis.test", "https", "parvis_session", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := web.WithClientAddr(tt.proxies, sessions)
			req := func(method, path, contentType, body string, c *http.Cookie, csrf string) *http.Response {
				r := httptest.NewRequest(method, tt.url+path, strings.NewReader(body))
				if tt.proto != "" {
					r.Header.Set("X-Forwarded-Proto", tt.proto)
				}
				return serveRequest(h, r, contentType, c, csrf)
			}
			resp := req("POST", "/auth/login", "application/json", body, nil, "")
			var info struct{ CSRF string }
			json.NewDecoder(resp.Body).Decode(&info)
			c := cookie(resp, tt.cookie)
			if c == nil || !c.HttpOnly || c.Secure != tt.secure || c.Path != "/" || c.Domain != "" || c.SameSite != http.SameSiteStrictMode ||
				c.MaxAge < int((auth.DefaultSessionMaxAge-time.Minute).Seconds()) || c.MaxAge > int(auth.DefaultSessionMaxAge.Seconds()) {
				t.Fatalf("session cookie %+v among %v", c, resp.Cookies())
			}
			if resp := req("GET", "/auth/session", "", "", c, ""); resp.StatusCode != http.StatusOK {
				t.Errorf("the session with its cookie: %d", resp.StatusCode)
			}
			if tt.secure { // a cookie planted over HTTP or by a subdomain
				planted := &http.Cookie{Name: "parvis_session", Value: c.Value}
				if resp := req("GET", "/auth/session", "", "", planted, ""); resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("over HTTPS, a cookie without the __Host- prefix counts: %d", resp.StatusCode)
				}
			}
			resp = req("POST", "/auth/logout", "", "", c, info.CSRF)
			if gone := cookie(resp, tt.cookie); resp.StatusCode != http.StatusNoContent || gone == nil || gone.MaxAge >= 0 || gone.Secure != tt.secure {
				t.Errorf("sign-out: %d, clearing %+v", resp.StatusCode, gone)
			}
			if resp := req("GET", "/auth/session", "", "", c, ""); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("the session after sign-out: %d", resp.StatusCode)
			}
		})
	}
}

// TestSignOutEverywhere: someone who has lost a laptop signs out everywhere from
// their phone, with the session's CSRF token.
func TestSignOutEverywhere(t *testing.T) {
	accounts, _ := newAccounts(t)
	h := auth.Authenticator{Accounts: accounts}.SessionHandler()
	laptop, phone := signIn(t, accounts, "portable"), signIn(t, accounts, "téléphone")
	other, err := accounts.OpenSession(context.Background(), "Alex Durand", auth.Analyst, "", "agent-42", auth.Device{})
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Cookie{Name: "parvis_session", Value: phone.Secret}
	do(h, "POST", "http://parvis.test/auth/logout?everywhere=1", "", "", c, "")
	if _, ok := accounts.Session(laptop.Secret); !ok {
		t.Fatal("signing out everywhere without the CSRF token ends sessions")
	}
	do(h, "POST", "http://parvis.test/auth/logout?everywhere=1", "", "", c, phone.CSRF)
	for _, s := range []auth.Session{laptop, phone} {
		if _, ok := accounts.Session(s.Secret); ok {
			t.Errorf("the session of the %s survives signing out everywhere", s.Device.UserAgent)
		}
	}
	if _, ok := accounts.Session(other.Secret); !ok {
		t.Error("signing out everywhere ends someone else's session")
	}
}

const password = "un mot de passe long"

// newAccounts returns the accounts of a real embedded broker, with one local
// account, "elue".
func newAccounts(t *testing.T) (*auth.Accounts, auth.Account) {
	_, pub := eventlogtest.Start(t)
	accounts := auth.NewAccounts(pub, "montclar")
	acc, err := accounts.Create(context.Background(), "elue", "Mme la Maire", auth.Elected, "", password, "admin")
	if err != nil {
		t.Fatal(err)
	}
	return accounts, acc
}

// signIn opens a session of "elue" from a device named by its User-Agent.
func signIn(t *testing.T, accounts *auth.Accounts, userAgent string) auth.Session {
	t.Helper()
	s, err := accounts.SignIn(context.Background(), "elue", password, auth.Device{Address: "192.0.2.1", UserAgent: userAgent})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// principal calls the API through the middleware with a session cookie and a
// CSRF token, and returns who the request was made by.
func principal(accounts *auth.Accounts, secret, csrf string) (auth.Principal, bool) {
	var p auth.Principal
	var ok bool
	h := auth.Authenticator{Accounts: accounts}.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok = auth.PrincipalFrom(r.Context())
	}))
	do(h, "POST", "http://parvis.test/graphql", "application/json", "{}", &http.Cookie{Name: "parvis_session", Value: secret}, csrf)
	return p, ok
}

// do serves one request.
func do(h http.Handler, method, url, contentType, body string, c *http.Cookie, csrf string) *http.Response {
	return serveRequest(h, httptest.NewRequest(method, url, strings.NewReader(body)), contentType, c, csrf)
}

func serveRequest(h http.Handler, r *http.Request, contentType string, c *http.Cookie, csrf string) *http.Response {
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if c != nil {
		r.AddCookie(c)
	}
	if csrf != "" {
		r.Header.Set("X-CSRF-Token", csrf)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

// cookie returns the cookie of that name a response sets.
func cookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// recorder keeps the events it emits, to apply them elsewhere.
// memLog is an audit log held in memory, for tests on synctest's clock.
type memLog struct {
	mu   sync.Mutex
	envs []events.Envelope
}

func (m *memLog) Emit(_ context.Context, tenant, conv string, p events.Payload) (events.Envelope, error) {
	env, err := events.New(tenant, conv, time.Now(), p)
	if err == nil {
		m.mu.Lock()
		m.envs = append(m.envs, env)
		m.mu.Unlock()
	}
	return env, err
}

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

// TestAccountWithoutNameGoesByItsLogin: an account created without a name is
// named by its login, which signs its changes (the « second pair of eyes »
// compares who drafted and who validates: an empty name matched no one).
func TestAccountWithoutNameGoesByItsLogin(t *testing.T) {
	accounts := auth.NewAccounts(&memLog{}, "montclar")
	acc, err := accounts.Create(context.Background(), "agent.etatcivil", "  ", auth.Expert, "", password, "admin")
	if err != nil || acc.Name != "agent.etatcivil" {
		t.Errorf("an account without a name: %+v, %v; want named agent.etatcivil", acc, err)
	}
}

// TestLoginGuessesFromManyAddresses: wrong passwords for one login, each from
// another address (a botnet), are refused after a few, and so is the right
// one for a while; another login still signs in.
func TestLoginGuessesFromManyAddresses(t *testing.T) {
	accounts, _ := newAccounts(t)
	if _, err := accounts.Create(context.Background(), "agent", "Un agent", auth.Agent, "", password, "admin"); err != nil {
		t.Fatal(err)
	}
	h := web.WithClientAddr(nil, auth.Authenticator{Accounts: accounts}.SessionHandler())
	login := func(n int, user, pass string) int {
		r := httptest.NewRequest("POST", "http://parvis.test/auth/login", strings.NewReader(`{"login":"`+user+`","password":"`+pass+`"}`))
		r.RemoteAddr = fmt.Sprintf("203.0.%d.%d:4242", n/250, n%250+1)
		return serveRequest(h, r, "application/json", nil, "").StatusCode
	}
	refused := 0
	for n := range 15 {
		if login(n, "Elue", fmt.Sprintf("essai numéro %d", n)) == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("15 wrong passwords for one login from 15 addresses: none refused")
	}
	if got := login(100, "elue", password); got != http.StatusTooManyRequests {
		t.Errorf("the right password just after the guesses: %d, want 429", got)
	}
	if got := login(101, "agent", password); got != http.StatusOK {
		t.Errorf("another login: %d, want 200", got)
	}
}
