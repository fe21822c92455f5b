package auth

import (
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Session is a signed-in browser: its id goes in an HttpOnly cookie, its CSRF
// token in a header the pages send with every request.
type Session struct {
	ID, CSRF  string
	Name      string
	Role      Role
	AccountID string
	Expires   time.Time
}

// SessionLength is how long a session lasts without activity.
const SessionLength = 8 * time.Hour

// dummyHash keeps a wrong login as slow as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("parvis-no-such-account"), 12)

// SignIn checks a login and password and opens a session.
func (a *Accounts) SignIn(login, password string) (Session, error) {
	a.mu.Lock()
	acc, ok := a.byLogin[strings.ToLower(strings.TrimSpace(login))]
	a.mu.Unlock()
	hash := dummyHash
	if ok && !acc.Disabled {
		hash = acc.hash
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || !ok || acc.Disabled {
		return Session{}, ErrBadCredentials
	}
	s := Session{ID: NewSecret(), CSRF: NewSecret(), Name: acc.Name, Role: acc.Role, AccountID: acc.ID, Expires: time.Now().Add(SessionLength)}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sessions[s.ID] = &s
	return s, nil
}

// OpenSession opens a session for someone the authority's identity provider
// vouched for (OpenID Connect): no local account, the role comes from the
// provider.
func (a *Accounts) OpenSession(name string, role Role, subject string) Session {
	s := Session{ID: NewSecret(), CSRF: NewSecret(), Name: name, Role: role, AccountID: "oidc:" + subject, Expires: time.Now().Add(SessionLength)}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sessions[s.ID] = &s
	return s
}

// Session returns a live session and extends it.
func (a *Accounts) Session(id string) (Session, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[id]
	if !ok {
		return Session{}, false
	}
	if time.Now().After(s.Expires) {
		delete(a.sessions, id)
		return Session{}, false
	}
	s.Expires = time.Now().Add(SessionLength)
	return *s, true
}

// SignOut ends a session.
func (a *Accounts) SignOut(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, id)
}
