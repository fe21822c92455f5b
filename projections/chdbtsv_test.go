package projections

import (
	"context"
	"testing"
	"time"
)

// Every store reads back what was inserted, whatever the text holds (the chDB
// driver writes TabSeparated: tabs, newlines, backslashes, quotes and NUL must
// survive its escapes, in plain columns and in arrays), and a value of a type
// TabSeparated is not written for still goes in (as JSONEachRow).
func TestInsertKeepsAnyText(t *testing.T) {
	texts := []string{"tab\there", "line\nbreak\r\n", `back\slash \n`, "l'apostrophe ''", "nul\x00byte", "é à ç 😀", ""}
	at := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b := Batch{}
			for i, text := range texts {
				b.Add("decisions", "ev-"+string(rune('a'+i)), "conv", "utt", "montclar", at, "ANSWERED", 0.25, text,
					[]string{text, "x"}, []float64{0.5, 1e-7}, "v1", 1.5)
			}
			if err := b.Insert(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			var rows []struct {
				ID         string    `ch:"event_id"`
				Entry      string    `ch:"entry_id"`
				Candidates []string  `ch:"candidates"`
				Scores     []float64 `ch:"scores"`
				At         time.Time `ch:"at"`
			}
			if err := s.Select(ctx, &rows, "SELECT event_id, entry_id, candidates, scores, at FROM decisions ORDER BY event_id"); err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(texts) {
				t.Fatalf("%d rows, want %d", len(rows), len(texts))
			}
			for i, r := range rows {
				if r.Entry != texts[i] || len(r.Candidates) != 2 || r.Candidates[0] != texts[i] || r.Scores[1] != 1e-7 || !r.At.Equal(at) {
					t.Errorf("row %d: %q %q %v %v, want %q", i, r.Entry, r.Candidates, r.Scores, r.At, texts[i])
				}
			}
			// A type the TabSeparated writer does not know: JSONEachRow.
			if err := s.Insert(ctx, "feedback", []string{"event_id", "conversation_id", "tenant", "at", "helpful", "comment"},
				[][]any{{"fb-1", "conv", "montclar", at, json8(1), "merci\tbien"}}); err != nil {
				t.Fatal(err)
			}
			var fb []struct {
				Comment string `ch:"comment"`
			}
			if err := s.Select(ctx, &fb, "SELECT comment FROM feedback"); err != nil || len(fb) != 1 || fb[0].Comment != "merci\tbien" {
				t.Errorf("feedback %v %v", fb, err)
			}
		})
	}
}

// json8 is a uint8 of another type: what a caller may pass that the
// TabSeparated writer does not list.
type json8 uint8
