package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
)

type caughtUp struct{ calls int }

func (c *caughtUp) CaughtUp(context.Context) error { c.calls++; return nil }

// Peers know a conversation from its start, its last CLARIFY's choices until one
// is taken or another decision comes, and the answers still to rate.
func TestPeersFollowConversations(t *testing.T) {
	p := NewPeers(time.Hour)
	tail := &caughtUp{}
	p.Follow(tail)
	at := time.Now()
	conv := events.NewID(at)
	apply := func(pl events.Payload) events.Envelope {
		t.Helper()
		env, err := events.New("saint-aubin", conv, at, pl)
		if err != nil {
			t.Fatal(err)
		}
		p.Apply(env, pl.(events.Payload))
		return env
	}
	ctx := context.Background()
	if _, found, _ := p.find(ctx, conv); found || tail.calls != 1 {
		t.Fatalf("an unknown conversation is found (%v) or the tail not waited for (%d)", found, tail.calls)
	}
	apply(&events.ConversationStarted{Audience: "association"})
	utt := apply(&events.UtteranceReceived{Text: "horaires"})
	apply(&events.BotDecision{UtteranceID: utt.ID, Outcome: "CLARIFY", Choices: []string{"a", "b"}})
	c, found, err := p.find(ctx, conv)
	if err != nil || !found || c.tenant != "saint-aubin" || c.audience != "association" {
		t.Fatalf("find = %+v, %v, %v", c, found, err)
	}
	if c.clarify == nil || c.clarify.text != "horaires" || len(c.clarify.choices) != 2 || len(c.unrated) != 0 {
		t.Fatalf("after a CLARIFY: %+v", c)
	}
	u2 := apply(&events.UtteranceReceived{Text: "passeport"})
	apply(&events.BotDecision{UtteranceID: u2.ID, Outcome: "ANSWERED", EntryID: "passeport"})
	apply(&events.BotDecision{UtteranceID: u2.ID, Outcome: "ANSWERED", EntryID: "passeport"})
	apply(&events.FeedbackGiven{Helpful: true})
	if c, _, _ := p.fresh(ctx, conv); c.clarify != nil || len(c.unrated) != 1 {
		t.Fatalf("after two answers and one rating: clarify %+v, unrated %v; want none and one", c.clarify, c.unrated)
	}
	apply(&events.ConversationEnded{Reason: "inactivity"})
	if _, found, _ := p.find(ctx, conv); found {
		t.Error("an ended conversation is still found")
	}
}
