package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// A FAQ as exported (a question and an answer each): the citizen's words meet
// in one sentence of the right entry's answer, while another entry's question
// shares one of them. Read by its sentences, the answer ranks its entry first;
// scattered in the whole answer, those words do not.
func TestAnswerSentencesRankAFAQsEntries(t *testing.T) {
	faq := []kb.Entry{
		{ID: "visites", Kind: kb.KindAnswer, Question: "L'office de tourisme propose-t-il des visites guidées ?",
			Answer: "Oui, toute l'année. Le tarif est de 7 € par adulte et de 4 € pour les 6-17 ans, gratuit pour les moins de 6 ans. " +
				"Les groupes peuvent réserver une visite sur mesure à partir de 120 €. " +
				"Un guide conférencier fait découvrir le vieux Vallières, ses remparts et ses moulins, les mardis et jeudis à 10 h."},
		{ID: "remparts", Kind: kb.KindAnswer, Question: "Les remparts de Vallières sont-ils ouverts au public ?",
			Answer: "Le chemin de ronde est ouvert d'avril à octobre. L'accès est libre et gratuit."},
		{ID: "moulins", Kind: kb.KindAnswer, Question: "Peut-on visiter les moulins de la Brenne ?",
			Answer: "Le moulin de Chaumes ouvre ses portes lors des Journées du patrimoine. Le reste de l'année, il se visite sur rendez-vous."},
		{ID: "velo", Kind: kb.KindAnswer, Question: "Où louer un vélo pour faire le tour du lac ?",
			Answer: "Des vélos sont loués à la base nautique de mai à septembre. Comptez 12 € la demi-journée."},
	}
	e, err := New(DefaultConfig(), faq, "test", NewLanguage(kb.FrenchWords(), nil))
	if err != nil {
		t.Fatal(err)
	}
	d := e.Decide("on voudrait faire le tour du vieux Vallières avec un guide", "")
	if len(d.Candidates) == 0 || d.Candidates[0].Entry.ID != "visites" {
		t.Fatalf("candidates %q, want visites first (its answer says « un guide … le vieux Vallières »)", candidateIDs(d.Candidates))
	}
	if d.Candidates[0].Passage == 0 {
		t.Errorf("visites ranked first without its answer's sentences: %+v", d.Candidates[0])
	}
}

// An entry with alternatives is described by its phrasings: its answer's
// sentences do not rank it.
func TestAnswerSentencesLeaveEntriesWithAlternatives(t *testing.T) {
	d := demoEngine(t).Decide("quels sont les horaires de la piscine le dimanche", "")
	for _, c := range d.Candidates {
		if c.Passage != 0 {
			t.Errorf("%s: passage score %v, want 0 for an entry with alternatives", c.Entry.ID, c.Passage)
		}
	}
	if len(d.Candidates) == 0 || d.Candidates[0].Entry.ID != "piscine" {
		t.Fatalf("candidates %q, want piscine first", candidateIDs(d.Candidates))
	}
}

func candidateIDs(cs []Candidate) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.Entry.ID)
	}
	return ids
}
