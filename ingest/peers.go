package ingest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// Peers are the conversations that the other API processes behind the same
// load balancer hold, as the log tells them: any process continues any
// conversation at once, without waiting for ClickHouse to project it. Every API
// process follows the conversations topic from its end (eventlog.Tail) into
// Peers; a conversation unknown here waits, a moment at most, until the tail has
// applied everything the log held when asked, which includes the start another
// process logged before answering the citizen.
type Peers struct {
	tail Tail
	wait time.Duration
	keep time.Duration

	mu      sync.Mutex
	convs   map[string]*peer
	applied int
}

// Tail is the follower Peers waits on (eventlog.Tail).
type Tail interface {
	CaughtUp(ctx context.Context) error
}

type peer struct {
	tenant    string
	audience  kb.Audience
	last      time.Time
	said      string // the last utterance, redacted, and its id: what a CLARIFY asked
	saidID    string
	clarify   *clarification
	offered   string // the kind of demande the last reply offered
	offeredAt time.Time
	answered  string // the utterance the last reply answered (ANSWERED)
	entry     string // and the entry it gave: what a follow-up asks on about
	campaign  string
	unrated   []string // utterances whose answer is not rated yet: one feedback per answer, whichever process takes it
	saidMsg   string   // the client's id of the last utterance, if it gave one
	sent      []sent   // the last messages answered that their client named
}

// NewPeers returns an empty set of peers' conversations; keep is how long a
// conversation is remembered after its last event (the idle time after which
// conversations end, with a margin).
func NewPeers(keep time.Duration) *Peers {
	return &Peers{wait: 2 * time.Second, keep: keep, convs: map[string]*peer{}}
}

// Follow sets the tail that feeds Peers; before it is set, Peers knows only
// what was applied.
func (p *Peers) Follow(t Tail) {
	p.mu.Lock()
	p.tail = t
	p.mu.Unlock()
}

// Apply takes one event of the conversations topic.
func (p *Peers) Apply(env events.Envelope, pl events.Payload) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.applied++
	if p.applied%4096 == 0 {
		p.forget(env.At)
	}
	c := p.convs[env.ConversationID]
	switch e := pl.(type) {
	case *events.ConversationStarted:
		p.convs[env.ConversationID] = &peer{tenant: env.Tenant, audience: kb.Audience(e.Audience), campaign: e.Campaign, last: env.At}
		return
	case *events.ConversationEnded:
		delete(p.convs, env.ConversationID)
		return
	}
	if c == nil {
		return
	}
	c.last = env.At
	switch e := pl.(type) {
	case *events.UtteranceReceived:
		c.said, c.saidID, c.saidMsg = e.Text, env.ID, e.MessageID
	case *events.BotDecision:
		// A demande's tracking reply is logged without what the service wrote
		// (see demandes.Desk.Answer): a retry of it is answered anew.
		if c.saidMsg != "" && e.UtteranceID == c.saidID && e.KBVersion != trackingVersion {
			c.sent = keepLast(c.sent, fromLog(c.saidMsg, c.said, e))
		}
		c.clarify, c.offered, c.offeredAt, c.answered, c.entry = nil, e.Demande, env.At, "", ""
		if e.Outcome == "ANSWERED" {
			c.answered, c.entry = e.UtteranceID, e.EntryID
		}
		if e.Outcome == "CLARIFY" && e.UtteranceID == c.saidID {
			c.clarify = &clarification{utteranceID: e.UtteranceID, text: c.said, choices: e.Choices}
		}
		if e.Outcome == "ANSWERED" || c.campaign != "" {
			c.unrated = append(c.unrated, e.UtteranceID)
		}
	case *events.FeedbackGiven:
		// The rating names its utterance; an older one, the latest answer.
		i := slices.Index(c.unrated, e.UtteranceID)
		if i < 0 {
			i = len(c.unrated) - 1
		}
		if i >= 0 {
			c.unrated = slices.Delete(c.unrated, i, i+1)
		}
	case *events.SuggestionChosen:
		c.clarify = nil
	}
}

// forget drops the conversations idle for longer than keep.
func (p *Peers) forget(now time.Time) {
	for id, c := range p.convs {
		if now.Sub(c.last) > p.keep {
			delete(p.convs, id)
		}
	}
}

// find returns what the log says of a conversation, waiting for the tail to
// catch up when it does not know it yet.
func (p *Peers) find(ctx context.Context, id string) (*conversation, bool, error) {
	if c, ok := p.get(id); ok {
		return c, true, nil
	}
	p.mu.Lock()
	tail := p.tail
	p.mu.Unlock()
	if tail == nil {
		return nil, false, nil
	}
	wctx, cancel := context.WithTimeout(ctx, p.wait)
	defer cancel()
	if err := tail.CaughtUp(wctx); err != nil && ctx.Err() != nil {
		return nil, false, ctx.Err()
	}
	c, ok := p.get(id)
	return c, ok, nil
}

// fresh returns what the log says of a conversation once the tail has applied
// everything the log holds now; not found when the tail started after it (the
// process then keeps what it knows).
func (p *Peers) fresh(ctx context.Context, id string) (*conversation, bool, error) {
	p.mu.Lock()
	tail := p.tail
	p.mu.Unlock()
	if tail != nil {
		wctx, cancel := context.WithTimeout(ctx, p.wait)
		defer cancel()
		if err := tail.CaughtUp(wctx); err != nil {
			if ctx.Err() != nil {
				return nil, false, ctx.Err()
			}
			return nil, false, nil // the log is slow: keep what this process knows
		}
	}
	c, ok := p.get(id)
	return c, ok, nil
}

// sent returns the message of conversation id that its client named
// messageID, as far as the log was read.
func (p *Peers) sent(id, messageID string) (sent, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pc, ok := p.convs[id]; ok {
		return findSent(pc.sent, messageID)
	}
	return sent{}, false
}

func (p *Peers) get(id string) (*conversation, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc, ok := p.convs[id]
	if !ok {
		return nil, false
	}
	return &conversation{id: id, tenant: pc.tenant, audience: pc.audience, campaign: pc.campaign, last: time.Now(),
		unrated: slices.Clone(pc.unrated), clarify: pc.clarify, offered: pc.offered, offeredAt: pc.offeredAt, answered: pc.answered, answeredEntry: pc.entry}, true
}
