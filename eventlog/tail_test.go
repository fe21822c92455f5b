package eventlog_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
)

// A tail sees what is appended after it started, not before, and CaughtUp
// returns once it has applied everything the topic held when called.
func TestTailCatchesUp(t *testing.T) {
	addr, pub := eventlogtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	publish := func(conv string) {
		ev, err := events.New("montclar", conv, time.Now(), events.ConversationStarted{Audience: "particulier"})
		if err != nil {
			t.Fatal(err)
		}
		if err := pub.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	publish(events.NewID(time.Now()))
	var mu sync.Mutex
	seen := map[string]bool{}
	tail, err := eventlog.StartTail(ctx, []string{addr}, events.TopicConversations, func(env events.Envelope, _ events.Payload) {
		mu.Lock()
		seen[env.ConversationID] = true
		mu.Unlock()
	}, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range 50 {
		id := events.NewID(time.Now())
		ids = append(ids, id)
		publish(id)
		wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
		err := tail.CaughtUp(wctx)
		wcancel()
		if err != nil {
			t.Fatalf("CaughtUp: %v", err)
		}
		mu.Lock()
		ok := seen[id]
		mu.Unlock()
		if !ok {
			t.Fatalf("CaughtUp returned before the event appended before it was applied")
		}
	}
	if len(seen) != len(ids) {
		t.Errorf("the tail applied %d events, want the %d appended after it started", len(seen), len(ids))
	}
}

// Appended counts every event a topic was ever given, over its partitions:
// zero on a fresh log, which is how serve --demo knows it may write its
// history.
func TestAppended(t *testing.T) {
	addr, pub := eventlogtest.Start(t)
	ctx := context.Background()
	count := func() int64 {
		n, err := eventlog.Appended(ctx, []string{addr}, events.TopicConversations)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("a fresh log: %d events appended", n)
	}
	for range 5 {
		ev, err := events.New("montclar", events.NewID(time.Now()), time.Now(), events.ConversationStarted{})
		if err != nil {
			t.Fatal(err)
		}
		if err := pub.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 5 {
		t.Errorf("%d events appended, want 5", n)
	}
	if _, err := eventlog.Appended(ctx, []string{addr}, "parvis.nothing"); err == nil {
		t.Error("a topic that does not exist: no error")
	}
}
