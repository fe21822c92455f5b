package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// A fiche's full text ranks it in a base of national entries, and only there:
// beside a town's own entries it would draw the town's uncovered needs.
func TestReferenceRanksNationalFiches(t *testing.T) {
	lang := NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	fiches := []kb.Entry{
		{ID: "degradations", Question: "Qui est responsable des dégradations d'un logement en cours de location ?",
			Answer: "Le locataire répond des dégradations survenues pendant la location.", National: true, Kind: kb.KindAnswer,
			Reference: "Le locataire doit réparer les trous dans les murs, les papiers peints arrachés et les moquettes tachées. Le propriétaire paie la vétusté."},
		{ID: "depot", Question: "Comment récupérer le dépôt de garantie ?", Answer: "Le bailleur le restitue dans un délai d'un à deux mois.",
			National: true, Kind: kb.KindAnswer},
		{ID: "charges", Question: "Quelles charges locatives le propriétaire peut-il réclamer ?", Answer: "Les charges récupérables sont fixées par décret.",
			National: true, Kind: kb.KindAnswer},
	}
	const msg = "mon fils a fait des trous dans les murs de l'appart, c'est moi qui paie ?"
	rank := func(entries []kb.Entry) (int, Candidate) {
		t.Helper()
		e, err := New(DefaultConfig(), entries, "v1", lang)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range e.Decide(msg, "").Candidates {
			if c.Entry.ID == "degradations" {
				return i + 1, c
			}
		}
		return 0, Candidate{}
	}
	i, c := rank(fiches)
	if i != 1 || c.Reference == 0 {
		t.Fatalf("national base: the fiche whose full text names the walls' holes comes %d (reference score %.2f), want first", i, c.Reference)
	}
	withoutRef := append([]kb.Entry(nil), fiches...)
	withoutRef[0].Reference = ""
	_, plain := rank(withoutRef)
	if c.Score <= plain.Score {
		t.Fatalf("the reference text adds nothing: score %.3f with it, %.3f without", c.Score, plain.Score)
	}
	town := append(append([]kb.Entry(nil), fiches...), kb.Entry{ID: "cantine", Question: "Comment inscrire mon enfant à la cantine ?",
		Answer: "À l'accueil de la mairie.", Kind: kb.KindAnswer})
	if _, c := rank(town); c.Reference != 0 {
		t.Fatalf("beside a town's entry the reference text still counts (%.2f)", c.Reference)
	}
}
