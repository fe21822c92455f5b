package eventlog_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
)

// A burst of events (a knowledge base file imported: several produce
// requests) is one change for the follower, seen whole, not one change per
// request: each change of the knowledge base re-indexes every engine.
func TestFollowMakesOneChangeOfABurst(t *testing.T) {
	addr, pub := eventlogtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	applied := 0
	var changes []int // events applied at each change
	done := make(chan struct{})
	go func() {
		defer close(done)
		eventlog.Follow(ctx, []string{addr}, events.TopicKB, func(events.Envelope, events.Payload) {
			mu.Lock()
			applied++
			mu.Unlock()
		}, func() {
			mu.Lock()
			changes = append(changes, applied)
			mu.Unlock()
		}, slog.Default())
	}()
	defer func() { cancel(); <-done }()
	wait := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			held := ok()
			mu.Unlock()
			if held {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: changes %v, %d applied", what, changes, applied)
			}
		}
	}
	wait("ready on an empty topic", func() bool { return len(changes) == 1 })

	// Three produce requests one after the other, as a file of 600 entries
	// is published by batches of 200.
	const n, batch = 600, 200
	for i := 0; i < n; i += batch {
		evs := make([]events.Envelope, batch)
		for j := range evs {
			e := events.KBEntryChanged{Type: events.TypeKBEntryPublished, By: "test",
				Entry: events.KBEntry{ID: fmt.Sprintf("entry_%03d", i+j), Question: "Q ?", Answer: "R."}}
			ev, err := events.New("montclar", "", time.Now(), e)
			if err != nil {
				t.Fatal(err)
			}
			evs[j] = ev
		}
		if err := pub.Publish(ctx, evs...); err != nil {
			t.Fatal(err)
		}
	}
	wait("the burst applied and changed", func() bool { return applied == n && changes[len(changes)-1] == n })
	time.Sleep(300 * time.Millisecond) // no change after it
	mu.Lock()
	defer mu.Unlock()
	// One change for the burst; two when the machine stalled between two of
	// its requests for longer than the follower's quiet time, never one per
	// request.
	if after := changes[1:]; len(after) > 2 || after[len(after)-1] != n {
		t.Errorf("changes after ready saw %v events applied; want the burst's %d in one change (two at most)", after, n)
	}
}
