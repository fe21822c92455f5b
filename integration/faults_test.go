package integration

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestKillDuringLoad kills parvis (SIGKILL) while 50 clients chat: after a
// restart, every message whose answer a client received is in ClickHouse
// exactly once, and no message is there twice.
func TestKillDuringLoad(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	const clients = 50
	var (
		mu    sync.Mutex
		acked = map[string][]string{} // conversation → texts answered
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	for c := range clients {
		wg.Go(func() {
			var start struct{ StartConversation struct{ ID string } }
			if errs, err := s.TryGQL("", `mutation { startConversation { id } }`, nil, &start); err != nil || len(errs) > 0 {
				return
			}
			id := start.StartConversation.ID
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				text := fmt.Sprintf("horaires de la mairie pour le client%d question%d", c, i)
				var out struct{ SendMessage struct{ Outcome string } }
				errs, err := s.TryGQL("", `mutation($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { outcome } }`,
					map[string]any{"c": id, "t": text}, &out)
				if err != nil || len(errs) > 0 || out.SendMessage.Outcome == "" {
					return // the server is gone: this message was never acknowledged
				}
				mu.Lock()
				acked[id] = append(acked[id], text)
				mu.Unlock()
			}
		})
	}
	// Kill while the clients are busy, once they have a hundred answers.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		n := 0
		for _, texts := range acked {
			n += len(texts)
		}
		mu.Unlock()
		if n >= 100 || time.Now().After(deadline) {
			break
		}
	}
	s.Kill()
	close(stop)
	wg.Wait()
	total := 0
	for _, texts := range acked {
		total += len(texts)
	}
	if total < clients {
		t.Fatalf("only %d messages answered before the kill", total)
	}
	t.Logf("%d messages acknowledged to %d clients before SIGKILL", total, len(acked))

	s.Restart()
	// Each client had at most one message in flight: acknowledged or not, it is
	// there at most once.
	deadline := time.Now().Add(60 * time.Second)
	for o := s.Overview(); o.Messages < total; o = s.Overview() {
		if time.Now().After(deadline) {
			t.Fatalf("overview.messages = %d after restart, want at least the %d acknowledged", o.Messages, total)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if o := s.Overview(); o.Messages > total+clients {
		t.Errorf("overview.messages = %d, more than the %d acknowledged and %d in flight", o.Messages, total, clients)
	}
	for id, texts := range acked {
		var out struct {
			Conversation struct{ Messages []struct{ Role, Text string } }
		}
		if errs := s.GQL(parvistest.AdminToken, `query($id: ID!) { conversation(id: $id) { messages { role text } } }`, map[string]any{"id": id}, &out); len(errs) > 0 {
			t.Fatal(errs)
		}
		seen := map[string]int{}
		for _, m := range out.Conversation.Messages {
			if m.Role == "citizen" {
				seen[m.Text]++
			}
		}
		for _, text := range texts {
			if seen[text] != 1 {
				t.Errorf("conversation %s: %q is there %d times, want once", id, text, seen[text])
			}
		}
		for text, n := range seen {
			if n > 1 {
				t.Errorf("conversation %s: %q counted %d times", id, text, n)
			}
		}
	}
}

// TestClickHouseServerGone kills the ClickHouse server under parvis: citizens
// still get answers (the chat never waits for ClickHouse), the projector backs
// off, and once the server is back everything is projected, once.
func TestClickHouseServerGone(t *testing.T) {
	ch := parvistest.StartClickHouseServer(t)
	s := parvistest.Start(t, t.TempDir(), "--clickhouse", ch.DSN)
	id := s.StartConversation()
	for i := range 5 {
		if _, errs := s.Send(id, fmt.Sprintf("passeport perdu %d", i)); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	s.WaitMessages(5, 30*time.Second)

	ch.Kill()
	for i := range 10 {
		if r, errs := s.Send(id, fmt.Sprintf("horaires de la mairie %d", i)); len(errs) > 0 || r.Outcome == "" {
			t.Fatalf("no answer while ClickHouse is down: %v", errs)
		}
	}
	time.Sleep(3 * time.Second) // the projector meets the outage and backs off
	ch.Restart()
	o := s.WaitMessages(15, 90*time.Second)
	if o.Conversations != 1 {
		t.Errorf("overview = %+v", o)
	}
	time.Sleep(2 * time.Second)
	if o := s.Overview(); o.Messages != 15 {
		t.Errorf("overview.messages = %d a while later, want 15", o.Messages)
	}
}

// TestPoisonEvent writes a message that is not an event onto the conversations
// topic: it goes to the dead-letter topic with its reason, and the events after it
// are projected.
func TestPoisonEvent(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := &kafka.Writer{Addr: kafka.TCP(s.Broker), Topic: "parvis.conversations", RequiredAcks: kafka.RequireAll}
	defer w.Close()
	poison := `{"id":"poison-1","type":"utterance.shouted","v":1}`
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("x"), Value: []byte(poison)}); err != nil {
		t.Fatal(err)
	}
	id := s.StartConversation()
	for range 3 {
		if _, errs := s.Send(id, "passeport perdu"); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	s.WaitMessages(3, 30*time.Second)

	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{s.Broker}, Topic: "parvis.deadletter", Partition: 0, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("the poison message never reached the dead-letter topic: %v", err)
		}
		if string(m.Value) != poison {
			continue
		}
		var reason string
		for _, h := range m.Headers {
			if h.Key == "reason" {
				reason = string(h.Value)
			}
		}
		if !strings.Contains(reason, "invalid event") {
			t.Errorf("dead-lettered with reason %q", reason)
		}
		return
	}
}
