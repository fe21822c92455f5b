package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// Acronyms, both ways: a FAQ spells one out once and uses it bare in its
// other questions (« Mon RSA est versé en retard »), or never spells out the
// administrations' usual ones (« l'OPAH »); a citizen says the words, or writes
// an acronym the base never does (« mon apl »). Each finds the entry.
func TestAcronymsBothWays(t *testing.T) {
	piscine := kb.Entry{ID: "piscine", Kind: kb.KindAnswer, Question: "Quels sont les horaires de la piscine ?",
		Answer: "La piscine ouvre du mardi au dimanche."}
	tests := []struct {
		name      string
		base      []kb.Entry
		msg, want string
	}{
		{"defined by the base", []kb.Entry{
			{ID: "conditions", Kind: kb.KindAnswer, Question: "Qui peut bénéficier du revenu de solidarité active (RSA) ?",
				Answer: "Les personnes de 25 ans et plus dont les ressources sont faibles."},
			{ID: "retard", Kind: kb.KindAnswer, Question: "Mon RSA est versé en retard, pourquoi ?",
				Answer: "Le versement a lieu le 5 du mois ; un dossier incomplet le retarde."},
			piscine,
		}, "mon revenu de solidarité active arrive en retard ce mois-ci", "retard"},
		{"the administrations' usual one", []kb.Entry{
			{ID: "opah", Kind: kb.KindAnswer, Question: "Qu'est-ce que l'OPAH et suis-je concerné ?",
				Answer: "Jusqu'en 2027, des subventions pour les travaux des propriétaires aux revenus modestes."},
			{ID: "permis", Kind: kb.KindAnswer, Question: "Faut-il un permis pour des travaux d'amélioration de ma maison ?",
				Answer: "Une déclaration préalable suffit pour la plupart des travaux sur une maison."},
			piscine,
		}, "une opération programmée pour l'amélioration de l'habitat, c'est quoi ?", "opah"},
		{"the citizen's", []kb.Entry{
			{ID: "aide", Kind: kb.KindAnswer, Question: "Comment est calculée l'aide personnalisée au logement ?",
				Answer: "Elle dépend de vos ressources, de votre loyer et de votre foyer."},
			{ID: "loyer", Kind: kb.KindAnswer, Question: "Comment payer mon loyer de logement social ?",
				Answer: "Par prélèvement, par chèque ou en ligne sur le site du bailleur."},
			piscine,
		}, "mon apl pour le logement a baissé", "aide"},
	}
	for _, tt := range tests {
		d := decideOn(t, tt.base, tt.msg)
		if len(d.Candidates) == 0 || d.Candidates[0].Entry.ID != tt.want {
			t.Errorf("%s: %q: candidates %q, want %s first", tt.name, tt.msg, candidateIDs(d.Candidates), tt.want)
		}
	}
}
