package bot

import "testing"

// A question addressed to another administration is not answered at once by
// a town entry that shares its other words; it is when the entry speaks of
// that administration.
func TestAddressedElsewhere(t *testing.T) {
	for _, msg := range []string{
		"le centre des impôts ouvre à quelle heure le jeudi ?",
		"je veux faire ma première demande d'aide au logement à la CAF, je m'y prends comment ?",
	} {
		if d := demo(t).Decide(msg, ""); d.Outcome == Answered {
			t.Errorf("%q answered with %s (%.2f): the question is another administration's", msg, d.Entry.ID, d.Confidence)
		}
	}
	const msg = "il me faut un papier de naissance récent pour mon dossier à la caf, je suis né ici"
	if d := demo(t).Decide(msg, ""); d.Outcome != Answered || d.Entry.ID != "acte_naissance" {
		t.Errorf("%q: %s, want acte_naissance answered: its phrasings speak of the CAF", msg, d.Outcome)
	}
}
