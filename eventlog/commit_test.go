package eventlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kmsg"

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
// another call's failed; the other's events are kept in the outbox, in order,
// before it is answered.
func TestGroupAnswersEachCallWithItsOwnMessages(t *testing.T) {
	_, ob := openMem(t)
	p := &Publisher{outbox: ob, log: slog.New(slog.DiscardHandler), wake: make(chan struct{}, 1)}
	msgs := func(vals ...string) []kafka.Message {
		var out []kafka.Message
		for _, v := range vals {
			out = append(out, kafka.Message{Value: []byte(v)})
		}
		return out
	}
	calls := func() []*commitCall {
		return []*commitCall{
			{msgs: msgs("a1", "a2"), done: make(chan commitResult, 1)},
			{msgs: msgs("b1"), done: make(chan commitResult, 1)},
			{msgs: msgs("c1", "c2", "c3"), done: make(chan commitResult, 1)},
		}
	}
	boom := errors.New("not leader")
	g := &group{calls: calls(), err: kafka.WriteErrors{nil, nil, nil, nil, boom, nil}}
	for _, c := range g.calls {
		g.msgs = append(g.msgs, c.msgs...)
	}
	p.answer(g)
	for i, want := range []commitResult{{}, {}, {stored: true}} {
		if got := <-g.calls[i].done; got != want {
			t.Errorf("call %d: %+v, want %+v", i, got, want)
		}
	}
	recs, _, err := ob.Peek(10)
	if err != nil || len(recs) != 3 || string(recs[0]) != "c1" || string(recs[2]) != "c3" {
		t.Errorf("outbox holds %q (%v), want the failed call's c1 c2 c3", recs, err)
	}

	whole := errors.New("broker unreachable")
	g = &group{calls: calls(), err: whole}
	p.answer(g)
	for i, c := range g.calls {
		if got := <-c.done; got != (commitResult{stored: true}) {
			t.Errorf("call %d after a failed request: %+v, want it kept in the outbox", i, got)
		}
	}
	if n := ob.Pending(); n != 9 {
		t.Errorf("outbox holds %d events, want 9", n)
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

// An event too large for the log (over a megabyte: kafka-go would fail the
// whole group with it) is refused to its own caller, with a clear
// error, and kept nowhere; the calls beside it are acknowledged, and nothing is
// left in the outbox to be sent again for ever.
func TestOversizeEventRefusedAlone(t *testing.T) {
	addr, pub := startBrokerAndPublisher(t)
	const callers = 20
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			e := utterances(t, fmt.Sprintf("conv-%d", c), 1)[0]
			if c == 7 {
				e, _ = events.New("t", "conv-7", time.Now(), events.UtteranceReceived{Text: strings.Repeat("é", MaxEventBytes*6/10)})
			}
			errs[c] = pub.Publish(context.Background(), e)
		})
	}
	wg.Wait()
	for c, err := range errs {
		switch {
		case c == 7 && !errors.Is(err, ErrEventTooLarge):
			t.Errorf("oversize event: %v, want ErrEventTooLarge", err)
		case c == 7 && !strings.Contains(err.Error(), "utterance.received"):
			t.Errorf("oversize event: %q does not say which event", err)
		case c != 7 && err != nil:
			t.Errorf("call %d beside the oversize event: %v", c, err)
		}
	}
	if n := pub.Pending(); n != 0 {
		t.Errorf("%d events in the outbox", n)
	}
	readAll(t, []string{addr}, callers-1)
}

// When the broker refuses one batch (a partition's share of a group) and takes
// the others, a conversation's events still read in their order: a call's
// events of one partition are in one batch, all acknowledged or all kept in the
// outbox, never the later ones on the log ahead of the earlier ones.
func TestFailedBatchKeepsConversationInOrder(t *testing.T) {
	dir, addr, broker := startBroker(t)
	var refused atomic.Bool
	broker.cluster.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		pr := req.(*kmsg.ProduceRequest)
		if len(pr.Topics) == 0 || pr.Topics[0].Topic != events.TopicConversations || !refused.CompareAndSwap(false, true) {
			return nil, nil, false
		}
		resp := pr.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range pr.Topics {
			t := kmsg.NewProduceResponseTopic()
			t.Topic, t.TopicID = rt.Topic, rt.TopicID
			for _, rp := range rt.Partitions {
				p := kmsg.NewProduceResponseTopicPartition()
				p.Partition = rp.Partition
				p.ErrorCode = 87 // INVALID_RECORD: not retried
				t.Partitions = append(t.Partitions, p)
			}
			resp.Topics = append(resp.Topics, t)
		}
		return resp, nil, true
	})
	pub, err := NewPublisher(PublisherConfig{Brokers: []string{addr}, OutboxDir: filepath.Join(dir, "outbox"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	sent := utterances(t, "conv-1", 600) // more than one batch of the writers before
	if err := pub.Publish(context.Background(), sent...); err != nil {
		t.Fatal(err)
	}
	if !refused.Load() {
		t.Fatal("the broker refused no batch")
	}
	for deadline := time.Now().Add(60 * time.Second); pub.Pending() > 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d events still in the outbox after 60 s", pub.Pending())
		}
	}
	var order []string
	seen := map[string]bool{}
	for _, e := range readAll(t, []string{addr}, -1) {
		if !seen[e.ID] { // consumers drop repeats
			seen[e.ID] = true
			order = append(order, e.ID)
		}
	}
	if len(order) != len(sent) {
		t.Fatalf("read %d distinct events, want %d", len(order), len(sent))
	}
	for i, e := range sent {
		if order[i] != e.ID {
			t.Fatalf("event %d read at another place: the conversation is out of order", i)
		}
	}
}

// startBroker starts an embedded broker, closed when the test ends, in a
// directory of the test's: it returns the directory, the broker's address and
// the broker.
func startBroker(t *testing.T) (string, string, *Embedded) {
	t.Helper()
	dir, addr := t.TempDir(), freeAddr(t)
	broker, err := StartEmbedded(filepath.Join(dir, "kafka"), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(broker.Close)
	return dir, addr, broker
}

// startBrokerAndPublisher starts an embedded broker and a publisher to it.
func startBrokerAndPublisher(t *testing.T) (string, *Publisher) {
	dir, addr, _ := startBroker(t)
	pub, err := NewPublisher(PublisherConfig{Brokers: []string{addr}, OutboxDir: filepath.Join(dir, "outbox")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close() })
	return addr, pub
}

// A group as large as the bound allows still fits the broker's limit, which
// counts the record batch's own header: two events of a conversation that
// fill a group reach the log, rather than be kept in the outbox, refused by
// the broker at every delivery, with every later event behind them.
func TestFullGroupFitsTheBroker(t *testing.T) {
	addr, pub := startBrokerAndPublisher(t)
	size := func(e events.Envelope) int {
		b, err := e.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return messageBytes(kafka.Message{Key: e.Key(), Value: b})
	}
	// Texts of ASCII letters: a byte each, in JSON too.
	event := func(n int) events.Envelope {
		e, err := events.New("t", "conv-1", time.Now(), events.UtteranceReceived{Text: strings.Repeat("a", n)})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	over := size(event(0))
	a, b := event(maxBatchBytes/2-over), event(maxBatchBytes-maxBatchBytes/2-over)
	if got := size(a) + size(b); got != maxBatchBytes {
		t.Fatalf("the two events make %d bytes, want %d", got, maxBatchBytes)
	}
	if n := groupable([]kafka.Message{{Key: a.Key(), Value: must(a.Marshal())}, {Key: b.Key(), Value: must(b.Marshal())}}); n != 2 {
		t.Fatalf("groupable = %d, want both in one group", n)
	}
	if err := pub.Publish(context.Background(), a, b); err != nil {
		t.Fatal(err)
	}
	if n := pub.Pending(); n != 0 {
		t.Fatalf("%d events kept in the outbox: the broker refused the group", n)
	}
	readAll(t, []string{addr}, 2)
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
