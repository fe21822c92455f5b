package projections

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

func TestProjectorAndReplay(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			addr, pub := eventlogtest.Start(t)
			brokers := []string{addr}

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := NewProjector(ProjectorConfig{Brokers: brokers, Group: "test-" + name, Flush: 50 * time.Millisecond}, s, pub)
			done := make(chan error, 1)
			go func() { done <- p.Run(ctx) }()

			at := time.Now().UTC().Truncate(time.Second)
			evs := conversationEvents(t, 20, 5, at)
			if err := pub.Publish(ctx, evs...); err != nil {
				t.Fatal(err)
			}
			// A malformed event on the topic: dead-lettered, and the projector goes on.
			w := &kafka.Writer{Addr: kafka.TCP(addr), AllowAutoTopicCreation: true}
			if err := w.WriteMessages(ctx, kafka.Message{Topic: events.TopicConversations, Key: []byte("x"), Value: []byte(`{"type":"nope"}`)}); err != nil {
				t.Fatal(err)
			}
			w.Close()
			more := conversationEvents(t, 1, 5, at)
			for i := range more {
				more[i].ConversationID = "conv-late"
			}
			if err := pub.Publish(ctx, more...); err != nil {
				t.Fatal(err)
			}

			q := NewQueries(s)
			want := Overview{Conversations: 21, Messages: 105}
			waitOverview(t, q, at, want)

			// The first broker of the list is down: replay reads from the next.
			rep, err := Replay(ctx, s, append([]string{eventlogtest.FreeAddr(t)}, brokers...), p, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Events != len(evs)+len(more) || rep.Invalid != 1 {
				t.Errorf("replay = %+v, want %d events and 1 invalid", rep, len(evs)+len(more))
			}
			waitOverview(t, q, at, want)

			// Events after the replay still reach the swapped-in tables.
			after := conversationEvents(t, 1, 1, at)
			for i := range after {
				after[i].ConversationID = "conv-after"
			}
			if err := pub.Publish(ctx, after...); err != nil {
				t.Fatal(err)
			}
			waitOverview(t, q, at, Overview{Conversations: 22, Messages: 106})

			dl := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: events.TopicDeadLetter, Partition: 0, MaxWait: 50 * time.Millisecond})
			defer dl.Close()
			rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
			defer rcancel()
			m, err := dl.ReadMessage(rctx)
			if err != nil {
				t.Fatalf("dead-letter topic: %v", err)
			}
			if string(m.Value) != `{"type":"nope"}` || len(m.Headers) == 0 || m.Headers[0].Key != "reason" {
				t.Errorf("dead letter = %s %v", m.Value, m.Headers)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("projector: %v", err)
			}
		})
	}
}

func waitOverview(t *testing.T, q *Queries, at time.Time, want Overview) {
	t.Helper()
	eventually(t, "overview", func() error {
		o, err := q.Overview(context.Background(), tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour))
		if err == nil && (o.Conversations != want.Conversations || o.Messages != want.Messages) {
			err = fmt.Errorf("%+v, want %d conversations and %d messages", o, want.Conversations, want.Messages)
		}
		return err
	})
}

// flaky fails the first inserts, as a ClickHouse that is down for a while.
type flaky struct {
	Store
	mu       sync.Mutex
	failures int
}

func (f *flaky) Insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	f.mu.Lock()
	if f.failures > 0 {
		f.failures--
		f.mu.Unlock()
		return errors.New("clickhouse: connection refused")
	}
	f.mu.Unlock()
	return f.Store.Insert(ctx, table, cols, rows)
}

func TestProjectorRetriesWhileClickHouseIsDown(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	addr, pub := eventlogtest.Start(t)
	at := time.Now().UTC().Truncate(time.Second)
	if err := pub.Publish(context.Background(), conversationEvents(t, 5, 4, at)...); err != nil {
		t.Fatal(err)
	}
	down := &flaky{Store: s, failures: 4}
	ctx, cancel := context.WithCancel(context.Background())
	p := NewProjector(ProjectorConfig{Brokers: []string{addr}, Group: "flaky", Flush: 50 * time.Millisecond}, down, pub)
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	waitOverview(t, NewQueries(s), at, Overview{Conversations: 5, Messages: 20})
	cancel()
	<-done
	if down.failures != 0 {
		t.Errorf("%d failures left: the projector did not retry", down.failures)
	}
	// A second projector of the same group starts after the committed offsets:
	// nothing is projected twice (and FINAL would hide it anyway).
	var rows []struct {
		N uint64 `ch:"n"`
	}
	if err := s.Select(context.Background(), &rows, "SELECT count() AS n FROM events"); err != nil {
		t.Fatal(err)
	}
	if rows[0].N != 45 {
		t.Errorf("events table holds %d rows, want 45", rows[0].N)
	}
}

// noRollup refuses the hourly rollup's statements while blocked, as a
// ClickHouse that fails them.
type noRollup struct {
	Store
	blocked atomic.Bool
}

func (n *noRollup) Exec(ctx context.Context, sql string) error {
	if n.blocked.Load() && strings.Contains(sql, "INSERT INTO usage_hourly") {
		return errors.New("clickhouse: usage_hourly refused")
	}
	return n.Store.Exec(ctx, sql)
}

// TestOffsetsWaitForTheRollup: a batch's offsets are committed only once an
// hourly rollup counts it. While the rollup fails, the messages are in the
// tables but no offset is committed (a projector starting then would project
// them again, and roll their hours up); once it succeeds, without any new
// batch, the hours are counted and the offsets committed.
func TestOffsetsWaitForTheRollup(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	addr, pub := eventlogtest.Start(t)
	at := time.Now().UTC().Truncate(time.Second)
	evs := conversationEvents(t, 5, 4, at)
	if err := pub.Publish(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
	store := &noRollup{Store: s}
	store.blocked.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	p := NewProjector(ProjectorConfig{Brokers: []string{addr}, Group: "rollup", Flush: 50 * time.Millisecond}, store, pub)
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	defer func() { cancel(); <-done }()

	q := NewQueries(s)
	waitOverview(t, q, at, Overview{Conversations: 5, Messages: 20})
	time.Sleep(300 * time.Millisecond) // several rollups tried and refused
	if n := committedOffsets(t, addr, "rollup"); n != 0 {
		t.Errorf("%d offsets committed while the rollup fails, want none", n)
	}
	usage := func() error {
		points, err := q.Usage(context.Background(), tenant.Everything(), at.Add(-48*time.Hour), at.Add(48*time.Hour), false)
		n := 0
		for _, p := range points {
			n += p.Messages
		}
		if err == nil && n != 20 {
			err = fmt.Errorf("usage counts %d messages, want 20", n)
		}
		return err
	}
	if usage() == nil {
		t.Error("usage counted while its rollup fails")
	}

	store.blocked.Store(false)
	eventually(t, "usage", usage)
	eventually(t, "committed offsets", func() error {
		if n := committedOffsets(t, addr, "rollup"); n != int64(len(evs)) {
			return fmt.Errorf("%d offsets committed, want %d", n, len(evs))
		}
		return nil
	})
}

// committedOffsets is the sum of a group's committed offsets on the
// conversations topic (0 for a partition with none).
func committedOffsets(t *testing.T, addr, group string) int64 {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 5 * time.Second}
	res, err := c.OffsetFetch(context.Background(), &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{events.TopicConversations: {0, 1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, p := range res.Topics[events.TopicConversations] {
		if p.Error != nil {
			t.Fatal(p.Error)
		}
		n += max(0, p.CommittedOffset)
	}
	return n
}
