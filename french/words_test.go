package french

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"bjr c koi les horaires d la mairie svp",
			[]string{"bonjour", "c", "est", "quoi", "les", "horaires", "d", "la", "mairie", "s", "il", "vous", "plait"}},
		{"jsuis à la mairi", []string{"je", "suis", "a", "la", "mairie"}},
		{"jsp jfai koi", []string{"je", "sais", "pas", "je", "fais", "quoi"}},
		{"👍", []string{"ok"}},
		{"top 👌 merci 🙏", []string{"top", "ok", "merci", "merci"}},
		{"kes ke je doi faire", []string{"qu", "est", "ce", "que", "je", "dois", "faire"}},
		{"wesh dsl mtn", []string{"salut", "desole", "maintenant"}},
		{"l'acte", []string{"l", "acte"}},
		{"prendre rendez-vous", []string{"prendre", "rendezvous", "vous"}},
		{"le car scolaire, car il pleut", []string{"le", "autocar", "scolaire", "car", "il", "pleut"}},
		{"le marché, ça marche comment ?", []string{"le", "marche", "ca", "fonctionne", "comment"}},
		{"le lampadaire marche plus au marché de noël", []string{"le", "lampadaire", "fonctionne", "plus", "au", "marche", "de", "noel"}},
		{"la marche à suivre au marché", []string{"la", "demarche", "au", "marche"}},
		{"les marches à suivre", []string{"les", "demarche"}},
		{"les cars scolaires", []string{"les", "autocars", "scolaires"}},
		{"le car du matin est passé, car il pleuvait", []string{"le", "autocar", "du", "matin", "est", "passe", "car", "il", "pleuvait"}},
		{"je viens en car", []string{"je", "viens", "en", "autocar"}},
		{"mon pc portable fait un bruit de ventilo, le pc est déposé", []string{"mon", "ordinateur", "portable", "fait", "un", "bruit", "de", "ventilateur", "le", "permis", "construire", "est", "depose"}},
		{"ma caisse est en panne", []string{"ma", "voiture", "est", "en", "panne"}},
		{"on veut se dire oui en juin", []string{"on", "veut", "se", "marier", "en", "juin"}},
		{"mes parents se sont dit oui ici, pouvez-vous nous dire oui ou non", []string{"mes", "parents", "se", "sont", "marier", "ici", "pouvez", "vous", "nous", "dire", "oui", "ou", "non"}},
		{"un poste à la mairie, et la poste ?", []string{"un", "poste", "a", "la", "mairie", "et", "la", "laposte"}},
		{"fiche de poste, changement de poste, bureau de poste", []string{"fiche", "de", "poste", "changement", "de", "poste", "bureau", "de", "laposte"}},
		{"la caisse primaire et la caisse d'allocations familiales", []string{"la", "caisse", "primaire", "et", "la", "caisse", "d", "allocations", "familiales"}},
		{"ma caisse de retraite", []string{"ma", "caisse", "de", "retraite"}},
		{"payer à la caisse de la piscine, une caisse à compost", []string{"payer", "a", "la", "caisse", "de", "la", "piscine", "une", "caisse", "a", "compost"}},
		// A placeholder goes with the label and function words that introduce it.
		{"mon tel [TELEPHONE] et mon iban [IBAN], passeport perdu", []string{"passeport", "perdu"}},
		{"écrivez à [EMAIL] merci", []string{"ecrivez", "merci"}},
		{"", []string{}},
		{"🤔 !!", []string{}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestContentWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"bjr c koi les horaires d la mairie svp", []string{"horaires", "mairie"}},
		{"Bonjour, j'ai perdu mon appart", []string{"perdu", "logement"}},
		{"merci beaucoup", []string{"beaucoup"}},
		{"mon tel [TELEPHONE]", nil},
	}
	for _, tt := range tests {
		if got := ContentWords(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("ContentWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStopwordsAndCourtesy(t *testing.T) {
	for _, w := range []string{"le", "est", "svp", "ou", "quand"} {
		if !IsStopword(w) {
			t.Errorf("IsStopword(%q) = false", w)
		}
	}
	// Words that change the meaning of a municipal question stay.
	for _, w := range []string{"pas", "sans", "nouveau", "bonjour", "passeport"} {
		if IsStopword(w) {
			t.Errorf("IsStopword(%q) = true", w)
		}
	}
	for _, w := range []string{"bonjour", "merci", "cordialement"} {
		if !IsCourtesy(w) {
			t.Errorf("IsCourtesy(%q) = false", w)
		}
	}
	if IsCourtesy("passeport") {
		t.Error(`IsCourtesy("passeport") = true`)
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"bjr c koi", "mon tel [TELEPHONE] merci", "rendez-vous", "l'l'l'", "", "🤔",
		"\x00\xff", "Œuvre ÆSTHÈTE Straße", "[EMAIL][IBAN]", strings.Repeat("é ", 3000), "ǅ İ ẞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range Words(s) {
			if w == "" || w == placeholderMark {
				t.Fatalf("Words(%q) holds %q", s, w)
			}
			if !utf8.ValidString(w) {
				t.Fatalf("Words(%q) holds invalid UTF-8 %q", s, w)
			}
			for _, r := range w {
				ascii := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
				if !ascii && (r < utf8.RuneSelf || !unicode.IsLetter(r)) {
					t.Fatalf("Words(%q) holds %q, not folded: %q", s, w, r)
				}
			}
		}
	})
}

// TestWordList reads Debian's French word list, which .ci/run installs and
// scripts/deps.sh asks for.
func TestWordList(t *testing.T) {
	ws := WordList()
	if ws == nil {
		t.Skipf("%s is missing (apt-get install wfrench)", WordListPath)
	}
	l := NewLexicon(slices.Values(ws))
	for _, w := range []string{"demain", "foret", "inscris", "deces"} {
		if !l.Known(w) {
			t.Errorf("%q is not in the word list", w)
		}
	}
	if readWordList("testdata/missing") != nil {
		t.Error("a missing word list gave words")
	}
}

// TestCourtesyOnly: a greeting or a thanks with words that ask nothing is that
// greeting or thanks; a message that names anything else is not.
func TestCourtesyOnly(t *testing.T) {
	for text, want := range map[string]string{
		"bsr tt le monde":                                      "bonsoir",
		"Merci pour tout, c'est très clair !":                  "merci",
		"merci bien, c'est bien aimable à vous":                "merci",
		"bonjour":                                              "bonjour",
		"Bonjour et merci pour votre aide":                     "bonjour merci",
		"Merci, c'est exactement ce qu'il me fallait":          "merci",
		"ah d'accord, j'ai compris, merci pour votre patience": "merci",
		"Bonjour à vous, j'espère que vous allez bien.":        "bonjour",
		"parfait, bonne journée à vous et à vos collègues !":   "parfait bonne journee",
	} {
		got, ok := CourtesyOnly(text)
		if !ok || strings.Join(got, " ") != want {
			t.Errorf("CourtesyOnly(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	for _, text := range []string{
		"merci, et pour la cantine ?",
		"bonjour tout le monde, mon chien a disparu",
		"bonsoir, la piscine ouvre quand ?",
		"c'est très clair",
		"tout le monde",
		"merci, c'est ouvert maintenant ?",
		"bonjour, il faut combien de temps pour avoir une réponse",
		"merci, c'est quand exactement",
		"bonjour, c'est où exactement",
		"merci, il fallait faire quoi",
		"merci, tout est compris ?",
		"bonjour, j'espère que la piscine est ouverte",
	} {
		if got, ok := CourtesyOnly(text); ok {
			t.Errorf("CourtesyOnly(%q) = %q, want a message that says more", text, got)
		}
	}
}

// TestSlang: familiar words are read as the standard word a town's pages use;
// a word with another common meaning is not (« sous le pont »).
func TestSlang(t *testing.T) {
	for text, want := range map[string]string{
		"ma daronne est décédée":           "mere",
		"la cantoche c'est combien":        "cantine",
		"j'ai plus une thune":              "argent",
		"le proprio de ma piaule":          "logement",
		"les keufs sont passés":            "police",
		"les horaires de la mairie le sam": "samedi",
		"le standard de l'agglo":           "agglomeration",
	} {
		if ws := Words(text); !slices.Contains(ws, want) {
			t.Errorf("Words(%q) = %q, want %q among them", text, ws, want)
		}
	}
	if ws := Words("il dort sous le pont"); !slices.Contains(ws, "sous") || slices.Contains(ws, "argent") {
		t.Errorf("« sous le pont » read as %q", ws)
	}
}

// « (se) procurer » is to obtain: its stem is a proxy vote's (« procuration »).
func TestProcurerIsObtain(t *testing.T) {
	for _, s := range []string{"comment me la procurer ?", "où est-ce qu'on se procure un composteur ?", "je me suis procuré le formulaire"} {
		if ws := Words(s); !slices.Contains(ws, "obtenir") {
			t.Errorf("Words(%q) = %v, want « obtenir »", s, ws)
		}
	}
	if ws := Words("faire une procuration"); slices.Contains(ws, "obtenir") {
		t.Errorf("Words(faire une procuration) = %v: a proxy vote read as « obtenir »", ws)
	}
}

// The English words read as French are not French words, but for a few loanwords
// of the French word list that a citizen writing to the town hall means in English.
func TestEnglishWords(t *testing.T) {
	list := WordList()
	if list == nil {
		t.Skip("no French word list (apt-get install wfrench)")
	}
	french := map[string]bool{}
	for _, w := range list {
		french[Fold(w)] = true
	}
	loanwords := map[string]bool{"dog": true, "baby": true, "home": true, "flat": true, "noise": true, "book": true,
		"books": true, "pool": true, "lunch": true, "building": true, "shop": true, "open": true, "food": true}
	for w := range readLexicon("english.txt", englishText) {
		if french[w] && !loanwords[w] {
			t.Errorf("english.txt: %q is a French word", w)
		}
	}
	if got := Words("I lost my dog yesterday near the school"); !slices.Contains(got, "chien") || !slices.Contains(got, "ecole") || !slices.Contains(got, "perdu") {
		t.Errorf("Words(English) = %v, want chien, ecole, perdu", got)
	}
}
