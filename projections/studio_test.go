package projections

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
)

// TestEntryUses: answers count for their entry; feedback goes to the entry of
// the conversation's last answer before it.
func TestEntryUses(t *testing.T) {
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			b := Batch{}
			add := func(conv string, dt time.Duration, p events.Payload) {
				e, err := events.New("montclar", conv, at.Add(dt), p)
				if err != nil {
					t.Fatal(err)
				}
				b.Project(e, p)
			}
			add("c1", 0, &events.ConversationStarted{})
			add("c1", time.Second, &events.BotDecision{Outcome: "ANSWERED", EntryID: "verre", Reply: "r"})
			add("c1", 2*time.Second, &events.FeedbackGiven{Helpful: true})
			add("c2", 0, &events.ConversationStarted{})
			add("c2", time.Second, &events.BotDecision{Outcome: "ANSWERED", EntryID: "verre", Reply: "r"})
			add("c2", 5*time.Second, &events.BotDecision{Outcome: "ANSWERED", EntryID: "piles", Reply: "r"})
			add("c2", 9*time.Second, &events.FeedbackGiven{Helpful: false})
			if err := b.Insert(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			uses, err := NewQueries(s).EntryUses(ctx, at.Add(-time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if v := uses["verre"]; v.Answered != 2 || v.Feedback != 1 || v.Helpful != 1 {
				t.Errorf("verre = %+v, want 2 answered, 1 feedback, helpful", v)
			}
			if p := uses["piles"]; p.Answered != 1 || p.Feedback != 1 || p.Helpful != 0 || *p.HelpfulRate() != 0 {
				t.Errorf("piles = %+v, want 1 answered, 1 feedback, not helpful", p)
			}
		})
	}
}
