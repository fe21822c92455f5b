package ingest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

type campaignLookup struct{ campaign string }

func (l campaignLookup) ConversationStart(context.Context, string) (string, string, string, bool, error) {
	return "particulier", "montclar", l.campaign, true, nil
}

// UnratedAnswers says every answer is rated: a tester rates every reply all the same.
func (l campaignLookup) UnratedAnswers(context.Context, string) (int, error) { return 0, nil }

// TestTesterRatesEveryReply: in a test campaign every reply is rated, the
// latest first, each rating naming its utterance and the campaign; the
// utterances carry the campaign too; scenarios are finished in campaigns only,
// also by a process that did not start the conversation.
func TestTesterRatesEveryReply(t *testing.T) {
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	s := NewService(Config{}, engine, rec, nil)
	ctx := context.Background()
	c, err := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "widget", Campaign: "camp-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, c.ID, "horaires de la piscine"); err != nil {
		t.Fatal(err)
	}
	r, err := s.Send(ctx, c.ID, "grenouille turquoise du mercredi")
	if err != nil || r.Decision.Outcome != bot.Unanswered {
		t.Fatalf("%+v %v, want UNANSWERED", r.Decision.Outcome, err)
	}
	for _, understood := range []bool{false, true} {
		if err := s.Feedback(ctx, c.ID, understood, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Feedback(ctx, c.ID, true, ""); !errors.Is(err, ErrNothingToRate) {
		t.Errorf("a third rating for two replies: %v", err)
	}
	var utts []string
	var rated []events.FeedbackGiven
	for _, e := range rec.evs {
		_, p, err := events.Decode(mustMarshal(t, e))
		if err != nil {
			t.Fatal(err)
		}
		switch p := p.(type) {
		case *events.UtteranceReceived:
			if p.Campaign != "camp-1" {
				t.Errorf("utterance without its campaign: %+v", p)
			}
			utts = append(utts, e.ID)
		case *events.FeedbackGiven:
			rated = append(rated, *p)
		}
	}
	if len(utts) != 2 || len(rated) != 2 || rated[0].UtteranceID != utts[1] || rated[0].Helpful || rated[1].UtteranceID != utts[0] ||
		rated[0].Campaign != "camp-1" {
		t.Errorf("ratings %+v of utterances %v: want the latest first, each naming its utterance and the campaign", rated, utts)
	}
	if err := s.FinishScenario(ctx, c.ID, 0, true); err != nil {
		t.Fatal(err)
	}
	citizen, _ := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "widget"})
	if err := s.FinishScenario(ctx, citizen.ID, 0, true); !errors.Is(err, ErrNotInCampaign) {
		t.Errorf("a citizen's conversation finishing a scenario: %v, want ErrNotInCampaign", err)
	}
	other := NewService(Config{}, engine, rec, campaignLookup{"camp-1"})
	if err := other.FinishScenario(ctx, events.NewID(time.Now()), 1, false); err != nil {
		t.Errorf("another process: %v", err)
	}
}
