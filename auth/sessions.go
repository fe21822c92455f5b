package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/parvis-civic/parvis/events"
)

// ErrNoSession is returned when revoking a session that is not live.
var ErrNoSession = errors.New("auth: no such session")

// Session is a signed-in browser: a secret in an HttpOnly cookie, and a CSRF
// token the pages send back in a header with every request. It ends after
// [IdleTimeout] without use, and [Accounts.SessionMaxAge] after sign-in however
// often it is used, so that a stolen cookie does not live for ever.
type Session struct {
	// ID names the session for administrators ([Accounts.Sessions],
	// [Accounts.RevokeSession]); it is not a credential.
	ID string
	// Secret is the cookie's value. Only what signs in and what looks a session
	// up by its secret return it: the sessions are held by the secret's SHA-256.
	Secret string
	// CSRF must come back with every API request made with the cookie (derived
	// from the secret); empty in [Accounts.Sessions].
	CSRF      string
	Name      string
	Role      Role
	Tenant    string // scope: see [Principal.Tenant]
	AccountID string // a local account's id, or "oidc:" and the provider's subject
	Device    Device
	Started   time.Time // sign-in
	LastSeen  time.Time
	Ends      time.Time // Started + SessionMaxAge: the end, whatever the use
	Expires   time.Time // the sooner of LastSeen + IdleTimeout and Ends
}

// Device tells an administrator which browser holds a session: its address and
// its User-Agent at sign-in.
type Device struct {
	Address, UserAgent string
}

// Session lifetimes.
const (
	// IdleTimeout ends a session unused for this long.
	IdleTimeout = 8 * time.Hour
	// DefaultSessionMaxAge ends a session this long after sign-in when
	// [Accounts.SessionMaxAge] is not set: a working day, used or not.
	DefaultSessionMaxAge = 12 * time.Hour
)

// oidcAccount starts the account id of a session opened by the identity
// provider.
const oidcAccount = "oidc:"

// dummyHash keeps a wrong login as slow as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("parvis-no-such-account"), 12)

// SignIn checks a login and password and opens a session for the device.
func (a *Accounts) SignIn(ctx context.Context, login, password string, from Device) (Session, error) {
	// A copy read under the lock: a new password may replace the hash.
	a.mu.Lock()
	found, ok := a.byLogin[strings.ToLower(strings.TrimSpace(login))]
	var acc Account
	if ok {
		acc = *found
	}
	a.mu.Unlock()
	hash := dummyHash
	if ok && !acc.Disabled {
		hash = acc.hash
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || !ok || acc.Disabled {
		return Session{}, ErrBadCredentials
	}
	return a.open(ctx, acc.Name, acc.Role, acc.Tenant, acc.ID, from)
}

// OpenSession opens a session for someone the authority's identity provider
// vouched for (OpenID Connect): no local account, the role comes from the
// provider, and so does the tenant it is scoped to ("": the whole platform).
func (a *Accounts) OpenSession(ctx context.Context, name string, role Role, tenant, subject string, from Device) (Session, error) {
	return a.open(ctx, name, role, tenant, oidcAccount+subject, from)
}

// open records a new session on the audit log, where every api process learns
// it, and returns it with its secret.
func (a *Accounts) open(ctx context.Context, name string, role Role, tenant, accountID string, from Device) (Session, error) {
	now := time.Now()
	maxAge := a.SessionMaxAge
	if maxAge <= 0 {
		maxAge = DefaultSessionMaxAge
	}
	secret := NewSecret()
	key := sessionKey(secret)
	p := events.SessionOpened{SessionID: events.NewID(now), Key: hex.EncodeToString(key[:]), AccountID: accountID,
		Name: name, Role: string(role), Scope: tenant, Address: from.Address, UserAgent: from.UserAgent, Ends: now.Add(maxAge)}
	env, err := a.Log.Emit(ctx, a.envelopeTenant(tenant), "", p)
	if err != nil {
		return Session{}, err
	}
	a.Apply(env, &p)
	s, ok := a.Session(secret)
	if !ok {
		return Session{}, fmt.Errorf("auth: session %s ended as it opened", p.SessionID)
	}
	return s, nil
}

// applySession applies a session's event from the audit log; a.mu is held.
func (a *Accounts) applySession(env events.Envelope, p events.Payload) {
	switch p := p.(type) {
	case *events.SessionOpened:
		raw, err := hex.DecodeString(p.Key)
		if err != nil || len(raw) != sha256.Size {
			return
		}
		key := [sha256.Size]byte(raw)
		if _, ok := a.sessions[key]; ok {
			return
		}
		s := &live{Session: Session{ID: p.SessionID, Name: p.Name, Role: Role(p.Role), Tenant: p.Scope, AccountID: p.AccountID,
			Device: Device{Address: p.Address, UserAgent: p.UserAgent}, Started: env.At, LastSeen: env.At, Ends: p.Ends}, logged: env.At}
		s.Expires = s.expiry()
		if time.Now().Before(s.Expires) { // not a session long over, read at start-up
			a.sessions[key] = s
		}
	case *events.SessionSeen:
		if _, s := a.sessionByID(p.SessionID); s != nil && env.At.After(s.LastSeen) {
			s.LastSeen, s.logged = env.At, env.At
			s.Expires = s.expiry()
		}
	case *events.SessionEnded:
		if p.SessionID != "" {
			if key, s := a.sessionByID(p.SessionID); s != nil {
				delete(a.sessions, key)
			}
		} else {
			a.endSessions(p.AccountID)
		}
		if p.Reason != events.SessionSignedOut && strings.HasPrefix(p.AccountID, oidcAccount) && env.At.After(a.notBefore[p.AccountID]) {
			a.notBefore[p.AccountID] = env.At
		}
	}
}

// live is a session as the process holds it.
type live struct {
	Session
	logged time.Time // its last use that the audit log knows of
}

// seenEvery is how often a session in use says so on the audit log: another
// api process may end it for idleness up to this much early (of IdleTimeout's
// 8 hours), for one event every 5 minutes of a person's work.
const seenEvery = 5 * time.Minute

func (s *live) expiry() time.Time {
	if idle := s.LastSeen.Add(IdleTimeout); idle.Before(s.Ends) {
		return idle
	}
	return s.Ends
}

// sessionByID finds a session by its ID; a.mu is held.
func (a *Accounts) sessionByID(id string) ([sha256.Size]byte, *live) {
	for key, s := range a.sessions {
		if s.ID == id {
			return key, s
		}
	}
	return [sha256.Size]byte{}, nil
}

// sessionKey is what sessions are held by: the SHA-256 of their secret. A
// lookup's time then depends on the hash, which an attacker cannot steer
// towards a real secret byte after byte as with a plain comparison, and the
// secrets themselves are not kept.
func sessionKey(secret string) [sha256.Size]byte {
	return sha256.Sum256([]byte(secret))
}

// csrfOf is the CSRF token of a session's secret: derived rather than drawn, so
// that any api process can check it without it travelling on the log. It
// reveals nothing of the secret, and a page of another site can neither read
// the cookie nor the token.
func csrfOf(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("parvis csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sameSecret compares two secrets in constant time: CSRF tokens, OpenID Connect
// state and nonce.
func sameSecret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// Session returns the live session of a secret, and marks it used: an expired
// one is forgotten.
func (a *Accounts) Session(secret string) (Session, bool) {
	key := sessionKey(secret)
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[key]
	if !ok {
		return Session{}, false
	}
	if !now.Before(s.Expires) {
		delete(a.sessions, key)
		return Session{}, false
	}
	s.LastSeen = now
	s.Expires = s.expiry()
	if now.Sub(s.logged) >= seenEvery {
		s.logged = now
		go a.logSeen(s.ID, a.envelopeTenant(s.Tenant))
	}
	out := s.Session
	out.Secret, out.CSRF = secret, csrfOf(secret)
	return out, true
}

// logSeen puts a session's use on the audit log, out of the request's way: if
// it is lost, another api process may end the session for idleness early.
func (a *Accounts) logSeen(id, tenant string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := a.Log.Emit(ctx, tenant, "", events.SessionSeen{SessionID: id}); err != nil {
		slog.Warn("auth: the use of a session could not be logged", "session", id, "err", err)
	}
}

// SignOut ends the session of a secret, on every api process.
func (a *Accounts) SignOut(ctx context.Context, secret string) error {
	a.mu.Lock()
	s, ok := a.sessions[sessionKey(secret)]
	var p events.SessionEnded
	var tenant string
	if ok {
		p = events.SessionEnded{SessionID: s.ID, AccountID: s.AccountID, Reason: events.SessionSignedOut}
		tenant = a.envelopeTenant(s.Tenant)
	}
	a.mu.Unlock()
	if !ok {
		return nil
	}
	return a.end(ctx, tenant, p)
}

// end records the end of sessions and applies it at once.
func (a *Accounts) end(ctx context.Context, tenant string, p events.SessionEnded) error {
	env, err := a.Log.Emit(ctx, tenant, "", p)
	if err != nil {
		return err
	}
	a.Apply(env, &p)
	return nil
}

// Sessions returns the live sessions, most recently used first, without their
// secrets and CSRF tokens: for an administrator to see who is signed in, where
// from, and to find the session of a lost laptop.
func (a *Accounts) Sessions() []Session {
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Session, 0, len(a.sessions))
	for _, s := range a.sessions {
		if now.Before(s.Expires) {
			out = append(out, s.Session)
		}
	}
	slices.SortFunc(out, func(x, y Session) int { return y.LastSeen.Compare(x.LastSeen) })
	return out
}

// RevokeSession ends one session, named by its ID, on every api process. For a
// session of the identity provider, the person's next sign-in there must be a
// fresh authentication, as after [Accounts.SignOutEverywhere].
func (a *Accounts) RevokeSession(ctx context.Context, id, by string) error {
	a.mu.Lock()
	_, s := a.sessionByID(id)
	var p events.SessionEnded
	var tenant string
	if s != nil {
		p = events.SessionEnded{SessionID: id, AccountID: s.AccountID, Reason: events.SessionRevoked, By: by}
		tenant = a.envelopeTenant(s.Tenant)
	}
	a.mu.Unlock()
	if s == nil {
		return ErrNoSession
	}
	return a.end(ctx, tenant, p)
}

// SignOutEverywhere ends every session of an account ([Session.AccountID]: a
// local account's id, or "oidc:" and the provider's subject) on every api
// process, and returns how many it ended.
//
// A stolen laptop may still be signed in at the identity provider, where one
// click would open a new session: for an account of the provider, the next
// sign-in must therefore come from an authentication made after this call (the
// provider is asked to authenticate the person again, and the ID token's
// auth_time is checked). A local account's password may be saved in the
// laptop's browser: disable the account ([Accounts.Disable]).
func (a *Accounts) SignOutEverywhere(ctx context.Context, accountID, by string) (int, error) {
	a.mu.Lock()
	n, tenant := 0, a.Tenant
	for _, s := range a.sessions {
		if s.AccountID == accountID {
			n++
			tenant = a.envelopeTenant(s.Tenant)
		}
	}
	a.mu.Unlock()
	err := a.end(ctx, tenant, events.SessionEnded{AccountID: accountID, Reason: events.SessionsEverywhere, By: by})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// endSessions ends every session of an account; a.mu is held.
func (a *Accounts) endSessions(accountID string) int {
	n := 0
	for key, s := range a.sessions {
		if s.AccountID == accountID {
			delete(a.sessions, key)
			n++
		}
	}
	return n
}

// revokedAt returns when a subject of the identity provider last had
// its sessions revoked: a new session needs an authentication at the provider
// made after that.
func (a *Accounts) revokedAt(subject string) (time.Time, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.notBefore[oidcAccount+subject]
	return t, ok
}

// RunJanitor forgets expired sessions every minute until ctx ends, so that the
// sessions nobody comes back to do not pile up in memory.
func (a *Accounts) RunJanitor(ctx context.Context) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			a.mu.Lock()
			for key, s := range a.sessions {
				if !now.Before(s.Expires) {
					delete(a.sessions, key)
				}
			}
			a.mu.Unlock()
		}
	}
}
