package eventlog

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// readAll reads every event of the conversations topic, all partitions, and
// checks that there are want of them (any number for -1).
func readAll(t *testing.T, brokers []string, want int) []events.Envelope {
	t.Helper()
	var out []events.Envelope
	for p := range conversationPartitions {
		for _, m := range partitionMessages(t, brokers[0], p) {
			env, _, err := events.Decode(m.Value)
			if err != nil {
				t.Fatalf("partition %d offset %d: %v", p, m.Offset, err)
			}
			out = append(out, env)
		}
	}
	if want >= 0 && len(out) != want {
		t.Fatalf("read %d events, want %d", len(out), want)
	}
	return out
}

// partitionMessages reads every message of a partition of the conversations
// topic, from its first offset to its last.
func partitionMessages(t *testing.T, addr string, p int) []kafka.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := kafka.DialLeader(ctx, "tcp", addr, events.TopicConversations, p)
	if err != nil {
		t.Fatal(err)
	}
	first, last, err := conn.ReadOffsets()
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out []kafka.Message
	if last <= first {
		return out
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: events.TopicConversations, Partition: p, MaxWait: 50 * time.Millisecond})
	defer r.Close()
	r.SetOffset(first)
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
		if m.Offset >= last-1 {
			return out
		}
	}
}

func utterances(t *testing.T, conv string, n int) []events.Envelope {
	evs := make([]events.Envelope, n)
	for i := range evs {
		ev, err := events.New("t", conv, time.Now(), events.UtteranceReceived{Text: fmt.Sprintf("message %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		evs[i] = ev
	}
	return evs
}

func TestOutboxKeepsEventsWhileTheBrokerIsDown(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	broker, err := StartEmbedded(filepath.Join(dir, "kafka"), addr)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := NewPublisher(PublisherConfig{Brokers: []string{addr}, OutboxDir: filepath.Join(dir, "outbox"), Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	ctx := context.Background()
	evs := utterances(t, "conv-1", 30)
	if err := pub.Publish(ctx, evs[:10]...); err != nil {
		t.Fatal(err)
	}

	broker.Close() // the broker goes away
	for i := 10; i < 20; i++ {
		if err := pub.Publish(ctx, evs[i]); err != nil {
			t.Fatalf("publish while the broker is down: %v", err)
		}
	}
	if pub.Pending() == 0 {
		t.Fatal("nothing in the outbox while the broker is down")
	}

	broker, err = StartEmbedded(filepath.Join(dir, "kafka"), addr) // back, same log
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	for i := 20; i < 30; i++ {
		if err := pub.Publish(ctx, evs[i]); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for pub.Pending() > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if pub.Pending() > 0 {
		t.Fatalf("outbox not delivered: %d pending", pub.Pending())
	}
	got := readAll(t, []string{addr}, 30)
	for i, e := range got {
		if e.ID != evs[i].ID {
			t.Fatalf("event %d is %s, want %s: order lost", i, e.ID, evs[i].ID)
		}
	}
}

// When the broker cannot be reached and the outbox cannot store the events
// either, Publish says so: the citizen must not be told the message was recorded.
func TestPublishReportsOutboxFailure(t *testing.T) {
	m, ob := openMem(t)
	m.free = 0 // a full disk
	pub := startPublisher(PublisherConfig{Brokers: []string{freeAddr(t)}, Timeout: 300 * time.Millisecond}, ob)
	defer pub.Close()
	ctx := context.Background()
	err := pub.Publish(ctx, utterances(t, "conv-1", 2)...)
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "outbox could not store 2 events") {
		t.Fatalf("Publish with no broker and a full disk: %v", err)
	}
	if pub.Pending() != 0 {
		t.Errorf("pending %d after a refused publish", pub.Pending())
	}
	m.mu.Lock()
	m.free = -1 // space is back
	m.mu.Unlock()
	if err := pub.Publish(ctx, utterances(t, "conv-1", 2)...); err != nil {
		t.Fatalf("Publish with no broker and space back: %v", err)
	}
	if pub.Pending() != 2 {
		t.Errorf("pending %d, want the 2 events in the outbox", pub.Pending())
	}
}

// An undecodable message as large as the broker takes (written by another
// client) is still dead-lettered: with the headers that say why and where it
// came from, it would be over the limit and refused at every attempt, and the
// projector, which waits for its dead letter, would stop there for ever.
func TestDeadLetterOfAMessageAtTheBrokersLimit(t *testing.T) {
	addr, pub := startBrokerAndPublisher(t)
	m := kafka.Message{Topic: events.TopicConversations, Partition: 2, Offset: 1234, Key: []byte("x"),
		Value: []byte(strings.Repeat("x", 1<<20-100))}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := pub.DeadLetter(ctx, m, "events: invalid event: malformed JSON at byte 0"); err != nil {
		t.Fatal(err)
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: events.TopicDeadLetter, Partition: 0, MaxWait: 50 * time.Millisecond})
	defer r.Close()
	dl, err := r.ReadMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range dl.Headers {
		got[h.Key] = string(h.Value)
	}
	if got["reason"] == "" || got["topic"] != events.TopicConversations || got["partition"] != "2" || got["offset"] != "1234" {
		t.Errorf("dead letter's headers %v: want the reason and where the message lies", got)
	}
	if got["omitted"] != fmt.Sprintf("%d bytes", len(m.Value)) {
		t.Errorf("dead letter's headers %v: want the size of the value left out", got)
	}
}
