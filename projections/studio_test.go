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
			uses, err := NewQueries(s).EntryUses(ctx, tenant.Everything(), at.Add(-time.Minute), at.Add(time.Hour))
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

// TestUnmetByService: unanswered questions count for the service of the entry
// that came closest, with their groups; a retracted signal does not count.
func TestUnmetByService(t *testing.T) {
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			b := Batch{}
			kbEvent := func(id, service string) {
				p := &events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: events.KBEntry{ID: id, Question: id, Answer: "a", Service: service}}
				e, err := events.New("montclar", "", at, p)
				if err != nil {
					t.Fatal(err)
				}
				b.Project(e, p)
			}
			kbEvent("verre", "Déchets")
			kbEvent("acte", "État civil")
			var signals []Signal
			var assigns []Assignment
			for i, q := range []struct{ closest, group, reasons string }{
				{"verre", "g1", "non_repondu"}, {"verre", "g1", "non_repondu"}, {"verre", "g2", "pas_utile"},
				{"acte", "g3", "non_repondu"}, {"acte", "g3", ""},
			} {
				p := &events.BotDecision{UtteranceID: fmt.Sprintf("u%d", i), Outcome: "UNANSWERED", Reply: "r",
					Candidates: []events.Candidate{{EntryID: q.closest, Score: 0.3}}}
				e, err := events.New("montclar", fmt.Sprintf("c%d", i), at, p)
				if err != nil {
					t.Fatal(err)
				}
				b.Project(e, p)
				sig := Signal{Turn: Turn{UtteranceID: p.UtteranceID, ConversationID: e.ConversationID, At: at, Text: "q"}}
				if q.reasons != "" {
					sig.Reasons = []string{q.reasons}
				}
				signals = append(signals, sig)
				assigns = append(assigns, Assignment{UtteranceID: p.UtteranceID, ClusterID: q.group, At: at})
			}
			if err := b.Insert(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			q := NewQueries(s)
			if err := q.WriteMining(ctx, signals, assigns, nil); err != nil {
				t.Fatal(err)
			}
			got, err := q.UnmetByService(ctx, tenant.Everything(), at.Add(-time.Minute), at.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			want := []Unmet{{Service: "Déchets", Groups: 2, Questions: 3}, {Service: "État civil", Groups: 1, Questions: 1}}
			if !slices.Equal(got, want) {
				t.Errorf("unmet by service = %+v, want %+v", got, want)
			}
		})
	}
}

// TestQuestionsWeighing: the citizens' questions whose decision weighed an
// entry, once each, newest first; others left out.
func TestQuestionsWeighing(t *testing.T) {
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			b := Batch{}
			for i, q := range []struct {
				text  string
				cands []string
			}{{"verre ?", []string{"verre", "piles"}}, {"piles ?", []string{"piles"}}, {"Verre ?", []string{"piles", "verre"}}, {"bouteilles", []string{"verre"}}} {
				conv := fmt.Sprintf("c%d", i)
				u := &events.UtteranceReceived{Text: q.text}
				ue, _ := events.New("montclar", conv, at.Add(time.Duration(i)*time.Second), u)
				b.Project(ue, u)
				var cands []events.Candidate
				for _, c := range q.cands {
					cands = append(cands, events.Candidate{EntryID: c, Score: 0.5})
				}
				d := &events.BotDecision{UtteranceID: ue.ID, Outcome: "ANSWERED", EntryID: q.cands[0], Candidates: cands, Reply: "r"}
				de, _ := events.New("montclar", conv, at.Add(time.Duration(i)*time.Second), d)
				b.Project(de, d)
			}
			if err := b.Insert(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			got, err := NewQueries(s).QuestionsWeighing(ctx, tenant.Everything(), "verre", at.Add(-time.Minute), at.Add(time.Minute), 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0] != "bouteilles" || !strings.EqualFold(got[1], "verre ?") {
				t.Errorf("questions weighing verre = %q, want bouteilles then verre ? once", got)
			}
		})
	}
}
