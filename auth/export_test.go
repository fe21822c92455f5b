package auth

// StoredSessions counts the sessions held in memory, expired or not: what the
// janitor is there to keep bounded.
func (a *Accounts) StoredSessions() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.sessions)
}
