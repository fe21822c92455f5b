package french

import (
	"fmt"
	"strings"
	"testing"
)

// TestStemNounsAreNotVerbs: a noun that Snowball took for a form of a verb in
// -ir keeps its letters, and its singular and plural meet; real forms of those
// verbs are still cut.
func TestStemNounsAreNotVerbs(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"tennis", "tenir"}, {"voirie", "voir"}, {"mairie", "maire"}, {"credit", "cred"}, {"taxis", "taxe"},
	} {
		if Stem(tt.a) == Stem(tt.b) {
			t.Errorf("« %s » and « %s » have the same stem %q", tt.a, tt.b, Stem(tt.a))
		}
	}
	for _, tt := range []struct{ a, b string }{
		{"petit", "petits"}, {"credit", "credits"}, {"samedi", "samedis"}, {"mairie", "mairies"}, {"categorie", "categories"},
		{"choisis", "choisir"}, {"finit", "finir"}, {"remplie", "remplir"}, {"tenait", "tenir"}, {"sortie", "sortir"},
	} {
		if Stem(tt.a) != Stem(tt.b) {
			t.Errorf("« %s » → %q and « %s » → %q: want one stem", tt.a, Stem(tt.a), tt.b, Stem(tt.b))
		}
	}
}

// TestStemCache: the cache answers as Snowball does, and a flood of made-up
// words does not grow it past its size.
func TestStemCache(t *testing.T) {
	words := []string{"inscriptions", "inscrire", "passeport", "passeports", "demandes", "bicyclettes", "mairie", "ecole"}
	for range 2 { // the second time from the cache
		for _, w := range words {
			if got, want := Stem(w), stem(w); got != want {
				t.Errorf("Stem(%q) = %q, want %q", w, got, want)
			}
		}
	}
	for i := range stemCacheSize + 10 {
		Stem(fmt.Sprintf("motinvente%d", i))
	}
	if n := stemCount.Load(); n > stemCacheSize {
		t.Errorf("%d words cached, at most %d", n, stemCacheSize)
	}
	if got, want := Stem("bicyclettes"), stem("bicyclettes"); got != want {
		t.Errorf("after the flood: %q, want %q", got, want)
	}
}

// TestStemCacheLeavesLongWords: a made-up word longer than any French word is
// stemmed as Snowball does and not kept, so that the cache's bound in words is
// a bound in memory too.
func TestStemCacheLeavesLongWords(t *testing.T) {
	for i := range 10 {
		w := fmt.Sprintf("%s%d", strings.Repeat("abracadabrantesques", 100), i)
		if got, want := Stem(w), stem(w); got != want {
			t.Errorf("Stem of a long word = %q, want %q", got, want)
		}
	}
	stems.Range(func(k, _ any) bool {
		if len(k.(string)) > 100 { // no French word is that long
			t.Errorf("a word of %d bytes is cached", len(k.(string)))
			return false
		}
		return true
	})
}
