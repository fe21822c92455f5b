package ingest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/bot"
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
	c, err := s.Start(ctx, kb.Entreprise, "widget", "")
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
