package mining

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/projections/projectionstest"
	"github.com/parvis-civic/parvis/tenant"
)

// TestSuggestionsFromProjectedRows: events projected into ClickHouse, read back
// the way the Reviewer reads them, give the suggestions of a rephrasing, a
// thumbs-down and a clicked choice.
func TestSuggestionsFromProjectedRows(t *testing.T) {
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	var evs []events.Envelope
	mk := func(conv string, at time.Time, p events.Payload) events.Envelope {
		e, err := events.New("montclar", conv, at, p)
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
		return e
	}
	turn := func(conv string, at time.Time, text, entry string, candidates ...string) {
		u := mk(conv, at, events.UtteranceReceived{Text: text})
		d := events.BotDecision{UtteranceID: u.ID, Outcome: "ANSWERED", Confidence: 0.8, EntryID: entry, KBVersion: "v1", Reply: "…"}
		for _, c := range append([]string{entry}, candidates...) {
			d.Candidates = append(d.Candidates, events.Candidate{EntryID: c, Score: 0.5})
		}
		mk(conv, at, d)
	}
	mk("c1", at, events.ConversationStarted{Audience: "particulier"})
	turn("c1", at, "ou jeter un vieux canape", "decheterie", "encombrants")
	turn("c1", at.Add(time.Minute), "ramassage des encombrants", "encombrants")
	mk("c2", at, events.ConversationStarted{Audience: "particulier"})
	turn("c2", at, "horaires de la piscine le dimanche", "piscine")
	mk("c2", at.Add(10*time.Second), events.FeedbackGiven{Helpful: false})
	mk("c3", at, events.ConversationStarted{})
	mk("c3", at, events.SuggestionChosen{UtteranceID: "u-acte", Text: "acte", EntryID: "acte_naissance", ChoiceID: "u-click"})

	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if err := projectionstest.Rows(evs).Insert(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			q := projections.NewQueries(s)
			since := at.Add(-time.Hour)
			turns, fb, _, err := q.MiningInput(ctx, tenant.Everything(), since)
			if err != nil {
				t.Fatal(err)
			}
			choices, _, err := q.SuggestionInput(ctx, tenant.Everything(), since)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, sg := range Suggest(Observe(turns, fb, choices), nil, func(string) ([]string, []string, bool) { return nil, nil, true }) {
				got[sg.Kind+" "+sg.EntryID+" "+sg.Text] = sg.From[0]
			}
			want := map[string]string{
				"alternative encombrants ou jeter un vieux canape":    FromRephrase,
				"negative piscine horaires de la piscine le dimanche": FromThumbs,
				"alternative acte_naissance acte":                     FromChoice,
			}
			if len(got) != len(want) {
				t.Errorf("suggestions = %v, want %v", got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%q from %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}

// TestQueueHoldsWhatTheExpertMayChange: a suggestion on an entry the expert may
// not change (another territory's) is not in the expert's queue: accepting it
// could only be refused.
func TestQueueHoldsWhatTheExpertMayChange(t *testing.T) {
	type caller struct{}
	state := kb.NewState()
	for _, e := range []kb.Entry{
		{ID: "ours", Question: "Où jeter le verre ?", Answer: "Dans les bornes vertes.", Tenant: "a", Status: kb.Published},
		{ID: "theirs", Question: "Où voter ?", Answer: "Au bureau de votre carte.", Tenant: "b", Status: kb.Published},
	} {
		p := events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: e.Wire(), By: "test"}
		ev, err := events.New(e.Tenant, "", time.Now(), p)
		if err != nil {
			t.Fatal(err)
		}
		state.Apply(ev, &p)
	}
	r := &Reviewer{KB: &kb.Writer{State: state, Territory: func(ctx context.Context, tenant string) bool {
		return ctx.Value(caller{}) == tenant
	}}}
	known := r.phrasings(context.WithValue(context.Background(), caller{}, "a"))
	if _, _, ok := known("ours"); !ok {
		t.Error("the expert's own entry: not in the queue")
	}
	if _, _, ok := known("theirs"); ok {
		t.Error("another territory's entry: in the expert's queue")
	}
}
