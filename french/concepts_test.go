package french

import (
	"slices"
	"testing"
)

func TestConcepts(t *testing.T) {
	stems := func(text string) []string {
		var out []string
		for _, w := range ContentWords(text) {
			out = append(out, Stem(w))
		}
		return out
	}
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"impossible de choper une bécane à la station", []string{"velo"}},
		{"le biclou a le pneu crevé", []string{"velo"}},
		{"cherche toubib qui prend des nouveaux patients", []string{"medecin"}},
		{"le feu d'artifice du 14 juillet", []string{"fete"}},
		{"le feu rouge est en panne", []string{"voirie"}}, // the longest expression wins
		{"un sans-abri dort sous le porche", []string{"sansabri"}},
		{"où trouver un médecin", []string{"medecin"}},           // « trouver » has nothing lost
		{"acte de naissance rue Pasteur", []string{"etatcivil"}}, // a street is no subject
		{"quelle est la capitale de l'Australie", nil},
	} {
		if got := Concepts(stems(tt.text)); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.text, got, tt.want)
		}
	}
}
