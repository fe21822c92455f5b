package eventlog

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
)

// Many concurrent callers share produce requests: every event each of them
// was told is accepted reaches the log exactly once, and the events of a
// conversation, published one call after the other, in their order.
func TestConcurrentPublishersEachEventOnceInOrder(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	broker, err := StartEmbedded(filepath.Join(dir, "kafka"), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	pub, err := NewPublisher(PublisherConfig{Brokers: []string{addr}, OutboxDir: filepath.Join(dir, "outbox")})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	const callers, each = 40, 10
	sent := make([][]events.Envelope, callers)
	var wg sync.WaitGroup
	for c := range callers {
		sent[c] = utterances(t, fmt.Sprintf("conv-%d", c), each)
		wg.Go(func() {
			for i := 0; i < each; i += 2 { // two events a call, as a chat message
				if err := pub.Publish(context.Background(), sent[c][i:i+2]...); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if pub.Pending() != 0 {
		t.Fatalf("%d events in the outbox with the broker up", pub.Pending())
	}
	got := map[string][]string{}
	seen := map[string]bool{}
	for _, e := range readAll(t, []string{addr}, callers*each) {
		if seen[e.ID] {
			t.Fatalf("event %s twice", e.ID)
		}
		seen[e.ID] = true
		got[e.ConversationID] = append(got[e.ConversationID], e.ID)
	}
	for c := range callers {
		conv := fmt.Sprintf("conv-%d", c)
		for i, e := range sent[c] {
			if i >= len(got[conv]) || got[conv][i] != e.ID {
				t.Fatalf("%s: event %d is not %s: got %v", conv, i, e.ID, got[conv])
			}
		}
	}
}

// A call of a group whose own messages were all acknowledged succeeds even when
// another call's failed; the other is told its error (and keeps its events in
// the outbox).
func TestGroupAnswersEachCallWithItsOwnMessages(t *testing.T) {
	boom := errors.New("not leader")
	calls := []*commitCall{
		{msgs: make([]kafka.Message, 2), done: make(chan error, 1)},
		{msgs: make([]kafka.Message, 1), done: make(chan error, 1)},
		{msgs: make([]kafka.Message, 3), done: make(chan error, 1)},
	}
	answer(calls, kafka.WriteErrors{nil, nil, nil, nil, boom, nil})
	for i, want := range []error{nil, nil, boom} {
		if got := <-calls[i].done; got != want {
			t.Errorf("call %d: %v, want %v", i, got, want)
		}
	}
	whole := errors.New("broker unreachable")
	answer(calls, whole)
	for i, c := range calls {
		if got := <-c.done; got != whole {
			t.Errorf("call %d after a failed request: %v, want %v", i, got, whole)
		}
	}
}

// After Close, Publish returns an error at once instead of waiting for a commit
// loop that is gone.
func TestPublishAfterCloseFails(t *testing.T) {
	_, ob := openMem(t)
	pub := startPublisher(PublisherConfig{Brokers: []string{freeAddr(t)}}, ob)
	if err := pub.Close(); err != nil {
		t.Fatal(err)
	}
	if err := pub.Publish(context.Background(), utterances(t, "conv-1", 1)...); err == nil {
		t.Fatal("Publish after Close returned nil")
	}
}
