package kb

import (
	"sync"

	"github.com/parvis-civic/parvis/events"
)

// State is the knowledge base as the log says it is: every entry in its latest
// state, built by applying the kb.* events in order. It is safe for concurrent
// use.
//
// A published entry may have a new version on its way (drafted, then validated,
// under the same id): the published version answers meanwhile, and the pending
// one replaces it when it is published. [State.Entry] and [State.Entries] give
// an entry's newest version, pending or not; [State.Published] gives what the
// bot answers with.
type State struct {
	mu      sync.Mutex
	entries map[string]Entry
	pending map[string]Entry  // new versions of published entries, not yet published
	last    map[string]string // entry → id of its last applied event
	order   []string
	version string              // id of the last applied event
	history map[string][]Change // entry → its changes, oldest first (see history.go)
}

// NewState returns an empty state.
func NewState() *State {
	return &State{entries: map[string]Entry{}, pending: map[string]Entry{}, last: map[string]string{},
		history: map[string][]Change{}}
}

// statusOf maps each kb.* event type to the status it puts an entry in.
var statusOf = map[string]Status{
	events.TypeKBEntryDrafted: Draft, events.TypeKBEntryValidated: Validated,
	events.TypeKBEntryPublished: Published, events.TypeKBEntryRetired: Retired,
}

// Apply applies one event; events of other kinds are ignored, so that Apply can
// follow a whole topic. An event older than the last one applied to the same
// entry is ignored too: a writer applies its own events at once, and reading the
// log back must not undo them.
func (s *State) Apply(env events.Envelope, p events.Payload) {
	change, ok := p.(*events.KBEntryChanged)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if last, ok := s.last[change.Entry.ID]; ok && env.ID <= last {
		return
	}
	s.last[change.Entry.ID] = env.ID
	e := FromWire(change.Entry)
	if st, ok := statusOf[env.Type]; ok {
		e.Status = st
	}
	cur, ok := s.entries[e.ID]
	if !ok {
		s.order = append(s.order, e.ID)
	}
	switch {
	case ok && cur.Status == Published && (e.Status == Draft || e.Status == Validated):
		s.pending[e.ID] = e // the published version answers until this one is published
	default:
		s.entries[e.ID] = e
		delete(s.pending, e.ID)
	}
	s.record(env, change.By, e)
	if env.ID > s.version {
		s.version = env.ID
	}
}

// Published returns the published entries in order of first appearance, and the
// version of the state.
func (s *State) Published() ([]Entry, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Entry
	for _, id := range s.order {
		if e := s.entries[id]; e.Status == Published {
			out = append(out, e)
		}
	}
	return out, s.version
}

// Len returns the number of entries in any state.
func (s *State) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// Entry returns an entry in its newest state: its pending version if it has one.
func (s *State) Entry(id string) (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.pending[id]; ok {
		return e, true
	}
	e, ok := s.entries[id]
	return e, ok
}

// Version returns the id of the last change applied to an entry ("" for an
// unknown one): an editor who read the entry at a version can tell whether it
// changed since (see [Writer.UpdateFrom]).
func (s *State) Version(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last[id]
}

// PublishedEntry returns the version of an entry that the bot answers with.
func (s *State) PublishedEntry(id string) (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	return e, ok && e.Status == Published
}

// Entries returns every entry in its newest state (pending versions included),
// in order of first appearance.
func (s *State) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, 0, len(s.order))
	for _, id := range s.order {
		if e, ok := s.pending[id]; ok {
			out = append(out, e)
			continue
		}
		out = append(out, s.entries[id])
	}
	return out
}
