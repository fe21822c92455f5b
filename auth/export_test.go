package auth

import "time"

// StoredSessions counts the sessions held in memory, expired or not: what the
// janitor is there to keep bounded.
func (a *Accounts) StoredSessions() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.sessions)
}

// ReturnTo is returnTo, for the tests of the page a sign-in returns to.
var ReturnTo = returnTo

// RevokedAt is revokedAt, for the tests of revocations across processes.
func (a *Accounts) RevokedAt(subject string) (time.Time, bool) { return a.revokedAt(subject) }
