package projections

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
)

// TestReplayKeepsWhatAnotherProjectorProjects: a projector of another process
// (a consumer group shares the partitions among several) goes on projecting,
// into the live tables, while a replay fills its fresh ones; what it projected
// after the replay read the end of the log, and committed, is still there once
// the fresh tables are swapped in.
func TestReplayKeepsWhatAnotherProjectorProjects(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			addr, pub := eventlogtest.Start(t)
			brokers := []string{addr}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			other := NewProjector(ProjectorConfig{Brokers: brokers, Group: "other-" + name, Flush: 50 * time.Millisecond}, s, pub)
			done := make(chan error, 1)
			go func() { done <- other.Run(ctx) }()

			at := time.Now().UTC().Truncate(time.Second)
			evs := conversationEvents(t, 5, 2, at)
			if err := pub.Publish(ctx, evs...); err != nil {
				t.Fatal(err)
			}
			q := NewQueries(s)
			waitOverview(t, q, at, Overview{Conversations: 5, Messages: 10})

			late := conversationEvents(t, 1, 2, at)
			for i := range late {
				late[i].ConversationID = "conv-late"
			}
			sent := false
			progress := func(r ReplayReport) {
				if sent || r.Events < len(evs) {
					return
				}
				// The conversations are read: a citizen writes now, and the
				// other projector projects it into the live tables.
				sent = true
				if err := pub.Publish(ctx, late...); err != nil {
					t.Error(err)
					return
				}
				eventually(t, "the late conversation in the live tables", func() error {
					if n := rowsOf(t, s, "conversation_id = 'conv-late'", "events")["events"]; n != uint64(len(late)) {
						return fmt.Errorf("%d events of conv-late, want %d", n, len(late))
					}
					return nil
				})
			}
			if _, err := Replay(ctx, s, brokers, nil, nil, progress); err != nil {
				t.Fatal(err)
			}
			if !sent {
				t.Fatal("the replay never reported the conversations read")
			}
			waitOverview(t, q, at, Overview{Conversations: 6, Messages: 12})
			cancel()
			if err := <-done; err != nil {
				t.Errorf("projector: %v", err)
			}
		})
	}
}
