package mining

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/projections/projectionstest"
	"github.com/parvis-civic/parvis/tenant"
)

// TestLiveMinerFindsAbandonOnceTheConversationEnds: « abandon » needs the
// conversation's end, which the chat logs 30 minutes after the last message
// (IdleAfter), while a live pass reads the turns of the last 15 minutes at
// most (overlapWindow): no pass saw the answer and the end together, and the
// signal appeared only when the miner restarted (Rebuild reads everything),
// so the workbench's figures changed with each restart.
func TestLiveMinerFindsAbandonOnceTheConversationEnds(t *testing.T) {
	ctx := context.Background()
	s := stores(t)["chdb"]
	q := projections.NewQueries(s)
	m := NewMiner(Config{}, q)
	if err := m.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC().Truncate(time.Second).Add(-45 * time.Minute)
	mk := func(at time.Time, p events.Payload) events.Envelope {
		e, err := events.New("montclar", "conv-left", at, p)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	u := mk(t0, events.UtteranceReceived{Text: "horaires de la piscine municipale le dimanche matin"})
	turn := []events.Envelope{mk(t0, events.ConversationStarted{Audience: "particulier"}), u,
		mk(t0, events.BotDecision{UtteranceID: u.ID, Outcome: "ANSWERED", Confidence: 0.65, EntryID: "piscine",
			Candidates: []events.Candidate{{EntryID: "piscine", Score: 0.65}}, KBVersion: "v1", Reply: "r"})}
	if err := projectionstest.Rows(turn).Insert(ctx, s, ""); err != nil {
		t.Fatal(err)
	}
	// The live passes after the answer: every one within the next 30 minutes
	// sees the turn, none sees an end yet.
	for _, dt := range []time.Duration{2 * time.Second, 14 * time.Minute, 29 * time.Minute} {
		m.since, m.lastWide = t0.Add(dt), time.Time{}
		if err := m.Pass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// 30 minutes idle: the janitor ends it; the passes that follow.
	end := t0.Add(31 * time.Minute)
	if err := projectionstest.Rows([]events.Envelope{mk(end, events.ConversationEnded{Reason: "inactivity"})}).Insert(ctx, s, ""); err != nil {
		t.Fatal(err)
	}
	for _, dt := range []time.Duration{2 * time.Second, time.Minute, 10 * time.Minute} {
		m.since, m.lastWide = end.Add(dt), time.Time{}
		if err := m.Pass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	abandoned := func() int {
		cs, err := q.UnansweredClusters(ctx, tenant.Everything(), t0.Add(-time.Hour), t0.Add(2*time.Hour), 20, projections.ClusterFilter{Reason: ReasonAbandoned})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range cs {
			n += c.Size
		}
		return n
	}
	live := abandoned()
	if err := m.Rebuild(ctx); err != nil { // what a restart finds
		t.Fatal(err)
	}
	if restarted := abandoned(); restarted == 0 {
		t.Fatal("a rebuild finds no « abandon »: the test no longer tells anything")
	} else if live != restarted {
		t.Errorf("« abandon » questions: %d found by the live passes, %d once the miner restarts", live, restarted)
	}
}
