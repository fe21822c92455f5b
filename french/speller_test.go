package french

import (
	"slices"
	"testing"
)

func TestSpeller(t *testing.T) {
	vocabulary := map[string]int{"passeport": 5, "mairie": 3, "inscription": 2, "piscine": 4, "ecole": 2,
		"mediatheque": 3, "procuration": 2, "poubelle": 4, "parking": 2, "parents": 3, "parent": 2, "parentalite": 1, "inscrire": 1}
	sp := NewSpeller(vocabulary, NewLexicon(slices.Values([]string{"Piscines"})))
	tests := []struct {
		in, want  string
		corrected bool
	}{
		{"pasport", "passeport", true},
		{"mairei", "mairie", true},
		{"inscripton", "inscription", true},
		{"pisicne", "piscine", true},
		{"mairie", "mairie", false},       // in the vocabulary
		{"piscines", "piscines", false},   // a correct word of the lexicon
		{"ecol", "ecole", true},           // by its sound
		{"mediatek", "mediatheque", true}, // by its sound, three edits away
		{"poubele", "poubelle", true},     // one edit, as before
		{"procu", "procuration", true},    // cut short: the one word it starts
		{"inscri", "inscri", false},       // the start of words of two stems
		{"parki", "parki", false},         // too little is missing to be cut short
		{"proc", "proc", false},           // cut too short to be sure
		{"mai", "mai", false},             // too short to guess right
		{"12345", "12345", false},         // numbers are never words
		{"zzzzzzz", "zzzzzzz", false},     // nothing close
	}
	for _, tt := range tests {
		if got, ok := sp.Correct(tt.in); got != tt.want || ok != tt.corrected {
			t.Errorf("Correct(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.corrected)
		}
	}
	if got, ok := NewSpeller(vocabulary, nil).Correct("piscines"); got != "piscine" || !ok {
		t.Errorf("without a lexicon, Correct(%q) = %q, %v; want %q, true", "piscines", got, ok, "piscine")
	}
}

func TestOsaDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"passeport", "passeport", 0}, {"pasport", "passeport", 2}, {"mairei", "mairie", 1},
		{"abc", "xyzxyz", 3},
	}
	for _, tt := range tests {
		if got := osaDistance(tt.a, tt.b, 2); got != min(tt.want, 3) {
			t.Errorf("osaDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestSpellerTieIsStable: two vocabulary words as close and as frequent give the
// same correction whatever order the vocabulary's map hands them in, so that the
// same knowledge base always reads a message, and its typos (see bot), the same.
func TestSpellerTieIsStable(t *testing.T) {
	for range 50 {
		sp := NewSpeller(map[string]int{"maison": 2, "raison": 2, "saison": 2}, nil)
		if got, ok := sp.Correct("gaison"); got != "maison" || !ok {
			t.Fatalf("Correct(gaison) = %q, %v; want maison, the first in alphabetical order of the closest", got, ok)
		}
	}
}
