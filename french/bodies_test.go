package french

import (
	"slices"
	"testing"
)

func TestBodies(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"le centre des impôts ouvre à quelle heure le jeudi ?", []string{"centre des impots"}},
		{"ma première demande d'aide au logement à la CAF", []string{"caf"}},
		{"je m'inscris à France Travail ou à la mairie ?", []string{"france travail"}},
		{"horaires de la mairie", nil},
		{"on part en vacances, la maison est vide", nil},
	}
	for _, tt := range tests {
		if got := Bodies(Words(tt.text)); !slices.Equal(got, tt.want) {
			t.Errorf("Bodies(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestBodyNames(t *testing.T) {
	for body, name := range map[string]string{"caf": "caisse d allocations familiales", "france travail": "pole emploi"} {
		if !slices.Contains(BodyNames(body), name) {
			t.Errorf("BodyNames(%q) = %q, want %q among them", body, BodyNames(body), name)
		}
	}
}
