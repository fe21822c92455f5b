package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// A FAQ spells an acronym out once and uses it bare in its other questions
// (« Mon RSA est versé en retard »): a citizen who says the words finds those
// questions too.
func TestAcronymSpelledOutInQuestions(t *testing.T) {
	base := []kb.Entry{
		{ID: "conditions", Kind: kb.KindAnswer, Question: "Qui peut bénéficier du revenu de solidarité active (RSA) ?",
			Answer: "Les personnes de 25 ans et plus dont les ressources sont faibles."},
		{ID: "retard", Kind: kb.KindAnswer, Question: "Mon RSA est versé en retard, pourquoi ?",
			Answer: "Le versement a lieu le 5 du mois ; un dossier incomplet le retarde."},
		{ID: "piscine", Kind: kb.KindAnswer, Question: "Quels sont les horaires de la piscine ?",
			Answer: "La piscine ouvre du mardi au dimanche."},
	}
	d := decideOn(t, base, "mon revenu de solidarité active arrive en retard ce mois-ci")
	if len(d.Candidates) == 0 || d.Candidates[0].Entry.ID != "retard" {
		t.Errorf("candidates %q, want retard first: its RSA is the revenu de solidarité active", candidateIDs(d.Candidates))
	}
}

// An acronym the base never spells out is read as administrations spell it
// (« OPAH »: opération programmée d'amélioration de l'habitat).
func TestKnownAcronymInQuestions(t *testing.T) {
	base := []kb.Entry{
		{ID: "opah", Kind: kb.KindAnswer, Question: "Qu'est-ce que l'OPAH et suis-je concerné ?",
			Answer: "Jusqu'en 2027, des subventions pour les travaux des propriétaires aux revenus modestes."},
		{ID: "permis", Kind: kb.KindAnswer, Question: "Faut-il un permis pour des travaux d'amélioration de ma maison ?",
			Answer: "Une déclaration préalable suffit pour la plupart des travaux sur une maison."},
		{ID: "piscine", Kind: kb.KindAnswer, Question: "Quels sont les horaires de la piscine ?",
			Answer: "La piscine ouvre du mardi au dimanche."},
	}
	d := decideOn(t, base, "une opération programmée pour l'amélioration de l'habitat, c'est quoi ?")
	if len(d.Candidates) == 0 || d.Candidates[0].Entry.ID != "opah" {
		t.Errorf("candidates %q, want opah first", candidateIDs(d.Candidates))
	}
}

// A citizen's acronym that the base never writes (« mon apl ») meets the
// words it stands for.
func TestCitizensAcronym(t *testing.T) {
	base := []kb.Entry{
		{ID: "aide", Kind: kb.KindAnswer, Question: "Comment est calculée l'aide personnalisée au logement ?",
			Answer: "Elle dépend de vos ressources, de votre loyer et de votre foyer."},
		{ID: "loyer", Kind: kb.KindAnswer, Question: "Comment payer mon loyer de logement social ?",
			Answer: "Par prélèvement, par chèque ou en ligne sur le site du bailleur."},
		{ID: "piscine", Kind: kb.KindAnswer, Question: "Quels sont les horaires de la piscine ?",
			Answer: "La piscine ouvre du mardi au dimanche."},
	}
	d := decideOn(t, base, "mon apl pour le logement a baissé")
	if len(d.Candidates) == 0 || d.Candidates[0].Entry.ID != "aide" {
		t.Errorf("candidates %q, want aide first: the APL is the aide personnalisée au logement", candidateIDs(d.Candidates))
	}
}
