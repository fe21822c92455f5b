package projections

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
)

// TestSuggestionInputReadsChoicesAndReviews: a clicked choice and a verdict
// projected from their events come back, once each however often delivered;
// choices of test campaigns are left out; the conversation's record holds its
// choices.
func TestSuggestionInputReadsChoicesAndReviews(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Second)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			evs := []events.Envelope{
				mustEvent(t, "conv-1", at, events.ConversationStarted{}),
				mustEvent(t, "conv-1", at, events.SuggestionChosen{UtteranceID: "u1", Text: "horaires", EntryID: "mairie_horaires",
					Choices: []string{"mairie_horaires", "decheterie"}, ChoiceID: "u2"}),
				mustEvent(t, "conv-2", at, events.ConversationStarted{Campaign: "tok"}),
				mustEvent(t, "conv-2", at, events.SuggestionChosen{UtteranceID: "u3", Text: "tarifs", EntryID: "cantine"}),
				mustEvent(t, "", at, events.SuggestionReviewed{SuggestionID: "s1", Kind: "alternative", EntryID: "decheterie",
					Text: "horaires", Verdict: "rejected", By: "expert"}),
			}
			projectAll(t, s, evs)
			projectAll(t, s, evs) // delivered again
			choices, reviews, err := NewQueries(s).SuggestionInput(context.Background(), at.Add(-time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if len(choices) != 1 || choices[0].UtteranceID != "u1" || choices[0].Text != "horaires" ||
				choices[0].EntryID != "mairie_horaires" || choices[0].ChoiceID != "u2" || choices[0].ConversationID != "conv-1" {
				t.Errorf("choices = %+v", choices)
			}
			if len(reviews) != 1 || reviews[0].SuggestionID != "s1" || reviews[0].Verdict != "rejected" {
				t.Errorf("reviews = %+v", reviews)
			}
			// A citizen's access request shows the clicked choice with its question.
			rec, held, err := NewQueries(s).Record(context.Background(), "conv-1")
			if err != nil || !held || len(rec.Choices) != 1 || rec.Choices[0].Text != "horaires" || rec.Choices[0].EntryID != "mairie_horaires" {
				t.Errorf("record choices = %+v %v %v", rec.Choices, held, err)
			}
		})
	}
}
