package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// lookups stands for the store where conversations started elsewhere are
// found; it counts what is looked up.
type lookups struct {
	known   string
	ids     []string
	unrated int // answers of the known conversation not rated
}

func (l *lookups) ConversationStart(_ context.Context, id string) (string, string, string, bool, error) {
	l.ids = append(l.ids, id)
	return "particulier", "montclar", "", id == l.known, nil
}

func (l *lookups) UnratedAnswers(context.Context, string) (int, error) { return l.unrated, nil }

// TestConversationIDsAreCheckedFirst: an id that no conversation could have is
// refused before it is looked up or kept as a rate-limit key; a conversation
// found in the store can be rated once when an answer of it is not rated yet,
// then once per new answer.
func TestConversationIDsAreCheckedFirst(t *testing.T) {
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	l := &lookups{known: events.NewID(time.Now()), unrated: 1}
	s := NewService(Config{ConversationRate: 30}, engine, &recorder{}, l)
	ctx := context.Background()
	for _, id := range []string{"", "nope", strings.Repeat("x", 64<<10), "01J" + strings.Repeat("Z", 40)} {
		if _, err := s.Send(ctx, id, "bonjour"); !errors.Is(err, ErrUnknownConversation) {
			t.Errorf("id of %d bytes: %v", len(id), err)
		}
		if err := s.Feedback(ctx, id, true, ""); !errors.Is(err, ErrUnknownConversation) {
			t.Errorf("feedback on an id of %d bytes: %v", len(id), err)
		}
	}
	if len(l.ids) != 0 {
		t.Errorf("malformed ids were looked up: %d", len(l.ids))
	}
	if _, err := s.Send(ctx, events.NewID(time.Now()), "bonjour"); !errors.Is(err, ErrUnknownConversation) || len(l.ids) != 1 {
		t.Errorf("a well-formed unknown id: %v, %d lookups", err, len(l.ids))
	}

	if err := s.Feedback(ctx, l.known, true, ""); err != nil {
		t.Errorf("first feedback on a conversation found in the store: %v", err)
	}
	if err := s.Feedback(ctx, l.known, false, ""); !errors.Is(err, ErrNothingToRate) {
		t.Errorf("second feedback with no new answer: %v", err)
	}
	if r, err := s.Send(ctx, l.known, "horaires de la mairie"); err != nil || r.Decision.Outcome != bot.Answered {
		t.Fatalf("send: %v %v", r.Decision.Outcome, err)
	}
	if err := s.Feedback(ctx, l.known, true, ""); err != nil {
		t.Errorf("feedback on the new answer: %v", err)
	}

	// Found again in the store once every answer is rated (the process
	// restarted, or the conversation idled out): nothing more to rate.
	rated := &lookups{known: events.NewID(time.Now())}
	s = NewService(Config{}, engine, &recorder{}, rated)
	if err := s.Feedback(ctx, rated.known, true, ""); !errors.Is(err, ErrNothingToRate) {
		t.Errorf("feedback on a conversation found with every answer rated: %v, want ErrNothingToRate", err)
	}
}
