package projections

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// TestUnmetDemandLines writes what the miner writes and reads the groups as the
// workbench does: one line per group with its reasons and flags, groups of noise
// last, a retracted signal left out, a filter by reason.
func TestUnmetDemandLines(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Second)
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			q := NewQueries(s)
			var signals []Signal
			var assigns []Assignment
			add := func(group string, n int, reasons ...string) {
				for range n {
					id := fmt.Sprintf("u%03d", len(signals))
					signals = append(signals, Signal{Turn: Turn{UtteranceID: id, ConversationID: "c" + id, At: at, Text: group + " " + id,
						Audience: "particulier"}, Reasons: reasons})
					assigns = append(assigns, Assignment{UtteranceID: id, ClusterID: group, At: at})
				}
			}
			add("velos", 5, "non_repondu")
			add("velos", 2, "pas_utile", "confiance_faible")
			add("trou", 3, "non_repondu")
			add("meteo", 9, "non_repondu") // the largest, but noise
			// The holes' label was asked the day before, not in the period read.
			signals = append(signals, Signal{Turn: Turn{UtteranceID: "u-old", ConversationID: "c-old", At: at.Add(-24 * time.Hour),
				Text: "il y a un trou au rond-point", Audience: "particulier"}, Reasons: []string{"non_repondu"}})
			assigns = append(assigns, Assignment{UtteranceID: "u-old", ClusterID: "trou", At: at.Add(-24 * time.Hour)})
			// The bikes were asked about in the previous period of the same length too.
			signals = append(signals, Signal{Turn: Turn{UtteranceID: "u-prev", ConversationID: "c-prev", At: at.Add(-90 * time.Minute),
				Text: "velos u-prev", Audience: "particulier"}, Reasons: []string{"non_repondu"}})
			assigns = append(assigns, Assignment{UtteranceID: "u-prev", ClusterID: "velos", At: at.Add(-90 * time.Minute)})
			labels := []ClusterLabel{{ID: "velos", Label: "velos u001", Size: 7},
				{ID: "trou", Label: "il y a un trou au rond-point", Size: 3, Demande: true},
				{ID: "meteo", Label: "la météo demain", Size: 9, Noise: true}}
			if err := q.WriteMining(ctx, signals, assigns, labels); err != nil {
				t.Fatal(err)
			}
			// One "trou" signal no longer holds: written again without reasons.
			retracted := signals[7]
			retracted.Reasons = nil
			if err := q.WriteMining(ctx, []Signal{retracted}, nil, nil); err != nil {
				t.Fatal(err)
			}
			cs, err := q.UnansweredClusters(ctx, tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), 10, ClusterFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var order []string
			for _, c := range cs {
				order = append(order, fmt.Sprintf("%s:%d", c.ID, c.Size))
			}
			if !slices.Equal(order, []string{"velos:7", "trou:2", "meteo:9"}) {
				t.Fatalf("groups %v, want velos:7 trou:2 meteo:9 (noise last, the retracted signal out)", order)
			}
			if v := cs[0]; v.Conversations != 7 || !slices.Equal(v.Reasons, []string{"non_repondu", "pas_utile", "confiance_faible"}) ||
				v.Demande || v.Noise || !slices.Equal(v.Audiences, []string{"particulier"}) {
				t.Errorf("velos: %+v", v)
			}
			if !cs[1].Demande || !cs[2].Noise {
				t.Errorf("flags: trou %+v, meteo %+v", cs[1], cs[2])
			}
			// A label asked in the period stays; one asked only before gives way
			// to a question of the period.
			if cs[0].Label != "velos u001" || cs[1].Label == "il y a un trou au rond-point" || !slices.Contains(cs[1].Examples, cs[1].Label) {
				t.Errorf("labels: velos %q, trou %q (examples %q)", cs[0].Label, cs[1].Label, cs[1].Examples)
			}
			cs, err = q.UnansweredClusters(ctx, tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), 10, ClusterFilter{Reason: "pas_utile"})
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 1 || cs[0].ID != "velos" || cs[0].Size != 2 {
				t.Errorf("filtered by pas_utile: %+v", cs)
			}
			// New needs: no question in the previous period of the same length.
			cs, err = q.UnansweredClusters(ctx, tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), 10, ClusterFilter{New: true})
			if err != nil {
				t.Fatal(err)
			}
			order = nil
			for _, c := range cs {
				order = append(order, c.ID)
			}
			if !slices.Equal(order, []string{"trou", "meteo"}) {
				t.Errorf("new groups %v, want trou and meteo (the bikes were asked about before)", order)
			}
			mined, err := q.MinedQuestions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(mined) != len(signals)-1 {
				t.Errorf("%d mined questions, want %d (the retracted one out)", len(mined), len(signals)-1)
			}
		})
	}
}

// TestEntryFacts reads what mining needs of each entry from the projected
// knowledge base: theme, source, audiences, and the text it is about (its
// question, alternatives and answer), from which mining tells an answer about
// another subject than the question's.
func TestEntryFacts(t *testing.T) {
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Second)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			b := Batch{}
			p := &events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: events.KBEntry{ID: "velos",
				Question: "Où louer un vélo ?", Alternatives: []string{"vélo en libre-service"}, Answer: "À la gare.",
				Audiences: []string{"particulier"}, Theme: "Transports", Source: "montclar"}}
			e, err := events.New("montclar", "", at, p)
			if err != nil {
				t.Fatal(err)
			}
			b.Project(e, p)
			// An entry with neither question nor answer has no text: mining
			// then cannot tell what it is about, and says nothing.
			empty := &events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: events.KBEntry{ID: "vide"}}
			e, err = events.New("montclar", "", at, empty)
			if err != nil {
				t.Fatal(err)
			}
			b.Project(e, empty)
			if err := b.Insert(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			facts, err := NewQueries(s).EntryFacts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			f := facts["velos"]
			for _, part := range []string{"Où louer un vélo ?", "vélo en libre-service", "À la gare."} {
				if !strings.Contains(f.Text, part) {
					t.Errorf("text %q lacks %q", f.Text, part)
				}
			}
			if f.Theme != "Transports" || f.Source != "montclar" || !slices.Equal(f.Audiences, []string{"particulier"}) {
				t.Errorf("facts %+v", f)
			}
			if v, ok := facts["vide"]; !ok || v.Text != "" {
				t.Errorf("an entry without question nor answer: %+v (found %v), want no text", v, ok)
			}
		})
	}
}

// TestDailyKeepsTheRecentDays: over a period longer than a daily series holds
// (two years), the series is the period's last days, where the most recent
// question is.
func TestDailyKeepsTheRecentDays(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	q := NewQueries(s)
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(2, 0, 0)
	recent := to.Add(-36 * time.Hour)
	if err := q.WriteMining(context.Background(),
		[]Signal{{Turn: Turn{UtteranceID: "u-recent", ConversationID: "c1", Tenant: "montclar", At: recent, Text: "canapé"}, Reasons: []string{"non_repondu"}}},
		[]Assignment{{UtteranceID: "u-recent", ClusterID: "g1", At: recent}},
		[]ClusterLabel{{ID: "g1", Label: "canapé", Size: 1}}); err != nil {
		t.Fatal(err)
	}
	daily, err := q.Daily(context.Background(), tenant.Everything(), []string{"g1"}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if got := daily["g1"]; len(got) != maxDays || got[maxDays-2] != 1 {
		t.Errorf("daily over two years: %d values, the day before the last %v; want %d values, the question on the day before the last", len(got), got[len(got)-2:], maxDays)
	}
}

// TestUnratedAnswers: a conversation found again may be rated while it has
// more answers than ratings; never twice for one answer.
func TestUnratedAnswers(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	at := time.Now().UTC().Truncate(time.Second)
	evs := conversationEvents(t, 1, 3, at) // conv-000: answered, answered, unanswered
	projectAll(t, s, evs)
	q := NewQueries(s)
	for _, want := range []int{2, 1, 0, 0} {
		if n, err := q.UnratedAnswers(context.Background(), "conv-000"); err != nil || n != want {
			t.Errorf("UnratedAnswers = %d, %v; want %d", n, err, want)
		}
		projectAll(t, s, []events.Envelope{mustEvent(t, "conv-000", at, events.FeedbackGiven{Helpful: true})})
	}
}
