package kb

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/parvis-civic/parvis/events"
)

// Errors of the knowledge base lifecycle, for callers to explain.
var (
	ErrNoEntry      = errors.New("kb: no such entry")
	ErrWrongStatus  = errors.New("kb: the entry is not at the right step")
	ErrInvalidEntry = errors.New("kb: invalid entry")
	// ErrChanged refuses a change made from a version of an entry that is no
	// longer its newest: someone changed it meanwhile.
	ErrChanged = errors.New("kb: the entry changed since it was read")
)

// Emitter appends one event made of a payload to the log and returns its
// envelope once the log holds it; eventlog.Publisher satisfies it.
type Emitter interface {
	Emit(ctx context.Context, tenant, conversationID string, p events.Payload) (events.Envelope, error)
}

// Publisher appends events to the log, in order, once they are durable;
// eventlog.Publisher satisfies it.
type Publisher interface {
	Publish(ctx context.Context, evs ...events.Envelope) error
}

// Writer changes the knowledge base through its events: an analyst drafts, an
// expert validates, then publishes. The bot follows the log and answers with a
// published entry on the next message.
type Writer struct {
	Log    Emitter
	State  *State
	Tenant string
	// FourEyes is the « second pair of eyes » rule: the author of a draft
	// cannot validate it (see studio.go).
	FourEyes bool
	// Scope returns the services the caller of a request may see and change
	// (nil: all): every change is checked against it (see scope.go); nil
	// Scope limits nothing.
	Scope func(ctx context.Context) []string
	// Territory reports whether the caller of a request may change an entry
	// of a tenant ("": an entry of every tenant): every change is checked
	// against it; nil limits nothing.
	Territory func(ctx context.Context, tenant string) bool
	// Reads reports whether the caller of a request may read the entries of
	// a tenant: those it may change, and those that answer its citizens too
	// (its intercommunalité's); nil: Territory's.
	Reads func(ctx context.Context, tenant string) bool
}

// Draft records a new entry as a draft, with an id made from its question.
func (w *Writer) Draft(ctx context.Context, e Entry, by string) (Entry, error) {
	if err := check(&e); err != nil {
		return e, err
	}
	w.defaultService(ctx, &e)
	if err := w.allow(ctx, e); err != nil {
		return e, err
	}
	if e.ID == "" {
		e.ID = slug(e.Question, e.Tenant)
	}
	if _, exists := w.State.Entry(e.ID); exists {
		return e, fmt.Errorf("%w: l'identifiant « %s » est déjà pris", ErrInvalidEntry, e.ID)
	}
	if e.Kind == "" {
		e.Kind = KindAnswer
	}
	e.Status = Draft
	return e, w.emit(ctx, events.TypeKBEntryDrafted, e, by)
}

// Update drafts a new version of an existing entry, under the same id: the
// published version keeps answering until the new one is validated and
// published. The new version keeps what e leaves empty of the entry's lifecycle
// fields (kind, source); a pending version is replaced.
func (w *Writer) Update(ctx context.Context, id string, e Entry, by string) (Entry, error) {
	cur, err := w.existing(ctx, id)
	if err != nil {
		return e, err
	}
	if cur.Status == Retired {
		return e, fmt.Errorf("%w: %s is retired", ErrWrongStatus, id)
	}
	if err := w.allow(ctx, cur, e); err != nil {
		return e, err
	}
	e.ID = id
	if err := check(&e); err != nil {
		return e, err
	}
	if e.Kind == "" {
		e.Kind = cur.Kind
	}
	if e.Source == "" {
		e.Source = cur.Source
	}
	e.Status = Draft
	return e, w.emit(ctx, events.TypeKBEntryDrafted, e, by)
}

// UpdateFrom is [Writer.Update] by an editor who read the entry at version
// (see [State.Version]): when someone changed the entry since (saved,
// validated, published or retired it), nothing is drafted and the error is
// [ErrChanged], so that neither change overwrites the other unseen. An empty
// version checks nothing.
func (w *Writer) UpdateFrom(ctx context.Context, id, version string, e Entry, by string) (Entry, error) {
	if err := w.readAt(ctx, id, version); err != nil {
		return e, err
	}
	return w.Update(ctx, id, e, by)
}

// ValidateFrom is [Writer.Validate] by an expert who read the entry at
// version, and PublishFrom [Writer.Publish]: a draft someone saved after it
// was opened is not validated or published unread ([ErrChanged]).
func (w *Writer) ValidateFrom(ctx context.Context, id, version, by string) (Entry, error) {
	if err := w.readAt(ctx, id, version); err != nil {
		return Entry{}, err
	}
	return w.Validate(ctx, id, by)
}

// PublishFrom: see [Writer.ValidateFrom].
func (w *Writer) PublishFrom(ctx context.Context, id, version, by string) (Entry, error) {
	if err := w.readAt(ctx, id, version); err != nil {
		return Entry{}, err
	}
	return w.Publish(ctx, id, by)
}

// readAt checks that the caller may change entry id, and that it is still at
// version ("" checks nothing): [ErrChanged] otherwise.
func (w *Writer) readAt(ctx context.Context, id, version string) error {
	if _, err := w.existing(ctx, id); err != nil {
		return err
	}
	if version != "" && version != w.State.Version(id) {
		return fmt.Errorf("%w: %s is at %s, not %s", ErrChanged, id, w.State.Version(id), version)
	}
	return nil
}

// AddPhrasing drafts a new version of an entry (of its pending version, if it
// has one) with a citizen's phrasing added as an alternative, or as a negative
// (a phrasing the entry wrongly answers), and returns the draft: what an
// expert's acceptance of a suggestion or assignment of a tester's phrasing
// makes. Nothing reaches citizens before the draft is validated and published.
// A phrasing the entry has already (in any case, with or without accents) is
// not added twice: the entry is returned as it is, and no draft is made.
func (w *Writer) AddPhrasing(ctx context.Context, id, text string, negative bool, by string) (Entry, error) {
	e, err := w.existing(ctx, id)
	if err != nil {
		return e, err
	}
	have := e.Phrasings()
	if negative {
		have = e.Negatives
	}
	if slices.ContainsFunc(have, func(p string) bool { return foldLabel(p) == foldLabel(text) }) {
		return e, w.allow(ctx, e)
	}
	next := e
	if negative {
		next.Negatives = append(slices.Clone(e.Negatives), text)
	} else {
		next.Alternatives = append(slices.Clone(e.Alternatives), text)
	}
	return w.Update(ctx, id, next, by)
}

// check trims an entry's question and answer and refuses an entry without them
// or too long.
func check(e *Entry) error {
	e.Question, e.Answer = strings.TrimSpace(e.Question), strings.TrimSpace(e.Answer)
	switch {
	case e.Question == "":
		return fmt.Errorf("%w: question vide", ErrInvalidEntry)
	case e.Answer == "":
		return fmt.Errorf("%w: réponse vide", ErrInvalidEntry)
	}
	// Characters, not bytes: an answer of accented French is as long as it reads.
	if n := utf8.RuneCountInString(e.Question); n > MaxQuestionRunes {
		return fmt.Errorf("%w: question trop longue (%d caractères, %d au plus)", ErrInvalidEntry, n, MaxQuestionRunes)
	}
	if n := utf8.RuneCountInString(e.Answer); n > MaxAnswerRunes {
		return fmt.Errorf("%w: réponse trop longue (%d caractères, %d au plus)", ErrInvalidEntry, n, MaxAnswerRunes)
	}
	if n := len(e.Alternatives); n > MaxAlternatives {
		return fmt.Errorf("%w: trop d'autres formulations (%d, %d au plus)", ErrInvalidEntry, n, MaxAlternatives)
	}
	if e.ReviewBy != "" {
		if _, err := ParseReviewDate(e.ReviewBy); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidEntry, err)
		}
	}
	if err := CheckAnswer(e.Answer); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidEntry, err)
	}
	return checkLinks(e.Links)
}

// Validate moves a draft to validated.
func (w *Writer) Validate(ctx context.Context, id, by string) (Entry, error) {
	if err := w.checkValidator(id, by); err != nil {
		return Entry{}, err
	}
	return w.move(ctx, id, Draft, Validated, by)
}

// Publish moves a validated entry to published: the bot answers with it.
func (w *Writer) Publish(ctx context.Context, id, by string) (Entry, error) {
	return w.move(ctx, id, Validated, Published, by)
}

func (w *Writer) move(ctx context.Context, id string, from, to Status, by string) (Entry, error) {
	e, err := w.existing(ctx, id)
	if err != nil {
		return e, err
	}
	if err := w.allow(ctx, e); err != nil {
		return e, err
	}
	if e.Status != from {
		return e, fmt.Errorf("%w: %s is %s, not %s", ErrWrongStatus, id, e.Status, from)
	}
	e.Status = to
	if err := w.emit(ctx, lifecycle[to], e, by); err != nil {
		return e, err
	}
	return e, nil
}

func (w *Writer) emit(ctx context.Context, typ string, e Entry, by string) error {
	p := events.KBEntryChanged{Type: typ, Entry: e.Wire(), By: by}
	if _, published := w.State.PublishedEntry(e.ID); published && (e.Status == Draft || e.Status == Validated) {
		p.Pending = true
	}
	ev, err := w.Log.Emit(ctx, w.Tenant, "", p)
	if err != nil {
		return err
	}
	// Apply at once, so that the next step sees it even before the follower
	// reads the log back.
	w.State.Apply(ev, &p)
	return nil
}

// lifecycle maps an entry's status to the event that puts it there.
var lifecycle = map[Status]string{
	Draft: events.TypeKBEntryDrafted, Validated: events.TypeKBEntryValidated,
	Published: events.TypeKBEntryPublished, Retired: events.TypeKBEntryRetired,
}

// PublishEntries appends entries to the log, the way an import or the demo
// start-up loads a knowledge base: each as the kb.entry.* event of its status
// (published when the file gives none; retired takes an entry out of the bot).
func PublishEntries(ctx context.Context, log Publisher, tenant string, entries []Entry, by string) error {
	now := time.Now()
	evs := make([]events.Envelope, 0, len(entries))
	for _, e := range entries {
		if e.Status == "" {
			e.Status = Published
		}
		ev, err := events.New(tenant, "", now, events.KBEntryChanged{Type: lifecycle[e.Status], Entry: e.Wire(), By: by})
		if err != nil {
			return err
		}
		evs = append(evs, ev)
	}
	for len(evs) > 0 {
		n := min(len(evs), 200)
		if err := log.Publish(ctx, evs[:n]...); err != nil {
			return err
		}
		evs = evs[n:]
	}
	return nil
}

// slug makes an entry id from a question: lower case, no accents, words joined by
// underscores, and a short hash (of the question and its tenant) so that two
// similar questions differ.
func slug(q, tenant string) string {
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
	key := q
	if tenant != "" {
		// Two territories drafting one question get two ids: neither learns
		// from « already taken » that the other has it.
		key = tenant + "\x00" + q
	}
	sum := sha1.Sum([]byte(key))
	return strings.Trim(b.String(), "_") + "_" + hex.EncodeToString(sum[:3])
}
