package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// A FAQ as a town exports it says each thing once, in its own words: the
// citizen asks about « le bus », the answer speaks of a monthly
// « abonnement ». The words of the subject a message's word names bridge the
// two for such plain entries; an entry with alternatives has its citizens'
// words already and gets no such help.
func TestSubjectWordsReachPlainEntries(t *testing.T) {
	faq := func(alternatives ...string) []kb.Entry {
		return []kb.Entry{
			{ID: "tarifs", Kind: kb.KindAnswer, Question: "Quels sont les tarifs des abonnements ?", Alternatives: alternatives,
				Answer: "L'abonnement mensuel coûte 30 euros, l'abonnement annuel 300 euros, en vente à l'agence commerciale."},
			{ID: "cantine", Kind: kb.KindAnswer, Question: "Comment payer la cantine ?",
				Answer: "Le paiement de la cantine se fait en ligne sur le portail famille."},
			{ID: "piscine", Kind: kb.KindAnswer, Question: "Quels sont les horaires de la piscine ?",
				Answer: "La piscine ouvre du mardi au dimanche."},
		}
	}
	const msg = "je prends le bus chaque matin, c'est combien ?"
	plain := decideOn(t, faq(), msg)
	if len(plain.Candidates) == 0 || plain.Candidates[0].Entry.ID != "tarifs" || plain.Candidates[0].Fielded == 0 {
		t.Fatalf("plain FAQ: candidates %q (first %+v), want tarifs first, met by the message (« bus » and « abonnement » share their subject)",
			candidateIDs(plain.Candidates), plain.Candidates)
	}
	withAlternatives := decideOn(t, faq("prix de la carte d'abonné"), msg)
	for _, c := range withAlternatives.Candidates {
		if c.Entry.ID == "tarifs" && c.Fielded > 0 {
			t.Errorf("entry with alternatives met by the message (fielded %.3f): the subject's words are for plain entries only", c.Fielded)
		}
	}
}

func decideOn(t *testing.T, base []kb.Entry, msg string) Decision {
	t.Helper()
	e, err := New(DefaultConfig(), base, "test", NewLanguage(kb.FrenchWords(), nil))
	if err != nil {
		t.Fatal(err)
	}
	return e.Decide(msg, "")
}
