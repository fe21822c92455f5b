package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
)

// ErrNoPhrasing is returned for a phrasing id that names no tester's message.
var ErrNoPhrasing = errors.New("campaigns: no tester's message has this id")

// Assigner records an expert's word that a tester's phrasing meant an entry:
// a draft version of the entry with the phrasing as alternative, the same path
// as an accepted suggestion ([kb.Writer.AddPhrasing]), then a
// campaign.phrasing.assigned event that the campaign's report and cases read.
type Assigner struct {
	Queries *projections.Queries
	KB      *kb.Writer

	one    sync.Mutex // one assignment at a time: drafts of one entry in order
	mu     sync.Mutex
	recent map[string]string // assigned here, perhaps not projected yet
}

// Assign drafts entryID's new version with the phrasing as alternative and
// returns the draft. sees says whether the caller may read a campaign: the
// phrasing of a campaign it may not read is no phrasing.
func (a *Assigner) Assign(ctx context.Context, phrasingID, entryID, by string, sees func(campaignID string) bool) (kb.Entry, error) {
	a.one.Lock()
	defer a.one.Unlock()
	u, ok, err := a.Queries.Utterance(ctx, phrasingID)
	if err != nil {
		return kb.Entry{}, err
	}
	if !ok || u.Campaign == "" || !sees(u.Campaign) {
		return kb.Entry{}, ErrNoPhrasing
	}
	e, err := a.KB.AddPhrasing(ctx, entryID, u.Text, false, by)
	if err != nil {
		return e, err
	}
	if _, err := a.KB.Log.Emit(ctx, a.KB.Tenant, "", events.PhrasingAssigned{PhrasingID: phrasingID, Campaign: u.Campaign,
		EntryID: entryID, Text: u.Text, By: by}); err != nil {
		return e, err
	}
	a.mu.Lock()
	if a.recent == nil {
		a.recent = map[string]string{}
	}
	a.recent[phrasingID] = entryID
	a.mu.Unlock()
	return e, nil
}

// Check says whether Assign would find the phrasing and the entry, writing
// nothing: a batch of assignments is checked whole before any is made, so a
// wrong id in it leaves none half done.
func (a *Assigner) Check(ctx context.Context, phrasingID, entryID string, sees func(campaignID string) bool) error {
	if err := a.KB.MayChange(ctx, entryID); err != nil {
		return err
	}
	u, ok, err := a.Queries.Utterance(ctx, phrasingID)
	if err != nil {
		return err
	}
	if !ok || u.Campaign == "" || !sees(u.Campaign) {
		return ErrNoPhrasing
	}
	return nil
}

// Assigned returns every phrasing an expert assigned and its entry, the latest
// assignment of a phrasing winning.
func (a *Assigner) Assigned(ctx context.Context) (map[string]string, error) {
	evs, err := a.Queries.EventsOfType(ctx, events.TypePhrasingAssigned)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range evs {
		var p events.PhrasingAssigned
		if json.Unmarshal([]byte(e.Payload), &p) == nil {
			out[p.PhrasingID] = p.EntryID
		}
	}
	a.mu.Lock()
	for k, v := range a.recent {
		out[k] = v
	}
	a.mu.Unlock()
	return out, nil
}
