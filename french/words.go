package french

import "strings"

// placeholderMark stands for a redaction placeholder between fold and [Words]: a
// word that folding cannot otherwise produce from French text.
const placeholderMark = "zzredacted"

// piiLabels are the words that introduce a piece of personal data.
var piiLabels = setOf(`mail email courriel adresse tel telephone portable numero secu nir iban rib carte cb bancaire`)

// Words folds s (see [Fold]) and splits it into words, expanding SMS shorthand and
// oral forms ("bjr" → "bonjour", "jsuis" → "je suis"). A redaction placeholder is
// dropped with the label and function words before it: "mon tel [TELEPHONE]" says
// nothing of the question. No word is empty.
func Words(s string) []string {
	raw := strings.Fields(fold(s, " "+placeholderMark+" "))
	out := make([]string, 0, len(raw))
	skip := 0
	for i, w := range raw {
		if skip > 0 {
			skip--
			continue
		}
		if w == placeholderMark {
			for len(out) > 0 && (piiLabels[out[len(out)-1]] || stopwords[out[len(out)-1]]) {
				out = out[:len(out)-1]
			}
			continue
		}
		// "rendez-vous" is one word, whose halves mean something else; the
		// « car » of « car scolaire » is a coach, not the conjunction (a stop word),
		// and so are « les cars scolaires » and a « car » after a determiner
		// (« le car du matin », « en car »); « ça marche », « (ne) marche plus »
		// work: folded, they would be a market (« marché »), and so would « la
		// marche à suivre », the procedure.
		switch {
		case w == "rendez" && i+1 < len(raw) && raw[i+1] == "vous":
			w = "rendezvous"
		case (w == "car" || w == "cars") && (i+1 < len(raw) && strings.HasPrefix(raw[i+1], "scolaire") || i > 0 && coachBefore[raw[i-1]]):
			w = "auto" + w
		case w == "pc" && i+1 < len(raw) && computerAfter[raw[i+1]]:
			// A computer (« mon PC portable plante »), not a building permit.
			w = "ordinateur"
		case w == "marche" && works(raw, i):
			w = "fonctionne"
		case (w == "marche" || w == "marches") && i+2 < len(raw) && raw[i+1] == "a" && raw[i+2] == "suivre":
			w, skip = "demarche", 2
		case w == "poste" && i > 0 && (raw[i-1] == "la" || raw[i-1] == "de" && i > 1 && raw[i-2] == "bureau"):
			// The post office (« la poste », « bureau de poste »), not a job
			// (« un poste », « fiche de poste », « changement de poste »).
			w = "laposte"
		case (w == "dire" || w == "dit") && i+1 < len(raw) && raw[i+1] == "oui" && saidToEachOther(raw, i):
			// « se dire oui », « nous nous sommes dit oui »: to marry.
			w, skip = "marier", 1
		case w == "caisse" && i > 0 && possessive[raw[i-1]] && !fund(raw, i):
			w = "voiture" // the slang car of « ma caisse est en panne », not a fund or a till
		}
		if exp, ok := shorthand[w]; ok {
			out = append(out, strings.Fields(exp)...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// ContentWords reduces a text to its content words: [Words] without stopwords and
// courtesy words, each synonym brought to the [Canonical] word of its group. With
// spelling correction and [Stem], it is the representation by which mining groups
// questions.
func ContentWords(text string) []string { return contentOf(Words(text)) }

// contentOf returns the content words among folded words, as [ContentWords].
func contentOf(words []string) []string {
	var out []string
	for _, w := range words {
		if stopwords[w] || courtesy[w] {
			continue
		}
		out = append(out, Canonical(w))
	}
	return out
}

// coachBefore are the words after which a « car » is a coach: a conjunction
// follows a clause, not a determiner.
var coachBefore = setOf(`le un du au ce mon ton son notre votre leur les des aux ces mes tes ses nos vos leurs en premier dernier prochain`)

// computerAfter are the words after which a « PC » is a computer.
var computerAfter = setOf(`portable portables fixe windows mac linux gamer plante rame bug bugue ecran clavier souris`)

// possessive are the words before a « caisse » that is someone's car (« ma caisse
// a été embarquée »); any other is a fund (« caisse primaire », « caisse
// d'allocations »), a till (« à la caisse de la piscine ») or a box (« une caisse
// à compost »).
var possessive = setOf(`ma ta sa notre votre leur`)

// fundWords follow a « caisse » that is a fund even after a possessive: « ma
// caisse de retraite », « sa caisse primaire ».
var fundWords = setOf(`primaire allocation allocations retraite nationale complementaire maladie assurance ecoles epargne depots securite mutualite`)

// fund reports a « caisse » (raw[i], folded) followed by one of fundWords,
// directly or after « de », « d' », « des ».
func fund(raw []string, i int) bool {
	for j := i + 1; j < len(raw) && j <= i+2; j++ {
		if fundWords[raw[j]] {
			return true
		}
		if raw[j] != "de" && raw[j] != "d" && raw[j] != "des" {
			return false
		}
	}
	return false
}

// works reports a « marche » (raw[i], folded) that says that something works:
// after « ça » or « ne », before « pas », « plus », « mal », « bien ».
func works(raw []string, i int) bool {
	if i > 0 {
		switch raw[i-1] {
		case "ca", "sa", "ne", "n":
			return true
		}
	}
	if i+1 < len(raw) {
		switch raw[i+1] {
		case "pas", "plus", "mal", "bien", "jamais":
			return true
		}
	}
	return false
}

// saidToEachOther reports a « dire » (raw[i], folded) said to each other: after
// « se », or after « se sont », « nous sommes », « nous nous sommes ».
func saidToEachOther(raw []string, i int) bool {
	switch {
	case i > 0 && raw[i-1] == "se":
		return true
	case i > 1 && (raw[i-1] == "sont" && raw[i-2] == "se" || raw[i-1] == "sommes" && raw[i-2] == "nous"):
		return true
	}
	return false
}
