package ingest

import (
	"context"
	"errors"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/kb"
)

// erasedSet is the set of erased conversations, as the audit log gives it.
type erasedSet map[string]bool

func (e erasedSet) Has(id string) bool { return e[id] }

// TestErasedConversationTakesNothingMore: once an administrator erases a
// conversation, a message, a choice or a rating to it is refused as to an
// unknown conversation, logs nothing, and the process forgets what it held.
func TestErasedConversationTakesNothingMore(t *testing.T) {
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, erased := &recorder{}, erasedSet{}
	s := NewService(Config{Erased: erased}, engine, rec, nil)
	ctx := context.Background()
	c, err := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "widget"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Send(ctx, c.ID, "horaires de moi@exemple.fr")
	if err != nil || r.Decision.Outcome != bot.Clarify {
		t.Fatalf("before erasure: %v, %v", r.Decision.Outcome, err)
	}
	erased[c.ID] = true
	before := len(rec.evs)
	if _, err := s.Send(ctx, c.ID, "encore une question"); !errors.Is(err, ErrUnknownConversation) {
		t.Errorf("a message to an erased conversation: %v, want ErrUnknownConversation", err)
	}
	if _, err := s.Choose(ctx, c.ID, r.Decision.Choices[0].ID); !errors.Is(err, ErrUnknownConversation) {
		t.Errorf("a choice in an erased conversation: %v, want ErrUnknownConversation", err)
	}
	if err := s.Feedback(ctx, c.ID, false, "rien compris"); !errors.Is(err, ErrUnknownConversation) {
		t.Errorf("a rating in an erased conversation: %v, want ErrUnknownConversation", err)
	}
	if len(rec.evs) != before {
		t.Errorf("the erased conversation logged %d more events", len(rec.evs)-before)
	}
	s.mu.Lock()
	_, held := s.convs[c.ID]
	s.mu.Unlock()
	if held {
		t.Error("the process still holds the erased conversation")
	}
}
