package french

import (
	"fmt"
	"strings"
	"testing"

	snowball "github.com/kljensen/snowball/french"
)

// TestStemCache: the cache answers as Snowball does, and a flood of made-up
// words does not grow it past its size.
func TestStemCache(t *testing.T) {
	words := []string{"inscriptions", "inscrire", "passeport", "passeports", "demandes", "bicyclettes", "mairie", "ecole"}
	for range 2 { // the second time from the cache
		for _, w := range words {
			if got, want := Stem(w), snowball.Stem(w, true); got != want {
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
	if got, want := Stem("bicyclettes"), snowball.Stem("bicyclettes", true); got != want {
		t.Errorf("after the flood: %q, want %q", got, want)
	}
}

// TestStemCacheLeavesLongWords: a made-up word longer than any French word is
// stemmed as Snowball does and not kept, so that the cache's bound in words is
// a bound in memory too.
func TestStemCacheLeavesLongWords(t *testing.T) {
	for i := range 10 {
		w := fmt.Sprintf("%s%d", strings.Repeat("abracadabrantesques", 100), i)
		if got, want := Stem(w), snowball.Stem(w, true); got != want {
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
