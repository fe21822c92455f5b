package mining

import (
	"slices"
	"testing"

	"github.com/parvis-civic/parvis/french"
)

// A long question's story weighs less than the clause that asks; a short
// question, or one that only asks, is read whole.
func TestStoryWeighsLess(t *testing.T) {
	const text = "Je tiens un magasin de chaussures avec ma sœur, combien de dimanches peut-on ouvrir ?"
	need := needOf(nil, text)
	for _, w := range []string{"dimanches", "ouvrir"} {
		if !slices.Contains(need, french.Stem(w)) {
			t.Errorf("needOf: %v, want %q among the need's stems", need, french.Stem(w))
		}
	}
	if slices.Contains(need, french.Stem("chaussures")) {
		t.Errorf("needOf: %v, want the story's « chaussures » out", need)
	}
	for _, short := range []string{"ouverture des magasins le dimanche ?", "combien de dimanches les magasins peuvent-ils ouvrir dans la commune cette année ?"} {
		if got := needOf(nil, short); got != nil {
			t.Errorf("needOf(%q) = %v, want nil: the whole question is its need", short, got)
		}
	}

	f := newFeaturizer(nil)
	key := Key(text)
	weight := func(v vector, stem string) float32 {
		for i, id := range v.idx {
			if id == f.index[stem] {
				return v.val[i]
			}
		}
		t.Fatalf("%q not in the vector of %q", stem, key)
		return 0
	}
	whole, focused := f.vector(key, nil), f.vector(key, need)
	shoes, sundays := french.Stem("chaussures"), french.Stem("dimanches")
	if r := weight(focused, shoes) / weight(focused, sundays); r >= weight(whole, shoes)/weight(whole, sundays) {
		t.Errorf("« chaussures » against « dimanches »: %.3f focused, want less than read whole (%.3f)", r, weight(whole, shoes)/weight(whole, sundays))
	}
}
