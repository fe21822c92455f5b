package mining

import (
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
)

func TestSignals(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	turn := func(conv, id string, min int, outcome string, conf float64, text string) projections.Turn {
		return projections.Turn{UtteranceID: id, ConversationID: conv, At: t0.Add(time.Duration(min) * time.Minute),
			Outcome: outcome, Confidence: conf, Text: text, Audience: "particulier"}
	}
	answered := func(t projections.Turn, entry string, scores ...float64) projections.Turn {
		t.EntryID = entry
		t.Candidates = []string{entry, "other", "third"}[:len(scores)]
		t.Scores = scores
		return t
	}
	clarify := func(t projections.Turn, choices ...string) projections.Turn {
		t.Candidates = choices
		t.Scores = []float64{0.5, 0.48, 0.47}[:len(choices)]
		return t
	}
	turns := []projections.Turn{
		turn("a", "a1", 0, "UNANSWERED", 0.1, "où trouver un défibrillateur"),
		clarify(turn("a", "a2", 1, "CLARIFY", 0.3, "horaires"), "piscine", "mairie"), // no choice taken: a3 is another question
		turn("a", "a3", 2, "UNANSWERED", 0.1, "la patinoire"),
		answered(turn("b", "b1", 0, "ANSWERED", 0.9, "horaires de la piscine"), "piscine", 0.9, 0.2),
		answered(turn("b", "b2", 1, "ANSWERED", 0.9, "horaires de la piscine le dimanche soir"), "piscine", 0.9, 0.2), // rephrased b1
		answered(turn("c", "c1", 0, "ANSWERED", 0.5, "tarif cantine"), "cantine", 0.5, 0.1),                           // low confidence
		answered(turn("d", "d1", 0, "ANSWERED", 0.95, "passeport perdu"), "passeport", 0.9, 0.1),                      // not helpful
		answered(turn("e", "e1", 0, "ANSWERED", 0.7, "permis de construire garage"), "permis", 0.9, 0.1),              // abandoned
		answered(turn("f", "f1", 0, "ANSWERED", 0.95, "acte de naissance"), "acte", 0.9, 0.1),                         // fine
		turn("g", "g1", 0, "SMALLTALK", 0.99, "bonjour"),
		clarify(turn("h", "h1", 0, "CLARIFY", 0.3, "inscription"), "cantine", "ecole", "listes"), // the citizen took a choice
		answered(turn("h", "h2", 1, "ANSWERED", 0.95, "Comment inscrire mon enfant à l'école ?"), "ecole", 0.95, 0.1),
		answered(turn("i", "i1", 0, "ANSWERED", 0.8, "salle pour une fête de famille"), "salle_asso", 0.8, 0.1), // association entry
		answered(turn("j", "j1", 0, "ANSWERED", 0.8, "tarif du marché"), "marche", 0.8, 0.78),                   // toss-up
		turn("k", "k1", 0, "UNANSWERED", 0.2, "mon voisin coupe ses haies la nuit"),
		turn("k", "k2", 1, "HANDOFF", 0.9, "je veux parler à quelqu'un"), // after a question
		turn("l", "l1", 0, "HANDOFF", 0.9, "un humain pour mon dossier de bourse"),
		turn("m", "m1", 0, "HANDOFF", 0.9, "un humain svp"), // says no need: the next question will
		turn("n", "n1", 0, "HANDOFF", 0.9, "je peux avoir un agent de la mairie ?"),
		// An entry about another subject than the question's: a signal even
		// when sure; about the same subject, none.
		answered(turn("o", "o1", 0, "ANSWERED", 0.9, "mon opérateur internet, la fibre ne marche plus"), "aides", 0.9, 0.1),
		answered(turn("p", "p1", 0, "ANSWERED", 0.9, "un vélo en libre-service près de la gare ?"), "velos", 0.9, 0.1),
	}
	fb := []projections.Feedback{{ConversationID: "d", At: t0.Add(time.Minute), Helpful: 0},
		{ConversationID: "f", At: t0.Add(time.Minute), Helpful: 1}}
	ends := []projections.Ending{{ConversationID: "e"}, {ConversationID: "f"}}
	entries := map[string]projections.EntryFacts{"salle_asso": {Audiences: []string{"association"}}, "piscine": {},
		"aides": {Text: "Quelles aides sociales le CCAS propose-t-il ?\nLe CCAS aide les familles en difficulté."},
		"velos": {Text: "Où louer un vélo ?\nLes bicyclettes en libre-service sont à la gare."}}
	got := map[string]string{}
	for _, s := range Signals(turns, fb, ends, entries) {
		got[s.UtteranceID] = strings.Join(s.Reasons, ",")
	}
	want := map[string]string{
		"a1": ReasonUnanswered, "a2": ReasonClarify, "a3": ReasonUnanswered, "b1": ReasonRephrased, "c1": ReasonLowConfidence,
		"d1": ReasonNotHelpful, "e1": ReasonAbandoned, "i1": ReasonAudience, "j1": ReasonLowMargin,
		"k1": ReasonUnanswered + "," + ReasonHandoff, "l1": ReasonHandoff, "o1": ReasonOtherSubject,
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

// TestAskingForAPersonIsNoNeed: every way the built-in hand-off entry and the
// demo town's own know of asking for a person, opening a conversation, is no
// need of its own; the same request with a need in it still is one.
func TestAskingForAPersonIsNoNeed(t *testing.T) {
	var phrasings []string
	for _, e := range append(kb.Conversation(), kb.Demo()...) {
		if e.Kind == kb.KindHandoff {
			phrasings = append(phrasings, e.Phrasings()...)
		}
	}
	if len(phrasings) < 10 {
		t.Fatalf("hand-off phrasings: %v", phrasings)
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for _, text := range append(phrasings, "je voudrais parler à un agent pour ma carte grise") {
		turns := []projections.Turn{{UtteranceID: "u", ConversationID: "c", At: at, Outcome: "HANDOFF", Confidence: 0.9, Text: text}}
		got := len(Signals(turns, nil, nil, nil))
		if want := map[bool]int{true: 1, false: 0}[strings.Contains(text, "carte grise")]; got != want {
			t.Errorf("%q opening a conversation: %d needs, want %d", text, got, want)
		}
	}
}
