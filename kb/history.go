package kb

import (
	"time"

	"github.com/parvis-civic/parvis/events"
)

// Change is one step in an entry's history: who made it, when, and the entry as
// that step left it (the version drafted, validated, published or retired).
type Change struct {
	EventID string
	At      time.Time
	By      string
	Status  Status
	Entry   Entry
}

// record keeps a change in the entry's history; the caller holds the lock.
func (s *State) record(env events.Envelope, by string, e Entry) {
	s.history[e.ID] = append(s.history[e.ID], Change{EventID: env.ID, At: env.At, By: by, Status: e.Status, Entry: e})
}

// History returns every change of an entry, oldest first.
func (s *State) History(id string) []Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Change(nil), s.history[id]...)
}

// Drafter returns who drafted the entry's newest version (pending or not), or
// "" when it came in published (an import, the demo).
func (s *State) Drafter(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.history[id]
	for i := len(h) - 1; i >= 0; i-- {
		switch h[i].Status {
		case Draft:
			return h[i].By
		case Published, Retired:
			return ""
		}
	}
	return ""
}

// LastChange returns the entry's last change, and whether it has one.
func (s *State) LastChange(id string) (Change, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.history[id]
	if len(h) == 0 {
		return Change{}, false
	}
	return h[len(h)-1], true
}

// PublishedAt returns when the entry's answering version was last published
// (zero when it is not published).
func (s *State) PublishedAt(id string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[id]; !ok || e.Status != Published {
		return time.Time{}
	}
	h := s.history[id]
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].Status == Published {
			return h[i].At
		}
	}
	return time.Time{}
}
