package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
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
	// CSRF must come back with every API request made with the cookie; empty in
	// [Accounts.Sessions].
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
func (a *Accounts) SignIn(login, password string, from Device) (Session, error) {
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
	return a.open(acc.Name, acc.Role, acc.Tenant, acc.ID, from), nil
}

// OpenSession opens a session for someone the authority's identity provider
// vouched for (OpenID Connect): no local account, the role comes from the
// provider, and so does the tenant it is scoped to ("": the whole platform).
func (a *Accounts) OpenSession(name string, role Role, tenant, subject string, from Device) Session {
	return a.open(name, role, tenant, oidcAccount+subject, from)
}

func (a *Accounts) open(name string, role Role, tenant, accountID string, from Device) Session {
	now := time.Now()
	maxAge := a.SessionMaxAge
	if maxAge <= 0 {
		maxAge = DefaultSessionMaxAge
	}
	s := Session{ID: events.NewID(now), CSRF: NewSecret(), Name: name, Role: role, Tenant: tenant, AccountID: accountID, Device: from,
		Started: now, LastSeen: now, Ends: now.Add(maxAge)}
	s.Expires = s.expiry()
	kept, secret := s, NewSecret()
	a.mu.Lock()
	a.sessions[sessionKey(secret)] = &kept
	a.mu.Unlock()
	s.Secret = secret
	return s
}

func (s *Session) expiry() time.Time {
	if idle := s.LastSeen.Add(IdleTimeout); idle.Before(s.Ends) {
		return idle
	}
	return s.Ends
}

// sessionKey is what sessions are held by: the SHA-256 of their secret. A
// lookup's time then depends on the hash, which an attacker cannot steer
// towards a real secret byte after byte as with a plain comparison, and the
// secrets themselves are not kept.
func sessionKey(secret string) [sha256.Size]byte {
	return sha256.Sum256([]byte(secret))
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
	out := *s
	out.Secret = secret
	return out, true
}

// SignOut ends the session of a secret.
func (a *Accounts) SignOut(secret string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, sessionKey(secret))
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
			c := *s
			c.CSRF = ""
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y Session) int { return y.LastSeen.Compare(x.LastSeen) })
	return out
}

// RevokeSession ends one session, named by its ID. For a session of the
// identity provider, the person's next sign-in there must be a fresh
// authentication, as after [Accounts.SignOutEverywhere].
func (a *Accounts) RevokeSession(id string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	for key, s := range a.sessions {
		if s.ID == id {
			delete(a.sessions, key)
			a.revoked(s.AccountID)
			return nil
		}
	}
	return ErrNoSession
}

// SignOutEverywhere ends every session of an account ([Session.AccountID]: a
// local account's id, or "oidc:" and the provider's subject) and returns how
// many it ended.
//
// A stolen laptop may still be signed in at the identity provider, where one
// click would open a new session: for an account of the provider, the next
// sign-in must therefore come from an authentication made after this call (the
// provider is asked to authenticate the person again, and the ID token's
// auth_time is checked). A local account's password may be saved in the
// laptop's browser: disable the account ([Accounts.Disable]).
func (a *Accounts) SignOutEverywhere(accountID string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.revoked(accountID)
	return a.endSessions(accountID)
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

// revoked records that the sessions of an account of the identity provider
// were revoked now; a.mu is held.
func (a *Accounts) revoked(accountID string) {
	if strings.HasPrefix(accountID, oidcAccount) {
		a.notBefore[accountID] = time.Now()
	}
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
