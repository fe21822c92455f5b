package french

import (
	"slices"
	"strings"
	"testing"
)

func TestSynonyms(t *testing.T) {
	if got := slices.Collect(Synonyms("appartement")); !slices.Contains(got, "logement") || slices.Contains(got, "appartement") {
		t.Errorf("Synonyms(appartement) = %q, want the other words of its group", got)
	}
	if got := slices.Collect(Synonyms("tartre")); !slices.Contains(got, "calcaire") {
		t.Errorf("Synonyms(tartre) = %q, want calcaire among them", got)
	}
	if got := slices.Collect(Synonyms("passeport")); len(got) != 0 {
		t.Errorf("Synonyms(passeport) = %q, want none", got)
	}
	tests := []struct{ in, want string }{
		{"appartement", "logement"}, {"logement", "logement"}, {"vire", "licencie"}, {"passeport", "passeport"},
	}
	for _, tt := range tests {
		if got := Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRelated: a citizen's word matches the administration's (« faute »,
// « erreur »; « sanglier » under « gibier ») in the engine, but mining keeps
// each word its own; no word is in two groups, and the file is folded.
func TestRelated(t *testing.T) {
	for w, want := range map[string]string{"faute": "erreur", "corriger": "rectifier", "proprio": "bailleur", "sanglier": "gibier",
		"decharge": "decheterie"} {
		if got := slices.Collect(Synonyms(w)); !slices.Contains(got, want) {
			t.Errorf("Synonyms(%q) = %q, want %q among them", w, got, want)
		}
		if got := Canonical(w); got != w {
			t.Errorf("Canonical(%q) = %q, want the word itself: mining keeps related words apart", w, got)
		}
	}
	seen := map[string]int{}
	for n, line := range strings.Split(synonymGroups+relatedGroups, "\n") {
		for _, w := range strings.Fields(line) {
			if Fold(w) != w {
				t.Errorf("group %d: %q is not folded", n, w)
			}
			if m, ok := seen[w]; ok && m != n {
				t.Errorf("%q is in two groups (%d and %d)", w, m, n)
			}
			seen[w] = n
		}
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"horaires", "horair"}, {"inscription", "inscript"}, {"caf", "caf"}, {"taxi", "taxi"}, {"taxe", "tax"}, {"mairie", "mairie"}, {"maire", "mair"},
	}
	for _, tt := range tests {
		if got := Stem(tt.in); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLexicon(t *testing.T) {
	l := NewLexicon(slices.Values([]string{"Aujourd'hui", "Déchèterie"}))
	for _, w := range []string{"aujourd", "hui", "decheterie"} {
		if !l.Known(w) {
			t.Errorf("Known(%q) = false", w)
		}
	}
	if l.Known("Déchèterie") || l.Known("mairie") {
		t.Error("Known holds a word that is not folded or not given")
	}
	var none *Lexicon
	if none.Known("mairie") {
		t.Error("a nil Lexicon knows a word")
	}
}
