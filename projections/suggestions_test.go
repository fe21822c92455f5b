package projections

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
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
			choices, reviews, err := NewQueries(s).SuggestionInput(context.Background(), tenant.Everything(), at.Add(-time.Hour))
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
			rec, held, err := NewQueries(s).Record(context.Background(), tenant.Everything(), "conv-1")
			if err != nil || !held || len(rec.Choices) != 1 || rec.Choices[0].Text != "horaires" || rec.Choices[0].EntryID != "mairie_horaires" {
				t.Errorf("record choices = %+v %v %v", rec.Choices, held, err)
			}
		})
	}
}

// TestPendingVersionKeepsThePublishedRow: a new version drafted beside a
// published entry does not replace the entry's row (what answers, what covers a
// group); its publication does.
func TestPendingVersionKeepsThePublishedRow(t *testing.T) {
	at := time.Now().UTC()
	entry := events.KBEntry{ID: "acte_naissance", Question: "Acte de naissance ?", Answer: "En mairie.", Cluster: "c1"}
	b := Batch{}
	for _, p := range []*events.KBEntryChanged{
		{Type: events.TypeKBEntryPublished, Entry: entry},
		{Type: events.TypeKBEntryDrafted, Entry: entry, Pending: true},
		{Type: events.TypeKBEntryValidated, Entry: entry, Pending: true},
	} {
		b.Project(mustEvent(t, "", at, *p), p)
	}
	if len(b["events"]) != 3 || len(b["kb_entries"]) != 1 || b["kb_entries"][0][1] != "published" {
		t.Fatalf("rows: %d events, kb_entries %v", len(b["events"]), b["kb_entries"])
	}
	p := &events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: entry}
	b.Project(mustEvent(t, "", at, *p), p)
	if len(b["kb_entries"]) != 2 {
		t.Errorf("the new version's publication is not projected: %v", b["kb_entries"])
	}
}
