package french

import (
	"strings"
	"testing"
)

func TestWithoutLetterFormulas(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Madame, Monsieur, je souhaiterais connaître les modalités pour solliciter une subvention. Veuillez agréer, Madame, Monsieur, mes salutations distinguées.",
			"madame monsieur je souhaiterais connaitre les modalites pour solliciter une subvention"},
		{"Veuillez recevoir, Monsieur le Maire, mes salutations distinguées. Où en est mon permis de construire ?",
			"ou en est mon permis de construire"},
		{"Pourriez-vous m'indiquer comment l'obtenir ? Avec mes respectueuses salutations, Odette Vernier",
			"pourriez vous m indiquer comment l obtenir"},
		{"Quelle démarche dois-je entreprendre ? Bien respectueusement.", "quelle demarche dois je entreprendre"},
		{"Je voudrais un allègement de l'impôt. Avec mes remerciements anticipés.", "je voudrais un allegement de l impot"},
		{"En vous remerciant par avance de votre réponse, comment inscrire mon fils ?", "comment inscrire mon fils"},
		// Words that ask something are not a formula, nor a name that is not last.
		{"je suis en attente de mon passeport depuis un mois, cordialement", "je suis en attente de mon passeport depuis un mois"},
		{"la liste d'attente de la crèche", "la liste d attente de la creche"},
		{"et mon dossier du mois dernier, ça avance ? Cordialement", "et mon dossier du mois dernier ca avance"},
		{"Ma demande est en attente, merci par avance", "ma demande est en attente"},
		{"Le paiement d'avance de la cantine est obligatoire ?", "le paiement d avance de la cantine est obligatoire"},
		{"Cordialement, Marie Dupont, rue des Lilas", "marie dupont rue des lilas"},
		// Nothing but formulas: a courtesy, kept whole.
		{"Cordialement", "cordialement"},
		{"Merci d'avance !", "merci"},
		{"Salutations !", "salutations"},
		// A subject, a question or capitals after a formula are not a signature,
		// nor is anything after « merci d'avance ».
		{"Bonjour je voudrais prendre rendez-vous, merci d'avance. Passeport", "bonjour je voudrais prendre rendezvous vous passeport"},
		{"Je voudrais un rendez-vous. Cordialement. CANTINE SCOLAIRE", "je voudrais un rendezvous vous cantine scolaire"},
		{"Cordialement, Mairie Annexe ?", "mairie annexe"},
		// Words of a formula that ask something are not a formula's bits.
		{"J'ai besoin d'une aide, merci d'avance", "j ai besoin d une aide"},
		{"Une réponse rapide, svp, merci par avance", "une reponse rapide s il vous plait"},
		// Where a request stands is not a formula.
		{"J'ai déposé mon permis il y a deux mois. Je suis dans l'attente de votre réponse.",
			"j ai depose mon permis il y a deux mois je suis dans l attente de votre reponse"},
		{"Dans l'attente de votre retour, je vous prie d'agréer l'expression de mes sentiments les meilleurs. Jean",
			"dans l attente de votre retour je vous prie d agreer l expression de mes sentiments les meilleurs jean"},
		{"bonjour", "bonjour"},
	} {
		got := joinWords(WithoutLetterFormulas(c.in))
		if got != c.want {
			t.Errorf("WithoutLetterFormulas(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func joinWords(s string) string { return strings.Join(Words(s), " ") }

func FuzzWithoutLetterFormulas(f *testing.F) {
	f.Add("Veuillez agréer, Madame, Monsieur, mes salutations distinguées. Jean Dupont")
	f.Add("merci d'avance")
	f.Fuzz(func(t *testing.T, s string) {
		out := WithoutLetterFormulas(s)
		if len(Words(out)) == 0 && len(Words(s)) > 0 {
			t.Fatalf("WithoutLetterFormulas(%q) = %q: every word dropped", s, out)
		}
		if len(Words(out)) > len(Words(s)) {
			t.Fatalf("WithoutLetterFormulas(%q) = %q: words added", s, out)
		}
	})
}
