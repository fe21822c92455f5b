package auth

// StoredSessions counts the sessions held in memory, expired or not: what the
// janitor is there to keep bounded.
func (a *Accounts) StoredSessions() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.sessions)
}

// ReturnTo is returnTo, for the tests of the page a sign-in returns to.
var ReturnTo = returnTo
