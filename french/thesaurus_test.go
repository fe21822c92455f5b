package french

import (
	"slices"
	"testing"
)

func TestThesaurus(t *testing.T) {
	if !slices.Contains(Thesaurus("becane"), "velo") || !slices.Contains(Thesaurus("velo"), "becane") {
		t.Errorf("becane %v, velo %v: want each other", Thesaurus("becane"), Thesaurus("velo"))
	}
	// The broad senses are filtered out: a word is only kept when both list it early.
	if slices.Contains(Thesaurus("supprimer"), "mourir") || slices.Contains(Thesaurus("ordinateur"), "becane") {
		t.Errorf("supprimer %v, ordinateur %v: broad senses kept", Thesaurus("supprimer"), Thesaurus("ordinateur"))
	}
	if Thesaurus("xkcd") != nil {
		t.Error("an unknown word has synonyms")
	}
}
