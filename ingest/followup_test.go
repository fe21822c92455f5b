package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// TestFollowUp asks on after an answer in a few words: the entry just given
// answers them, when they make sense after it and only then.
func TestFollowUp(t *testing.T) {
	engine := demoEngine(t)
	s := NewService(Config{IdleAfter: time.Minute}, engine, &recorder{}, nil)
	ctx := context.Background()
	tests := []struct {
		name           string
		first, then    string
		want, wantThen string // entry ids; "" for no answer
	}{
		{"a day", "cb de temps c ouvert la mairie", "et le samedi ?", "horaires_mairie", "horaires_mairie"},
		{"a price", "bonjour je voudrais refaire mon passeport cmt on fait", "c'est combien ?", "passeport", "passeport"},
		{"a delay", "ma carte d identite est perimee jdois faire koi", "cb de temps pr l avoir", "carte_identite", "carte_identite"},
		{"another thing is no follow-up", "horaires de la mairie", "et la poste ?", "horaires_mairie", ""},
		{"an insult is no follow-up", "horaires de la piscine", "t'es nul bot de merde", "piscine", ""},
		{"nothing answered before", "raconte moi une blague", "c'est combien ?", "", ""},
		// « cher » alone is answered by the entry on local taxes (« taxe foncière
		// trop chère »); after the pool, it asks what the pool costs.
		{"a detail another entry speaks of", "horaires de la piscine", "c cher ?", "piscine", "piscine"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "widget"})
			if err != nil {
				t.Fatal(err)
			}
			for _, turn := range []struct{ text, want string }{{tt.first, tt.want}, {tt.then, tt.wantThen}} {
				r, err := s.Send(ctx, c.ID, turn.text)
				if err != nil {
					t.Fatal(err)
				}
				got := ""
				if r.Decision.Outcome == bot.Answered {
					got = r.Decision.Entry.ID
				}
				if got != turn.want {
					t.Errorf("%q: answered by %q (%s), want %q", turn.text, got, r.Decision.Outcome, turn.want)
				}
			}
		})
	}
}

// TestFollowUpOnAnotherProcess: behind a load balancer, the follow-up reaches
// another API process than the answer it follows; the log tells it which entry
// that answer gave.
func TestFollowUpOnAnotherProcess(t *testing.T) {
	a, b, _ := twoProcesses(t, nil)
	conv := mustStart(t, a)
	if r := mustSend(t, a, conv, "bonjour je voudrais refaire mon passeport cmt on fait"); r.Decision.Outcome != bot.Answered || r.Decision.Entry.ID != "passeport" {
		t.Fatalf("the first question: %s %v", r.Decision.Outcome, r.Decision.Entry)
	}
	if alone := mustSend(t, b, mustStart(t, b), "c'est combien ?"); alone.Decision.Outcome == bot.Answered {
		t.Fatalf("« c'est combien ? » is answered alone (%v): it proves nothing here", alone.Decision.Entry)
	}
	r := mustSend(t, b, conv, "c'est combien ?")
	if r.Decision.Outcome != bot.Answered || r.Decision.Entry.ID != "passeport" {
		t.Errorf("« c'est combien ? » on the other process: %s %v, %q", r.Decision.Outcome, r.Decision.Entry, r.Text)
	}
}

// TestSecondQuestionOnTheLog: the entry offered for a message's second question
// is on its decision event, for analysts to see what the citizen was offered.
func TestSecondQuestionOnTheLog(t *testing.T) {
	rec := &recorder{}
	s := NewService(Config{}, demoEngine(t), rec, nil)
	ctx := context.Background()
	c, err := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "widget"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Send(ctx, c.ID, "Comment inscrire mon fils à la cantine ? Et où jeter mes déchets verts ?")
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision.Also == nil {
		t.Fatalf("no second question offered: %s %v", r.Decision.Outcome, r.Decision.Entry)
	}
	var found bool
	for _, e := range rec.evs {
		_, p, err := events.Decode(mustMarshal(t, e))
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := p.(*events.BotDecision); ok {
			found = true
			if d.Also != r.Decision.Also.ID {
				t.Errorf("bot.decision also = %q, want %q", d.Also, r.Decision.Also.ID)
			}
		}
	}
	if !found {
		t.Fatal("no bot.decision on the log")
	}
}
