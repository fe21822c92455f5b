package eventlog

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// Errors of the knowledge base lifecycle, for callers to explain.
var (
	ErrNoEntry      = errors.New("eventlog: no such entry")
	ErrWrongStatus  = errors.New("eventlog: the entry is not at the right step")
	ErrInvalidEntry = errors.New("eventlog: invalid entry")
)

// KBWriter changes the knowledge base through its events: an analyst drafts, an
// expert validates, then publishes. The bot follows the log and answers with a
// published entry on the next message.
type KBWriter struct {
	Pub    *Publisher
	State  *KBState
	Tenant string
}

// Entry returns an entry in its current state.
func (s *KBState) Entry(id string) (kb.Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	return e, ok
}

// Entries returns every entry in its current state, in order of first appearance.
func (s *KBState) Entries() []kb.Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]kb.Entry, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.entries[id])
	}
	return out
}

// Draft records a new entry as a draft, with an id made from its question.
func (w *KBWriter) Draft(ctx context.Context, e kb.Entry, by string) (kb.Entry, error) {
	e.Question, e.Answer = strings.TrimSpace(e.Question), strings.TrimSpace(e.Answer)
	switch {
	case e.Question == "":
		return e, fmt.Errorf("%w: empty question", ErrInvalidEntry)
	case e.Answer == "":
		return e, fmt.Errorf("%w: empty answer", ErrInvalidEntry)
	case len(e.Question) > 500 || len(e.Answer) > 20000 || len(e.Alternatives) > 200:
		return e, fmt.Errorf("%w: too long", ErrInvalidEntry)
	}
	if e.ID == "" {
		e.ID = slug(e.Question)
	}
	if _, exists := w.State.Entry(e.ID); exists {
		return e, fmt.Errorf("%w: id %q is taken", ErrInvalidEntry, e.ID)
	}
	if e.Kind == "" {
		e.Kind = kb.KindAnswer
	}
	e.Status = kb.Draft
	return e, w.emit(ctx, events.TypeKBEntryDrafted, e, by)
}

// Validate moves a draft to validated.
func (w *KBWriter) Validate(ctx context.Context, id, by string) (kb.Entry, error) {
	return w.move(ctx, id, kb.Draft, kb.Validated, events.TypeKBEntryValidated, by)
}

// Publish moves a validated entry to published: the bot answers with it.
func (w *KBWriter) Publish(ctx context.Context, id, by string) (kb.Entry, error) {
	return w.move(ctx, id, kb.Validated, kb.Published, events.TypeKBEntryPublished, by)
}

func (w *KBWriter) move(ctx context.Context, id string, from, to kb.Status, typ, by string) (kb.Entry, error) {
	e, ok := w.State.Entry(id)
	if !ok {
		return e, ErrNoEntry
	}
	if e.Status != from {
		return e, fmt.Errorf("%w: %s is %s, not %s", ErrWrongStatus, id, e.Status, from)
	}
	e.Status = to
	if err := w.emit(ctx, typ, e, by); err != nil {
		return e, err
	}
	return e, nil
}

func (w *KBWriter) emit(ctx context.Context, typ string, e kb.Entry, by string) error {
	p := events.KBEntryChanged{Type: typ, Entry: e, By: by}
	ev, err := w.Pub.Emit(ctx, w.Tenant, "", p)
	if err != nil {
		return err
	}
	// Apply at once, so that the next step sees it even before the follower
	// reads the log back.
	w.State.Apply(ev, &p)
	return nil
}

// slug makes an entry id from a question: lower case, no accents, words joined by
// underscores, and a short hash so that two similar questions differ.
func slug(q string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(q)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	sum := sha1.Sum([]byte(q))
	return strings.Trim(b.String(), "_") + "_" + hex.EncodeToString(sum[:3])
}
