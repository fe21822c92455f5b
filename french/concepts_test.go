package french

import (
	"slices"
	"strings"
	"testing"
)

func TestConcepts(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"impossible de choper une bécane à la station", []string{"velo"}},
		// A Christmas market is a festivity, not a flea market.
		{"c'est quand le marché de Noël cette année ?", []string{"fete"}},
		{"inscription exposant vide-grenier dimanche", []string{"marche"}},
		{"où sont les toilettes publiques ?", []string{"toilettes"}},
		// The town hall is not the mayor; a licence is not always a club's.
		{"à quelle heure ferme la mairie", nil},
		{"rendez-vous avec le maire", []string{"conseil"}},
		// Falling is not a grave, and what is asked of you is not a lost object.
		{"je suis tombé dans le bus", []string{"bus"}},
		{"on me réclame une attestation officielle", nil},
		// A station is not where one parks (« gare », « garer », « station » and
		// « stationner » share their stems), an old mattress is not a senior.
		{"la station devant la gare est toujours vide", nil},
		{"ramassage d'un vieux matelas", []string{"proprete"}},
		{"c'est quand les soldes d'hiver", nil},
		{"refaire ma pièce d'identité", []string{"papiers"}},
		{"le chasse-neige n'est pas passé, la rue est verglacée", []string{"froid"}},
		{"comment déclarer une licence de débit de boissons", nil},
		{"le biclou a le pneu crevé", []string{"velo"}},
		// Meals brought home are a subject of their own, however they are said.
		{"le portage des repas pour ma mère", []string{"repas"}},
		{"des bestioles jaunes et noires sous le toit", []string{"guepes"}},
		{"quelqu'un peut apporter le déjeuner à mon père", []string{"repas"}},
		{"où recharger un véhicule électrique", []string{"voiture"}},
		{"cherche toubib qui prend des nouveaux patients", []string{"medecin"}},
		{"le feu d'artifice du 14 juillet", []string{"fete"}},
		{"le feu rouge est en panne", []string{"voirie"}}, // the longest expression wins
		{"un sans-abri dort sous le porche", []string{"sansabri"}},
		{"où trouver un médecin", []string{"medecin"}},           // « trouver » has nothing lost
		{"acte de naissance rue Pasteur", []string{"etatcivil"}}, // a street is no subject
		{"quelle est la capitale de l'Australie", nil},
		// Needs a town is asked about that share a word of everyday life are
		// told apart: burning garden waste is not renting an allotment.
		{"brûler ses feuilles mortes au fond du jardin", []string{"brulage", "espacesverts"}},
		{"une parcelle au jardin collectif", []string{"jardinage"}},
		{"organiser un baptême républicain", []string{"parrainage"}},
		{"faire légaliser ma signature", []string{"legalisation"}},
		{"louer la salle des fêtes", []string{"salles"}},
		{"à quelle heure passe le car scolaire", []string{"bus"}},
		// A hall alone is the town's; a bathroom, a gym or a classroom are not.
		{"on cherche une salle pour 60 personnes", []string{"salles"}},
		{"fuite dans la salle de bain", []string{"eau", "logement"}},
		{"la salle de sport est fermée", []string{"sport"}},
		// A forgotten password is not lost property.
		{"j'ai oublié mon mot de passe", []string{"numerique"}},
		// The town's health insurance is a subject of its own, not prevention.
		{"la commune a une complémentaire santé pas chère ?", []string{"mutuelle"}},
		{"la police peut surveiller ma maison vide pendant les vacances ?", []string{"securite", "vacances"}},
		{"les cars scolaires ne passent plus", []string{"bus"}},
		// A shop open on Sunday, a flood, a mouldy flat: needs of their own.
		{"on a le droit d'ouvrir le dimanche ?", []string{"commerce"}},
		{"la coulée de boue a noyé la cave", []string{"risques"}},
		{"de la moisissure partout dans l'appart", []string{"insalubrite", "logement"}},
		{"mon appartement reste vide pendant mon absence", []string{"logement", "vacances"}},
		// A family record book, a first name, a house number: each its own need,
		// beside what else the message names.
		{"livret de famille perdu", []string{"livret", "perdu"}},
		{"je voudrais changer de prénom", []string{"prenom"}},
		{"attribution d'un numéro de maison", []string{"adresse", "logement"}}, // « numéro » is read as the telephone's first

		// The elders' Christmas parcel is not a show, however festive.
		{"le colis de Noël des anciens", []string{"aines"}},
		{"le feu d'artifice du 13 juillet", []string{"fete"}},
		{"jkiffe pas mon blaze", []string{"prenom"}},
		// A flat battery is not a drum kit.
		{"la batterie de ma voiture électrique est à plat", []string{"voiture"}},
		// Rats and mice are pests, not pets.
		{"des rats dans la cave de l'immeuble", []string{"nuisibles"}},
		{"des tags sur le mur du gymnase", []string{"graffitis", "sport"}},
		{"le petit livre de famille n'est pas à jour", []string{"livret"}},
		// A relative from abroad coming to stay is the certificate of accommodation.
		{"ma soeur d'Algérie veut venir chez moi cet été", []string{"accueiletranger"}},
		// A bus line is not « en ligne »: online is no subject of its own word.
		{"horaires de la ligne de bus", []string{"bus"}},
		{"un minibus adapté pour mon frère en fauteuil", []string{"mobilite", "handicap"}},
		{"transport à la demande pour ma mère", []string{"mobilite"}},
		// Words that look like a need's and are not: « cru » (believed) is no
		// flood, « je vis » no visa, Zoé a girl and no car, tomorrow's storm
		// the weather.
		{"j'ai cru comprendre que la piscine ferme", []string{"sport"}},
		{"je vis seul et je serai absent en août, la police peut passer ?", []string{"vacances", "securite"}},
		{"inscription de Zoé à la cantine", []string{"ecole"}},
		{"il va y avoir un orage demain ?", nil},
	} {
		if got := Concepts(Stems(tt.text)); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestSubjectNames: every subject has the name people read, and a group of
// questions is about the subject most of them are about.
func TestSubjectNames(t *testing.T) {
	for _, subject := range concepts() {
		if SubjectName(subject) == "" {
			t.Errorf("subject %q has no name", subject)
		}
	}
	if got := SubjectName("velo"); got != "Vélos" {
		t.Errorf("SubjectName(velo) = %q", got)
	}
	texts := []string{"impossible de choper une bécane à la station", "abonnement vls prix", "y a un truc genre velib ?",
		"c'est quand le marché de noël", "bonjour"}
	if got := SubjectOf(texts); got != "velo" {
		t.Errorf("SubjectOf = %q, want velo", got)
	}
	if got := SubjectOf([]string{"vélo en libre service", "bonjour", "merci"}); got != "" {
		t.Errorf("SubjectOf(one of three) = %q, want none: a subject is most texts'", got)
	}
	if got := SubjectOf([]string{"bonjour", "merci"}); got != "" {
		t.Errorf("SubjectOf(nothing) = %q, want none", got)
	}
}

// TestSubjectsDisjoint checks that no word of one subject reads, once folded and
// stemmed, as a word of another: the last subject would take it silently
// (« isolé » a senior's word, « isolation » an energy one, both « isol »).
func TestSubjectsDisjoint(t *testing.T) {
	owner := map[string]string{}
	for _, s := range subjects() {
		for _, w := range s.words {
			key := subjectKey(w)
			if key == "" {
				t.Errorf("%s: %q has no content word", s.name, w)
				continue
			}
			// A message's stop words are gone before its expressions are
			// looked up: an expression left with one content word would be
			// that word alone (« faire venir » was every « venir »).
			if strings.Contains(w, "_") && !strings.Contains(key, "_") {
				t.Errorf("%s: the expression %q reads as the one word %q", s.name, w, key)
			}
			if prev, ok := owner[key]; ok && prev != s.name {
				t.Errorf("%q (%s) reads as %q, a word of %s too", w, s.name, key, prev)
			}
			owner[key] = s.name
		}
	}
}

// TestConceptCounts counts the words that name each subject.
func TestConceptCounts(t *testing.T) {
	subjects, counts := ConceptCounts(Stems("parapluie oublié, laissé à la salle des fêtes"))
	if !slices.Equal(subjects, []string{"perdu", "salles"}) || !slices.Equal(counts, []int{3, 1}) {
		t.Errorf("ConceptCounts = %v %v, want [perdu salles] [3 1]", subjects, counts)
	}
}

// A word that names a subject gives the single words of its subject, as
// written and as the synonyms bring them; a word within another subject's
// expression, or of no subject, gives none.
func TestSubjectWords(t *testing.T) {
	bus := SubjectWords(Words("je prends le bus"))["bus"]
	for _, w := range []string{"bus", "abonnement", "navette"} {
		if !slices.Contains(bus, Stem(w)) {
			t.Errorf("SubjectWords: bus gives %q, want %q among them", bus, Stem(w))
		}
	}
	if slices.Contains(bus, Stem("velo")) {
		t.Errorf("SubjectWords: bus gives %q: « velo » is another subject's", bus)
	}
	if doctor := SubjectWords(Words("trouver un docteur"))["docteur"]; !slices.Contains(doctor, Stem("medecin")) || !slices.Contains(doctor, Stem("generaliste")) {
		t.Errorf("SubjectWords: docteur gives %q, want the doctors' words", doctor)
	}
	for _, text := range []string{"il y a un nid de poule devant chez moi", "un dos d'âne devant chez moi", "une robe rouge"} {
		if got := SubjectWords(Words(text)); len(got) != 0 {
			t.Errorf("SubjectWords(%q) = %q, want none: no word names a subject on its own", text, got)
		}
	}
}
