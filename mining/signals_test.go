package mining

import (
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/projections"
)

func TestSignals(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	turn := func(conv, id string, min int, outcome string, conf float64, text string) projections.Turn {
		return projections.Turn{UtteranceID: id, ConversationID: conv, At: t0.Add(time.Duration(min) * time.Minute),
			Outcome: outcome, Confidence: conf, Text: text}
	}
	turns := []projections.Turn{
		turn("a", "a1", 0, "UNANSWERED", 0.1, "où trouver un défibrillateur"),
		turn("a", "a2", 1, "CLARIFY", 0.3, "horaires"),
		turn("b", "b1", 0, "ANSWERED", 0.9, "horaires de la piscine"),
		turn("b", "b2", 1, "ANSWERED", 0.9, "horaires de la piscine le dimanche soir"), // rephrased b1
		turn("c", "c1", 0, "ANSWERED", 0.5, "tarif cantine"),                           // low confidence
		turn("d", "d1", 0, "ANSWERED", 0.95, "passeport perdu"),                        // not helpful
		turn("e", "e1", 0, "ANSWERED", 0.7, "permis de construire garage"),             // abandoned
		turn("f", "f1", 0, "ANSWERED", 0.95, "acte de naissance"),                      // fine
		turn("g", "g1", 0, "SMALLTALK", 0.99, "bonjour"),
	}
	fb := []projections.Feedback{{ConversationID: "d", At: t0.Add(time.Minute), Helpful: 0},
		{ConversationID: "f", At: t0.Add(time.Minute), Helpful: 1}}
	ends := []projections.Ending{{ConversationID: "e"}, {ConversationID: "f"}}
	got := map[string]string{}
	for _, s := range Signals(turns, fb, ends) {
		got[s.UtteranceID] = strings.Join(s.Reasons, ",")
	}
	want := map[string]string{
		"a1": ReasonUnanswered, "a2": ReasonClarify, "b1": ReasonRephrased, "c1": ReasonLowConfidence,
		"d1": ReasonNotHelpful, "e1": ReasonAbandoned,
	}
	for id, r := range want {
		if got[id] != r {
			t.Errorf("%s: reasons %q, want %q", id, got[id], r)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s signalled (%s) but shows no unmet demand", id, got[id])
		}
	}
}
