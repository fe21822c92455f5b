package projectionstest

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/projections"
)

// The TabSeparated inserts hold the same rows as the projector's own insert,
// text with tabs, newlines, backslashes and quotes, and arrays included: the
// benchmark's limit inserts what the projector inserts.
func TestTabSeparatedInsertsTheProjectorsRows(t *testing.T) {
	store, err := projections.OpenChDB(t.TempDir())
	if err != nil {
		t.Skip("SKIP: ", err)
	}
	defer store.Close()
	ctx := context.Background()
	at := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	text := "ligne\tavec tab\net retour, l'apostrophe, \\ la barre, \"guillemets\""
	u, _ := events.New("montclar", "conv-1", at, events.UtteranceReceived{Text: text})
	d, _ := events.New("montclar", "conv-1", at, events.BotDecision{UtteranceID: u.ID, Outcome: "ANSWERED", Confidence: 0.5,
		EntryID: "e'1", Reply: text, Candidates: []events.Candidate{{EntryID: "e'1", Score: 0.5}, {EntryID: `back\slash`, Score: 0.25}}})
	s, _ := events.New("montclar", "conv-1", at, events.ConversationStarted{Audience: "particulier", Channel: "web"})
	b := Rows([]events.Envelope{s, u, d})
	for _, suffix := range []string{"_ours", "_tsv"} {
		if err := projections.CreateFresh(ctx, store, suffix); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Insert(ctx, store, "_ours"); err != nil {
		t.Fatal(err)
	}
	for table, sql := range TabSeparated(b, "_tsv") {
		if err := store.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
	}
	for table := range b {
		var ours, tsv []struct {
			Row string `ch:"row"`
		}
		q := "SELECT toString(tuple(*)) AS row FROM " + table
		if err := store.Select(ctx, &ours, q+"_ours ORDER BY row"); err != nil {
			t.Fatal(err)
		}
		if err := store.Select(ctx, &tsv, q+"_tsv ORDER BY row"); err != nil {
			t.Fatal(err)
		}
		if len(ours) == 0 || len(ours) != len(tsv) {
			t.Fatalf("%s: %d rows by the projector's insert, %d by TabSeparated", table, len(ours), len(tsv))
		}
		for i := range ours {
			if ours[i] != tsv[i] {
				t.Errorf("%s row %d:\n ours %s\n tsv  %s", table, i, ours[i].Row, tsv[i].Row)
			}
		}
	}
}
