package ingest

import (
	"context"
	"errors"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// TestChooseAnswersWithTheChoiceAndLinksTheQuestion: a click on a CLARIFY's
// choice answers with the chosen entry and logs which entry the ambiguous
// question meant; a choice not offered, or taken already, is refused.
func TestChooseAnswersWithTheChoiceAndLinksTheQuestion(t *testing.T) {
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	s := NewService(Config{}, engine, rec, nil)
	ctx := context.Background()
	c, err := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "widget"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Choose(ctx, c.ID, "decheterie"); !errors.Is(err, ErrNotAChoice) {
		t.Errorf("a choice before any CLARIFY: %v, want ErrNotAChoice", err)
	}
	r, err := s.Send(ctx, c.ID, "horaires de moi@exemple.fr")
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision.Outcome != bot.Clarify {
		t.Fatalf("outcome %s, want CLARIFY", r.Decision.Outcome)
	}
	offered := r.Decision.Choices[1]
	var other string
	for _, e := range engine.Index().Entries() {
		if e.ID != r.Decision.Choices[0].ID && e.ID != offered.ID && (len(r.Decision.Choices) < 3 || e.ID != r.Decision.Choices[2].ID) {
			other = e.ID
			break
		}
	}
	if _, err := s.Choose(ctx, c.ID, other); !errors.Is(err, ErrNotAChoice) {
		t.Errorf("an entry not offered: %v, want ErrNotAChoice", err)
	}
	before := len(rec.evs)
	got, err := s.Choose(ctx, c.ID, offered.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Decision.Outcome != bot.Answered || got.Decision.Entry.ID != offered.ID || got.Text != offered.AnswerFor(kb.Particulier) {
		t.Fatalf("reply to the choice = %s %q", got.Decision.Outcome, got.Text)
	}
	evs := rec.evs[before:]
	if len(evs) != 3 || evs[0].Type != events.TypeUtteranceReceived || evs[1].Type != events.TypeBotDecision || evs[2].Type != events.TypeSuggestionChosen {
		t.Fatalf("events of the choice: %v", types(evs))
	}
	chosen := decodeChosen(t, evs[2])
	clarified := rec.evs[before-2] // the ambiguous question's utterance
	if chosen.EntryID != offered.ID || chosen.UtteranceID != clarified.ID || chosen.ChoiceID != evs[0].ID ||
		chosen.Text != "horaires de [EMAIL]" || len(chosen.Choices) != len(r.Decision.Choices) {
		t.Errorf("suggestion.chosen = %+v", chosen)
	}
	if evs[2].ConversationID != c.ID {
		t.Errorf("keyed by %q, want the conversation", evs[2].ConversationID)
	}
	if _, err := s.Choose(ctx, c.ID, offered.ID); !errors.Is(err, ErrNotAChoice) {
		t.Errorf("the same choice twice: %v, want ErrNotAChoice", err)
	}
	if err := s.Feedback(ctx, c.ID, true, ""); err != nil {
		t.Errorf("the chosen answer cannot be rated: %v", err)
	}
}

func types(evs []events.Envelope) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

func decodeChosen(t *testing.T, env events.Envelope) events.SuggestionChosen {
	t.Helper()
	raw, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := events.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return *p.(*events.SuggestionChosen)
}
