package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/ingest/redact"
	"github.com/parvis-civic/parvis/kb"
)

// recorder keeps what would go to the log, in order.
type recorder struct {
	mu  sync.Mutex
	evs []events.Envelope
}

func (r *recorder) Publish(_ context.Context, evs ...events.Envelope) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, evs...)
	return nil
}

func TestConversationEvents(t *testing.T) {
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	s := NewService(Config{IdleAfter: time.Minute}, engine, rec, nil)
	ctx := context.Background()
	c, err := s.Start(ctx, Start{Audience: kb.Entreprise, Channel: "widget"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Send(ctx, c.ID, "horaires de la déchetterie, mon mail est a@b.fr")
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision.Entry == nil || r.Decision.Entry.ID != "decheterie" || r.Text != r.Decision.Entry.AudienceAnswers[kb.Entreprise] {
		t.Errorf("reply %q is not the entreprise answer", r.Text)
	}
	if err := s.Feedback(ctx, c.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, "nope", "bonjour"); err != ErrUnknownConversation {
		t.Errorf("unknown conversation: %v", err)
	}
	if err := s.EndIdle(ctx, time.Now().Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range rec.evs {
		types = append(types, e.Type)
		if e.ConversationID != c.ID {
			t.Errorf("%s keyed by %q", e.Type, e.ConversationID)
		}
	}
	want := []string{events.TypeConversationStarted, events.TypeUtteranceReceived, events.TypeBotDecision,
		events.TypeFeedbackGiven, events.TypeConversationEnded}
	if len(types) != len(want) {
		t.Fatalf("events %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("events %v, want %v", types, want)
		}
	}
	_, p, err := events.Decode(mustMarshal(t, rec.evs[1]))
	if err != nil {
		t.Fatal(err)
	}
	if u := p.(*events.UtteranceReceived); u.Text != "horaires de la déchetterie, mon mail est [EMAIL]" || u.Redactions[redact.KindEmail] != 1 {
		t.Errorf("utterance %+v", u)
	}
	_, p, _ = events.Decode(mustMarshal(t, rec.evs[2]))
	if d := p.(*events.BotDecision); d.EntryID != "decheterie" || len(d.Candidates) == 0 || d.UtteranceID != rec.evs[1].ID || d.KBVersion != "v1" {
		t.Errorf("decision %+v", d)
	}
}

func mustMarshal(t *testing.T, e events.Envelope) []byte {
	b, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSendLogsNoPersonalData sends messages of the redaction corpus through Send
// and Feedback, to a real broker, and reads back every event: none holds a piece
// of the personal data that the messages held, in any string of any event.
func TestSendLogsNoPersonalData(t *testing.T) {
	var msgs []string // messages with several kinds, and one of each kind
	var pii []string
	seen := map[string]bool{}
	f, err := os.Open("redact/testdata/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l struct {
			Text  string   `json:"text"`
			Kinds []string `json:"kinds"`
			PII   []string `json:"pii"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		keep := len(l.Kinds) > 1
		for _, k := range l.Kinds {
			keep = keep || !seen[k]
			seen[k] = true
		}
		if keep {
			msgs = append(msgs, l.Text)
			pii = append(pii, l.PII...)
		}
	}
	if len(msgs) < 12 {
		t.Fatalf("%d messages from the corpus, want one of each kind at least", len(msgs))
	}

	addr, pub := eventlogtest.Start(t)
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(Config{}, engine, pub, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "widget"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if _, err := s.Send(ctx, c.ID, m); err != nil {
			t.Fatalf("Send(%q): %v", m, err)
		}
	}
	if err := s.Feedback(ctx, c.ID, false, msgs[len(msgs)-1]); err != nil {
		t.Fatal(err)
	}

	// The log holds a start, an utterance and a decision per message, and the
	// feedback: read them all back, from every partition, as a consumer would.
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, GroupID: "redaction-test",
		Topic: events.TopicConversations, StartOffset: kafka.FirstOffset, MaxWait: 50 * time.Millisecond})
	defer r.Close()
	utterances := 0
	for range 2 + 2*len(msgs) {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ev any
		if err := json.Unmarshal(m.Value, &ev); err != nil {
			t.Fatal(err)
		}
		for _, str := range stringsIn(ev) {
			for _, p := range pii {
				if strings.Contains(str, p) {
					t.Errorf("an event holds %q: %q", p, str)
				}
			}
			utterances += strings.Count(str, events.TypeUtteranceReceived)
		}
	}
	if utterances != len(msgs) {
		t.Errorf("read %d utterances, sent %d", utterances, len(msgs))
	}
}

// stringsIn returns every string of a decoded JSON value, keys included.
func stringsIn(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, stringsIn(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for k, e := range v {
			out = append(append(out, k), stringsIn(e)...)
		}
		return out
	}
	return nil
}
