package french

import (
	"slices"
	"testing"
)

func TestSynonyms(t *testing.T) {
	if got := slices.Collect(Synonyms("appartement")); !slices.Contains(got, "logement") || slices.Contains(got, "appartement") {
		t.Errorf("Synonyms(appartement) = %q, want the other words of its group", got)
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
