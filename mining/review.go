package mining

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/tenant"
)

// ErrNoSuggestion is returned for a suggestion that does not exist, or no
// longer waits for a verdict.
var ErrNoSuggestion = errors.New("mining: no such suggestion waiting for review")

// Verdicts on a suggestion.
const (
	VerdictAccepted = "accepted"
	VerdictRejected = "rejected"
)

// SuggestionWindow is how far back suggestions are drawn from: recent use.
const SuggestionWindow = 90 * 24 * time.Hour

// Reviewer is the experts' side of suggestions: it lists those waiting for a
// verdict, and records verdicts as events. Accepting an alternative drafts a new
// version of the entry with the phrasing added ([kb.Writer.Update]): nothing
// reaches citizens until an expert validates and publishes it.
type Reviewer struct {
	Queries *projections.Queries
	KB      *kb.Writer

	review sync.Mutex // one verdict at a time: a double click accepts once
	mu     sync.Mutex
	recent map[string]bool // reviewed here, perhaps not projected yet
}

// List returns the suggestions waiting for a verdict drawn from the
// conversations of a scope, most observed first: an expert of a commune is
// shown (and counts) what its own citizens said only, on the entries the
// expert may change.
func (r *Reviewer) List(ctx context.Context, scope tenant.Scope) ([]Suggestion, error) {
	since := time.Now().Add(-SuggestionWindow)
	turns, fb, _, err := r.Queries.MiningInput(ctx, scope, since)
	if err != nil {
		return nil, err
	}
	choices, reviews, err := r.Queries.SuggestionInput(ctx, scope, since)
	if err != nil {
		return nil, err
	}
	reviewed := make(map[string]bool, len(reviews))
	for _, rv := range reviews {
		reviewed[rv.SuggestionID] = true
	}
	r.mu.Lock()
	for id := range r.recent {
		reviewed[id] = true
	}
	r.mu.Unlock()
	return Suggest(Observe(turns, fb, choices), reviewed, r.phrasings(ctx)), nil
}

// phrasings gives a published entry's question and alternatives, and its
// negatives, those of its pending version included; ok is false when the entry
// does not answer, or when the caller of ctx may not change it (another
// territory's, another service's): a suggestion the expert cannot accept is
// not shown.
func (r *Reviewer) phrasings(ctx context.Context) func(id string) (phrasings, negatives []string, ok bool) {
	return func(id string) ([]string, []string, bool) {
		if _, ok := r.KB.State.PublishedEntry(id); !ok || r.KB.MayChange(ctx, id) != nil {
			return nil, nil, false
		}
		e, _ := r.KB.State.Entry(id)
		return e.Phrasings(), e.Negatives, true
	}
}

func (r *Reviewer) find(ctx context.Context, scope tenant.Scope, id string) (Suggestion, error) {
	all, err := r.List(ctx, scope)
	if err != nil {
		return Suggestion{}, err
	}
	for _, s := range all {
		if s.ID == id {
			return s, nil
		}
	}
	return Suggestion{}, ErrNoSuggestion
}

// Accept records an expert's acceptance: it drafts a new version of the entry
// (its pending version, if it has one) with the phrasing added as an
// alternative, or as a negative (a phrasing the entry wrongly answers, which the
// bot then ranks the entry lower for), and returns the draft. A suggestion
// drawn from no conversation of the scope is not found.
func (r *Reviewer) Accept(ctx context.Context, scope tenant.Scope, id, by string) (kb.Entry, error) {
	r.review.Lock()
	defer r.review.Unlock()
	s, err := r.find(ctx, scope, id)
	if err != nil {
		return kb.Entry{}, err
	}
	if _, ok := r.KB.State.Entry(s.EntryID); !ok {
		return kb.Entry{}, ErrNoSuggestion
	}
	e, err := r.KB.AddPhrasing(ctx, s.EntryID, s.Text, s.Kind != KindAlternative, by)
	if err != nil {
		return e, err
	}
	return e, r.record(ctx, s, VerdictAccepted, by)
}

// Reject records an expert's rejection: the suggestion leaves the queue for
// good, however often citizens say it again. A suggestion drawn from no
// conversation of the scope is not found.
func (r *Reviewer) Reject(ctx context.Context, scope tenant.Scope, id, by string) error {
	r.review.Lock()
	defer r.review.Unlock()
	s, err := r.find(ctx, scope, id)
	if err != nil {
		return err
	}
	return r.record(ctx, s, VerdictRejected, by)
}

func (r *Reviewer) record(ctx context.Context, s Suggestion, verdict, by string) error {
	if _, err := r.KB.Log.Emit(ctx, r.KB.Tenant, "", events.SuggestionReviewed{SuggestionID: s.ID, Kind: s.Kind,
		EntryID: s.EntryID, Verdict: verdict, By: by}); err != nil {
		return err
	}
	// Until the projector has the verdict, this process remembers it, so that
	// the queue an expert reloads at once does not show it again.
	r.mu.Lock()
	if r.recent == nil {
		r.recent = map[string]bool{}
	}
	r.recent[s.ID] = true
	r.mu.Unlock()
	return nil
}
