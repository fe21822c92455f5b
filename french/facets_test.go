package french

import "testing"

func TestFacetsOf(t *testing.T) {
	tests := []struct {
		text string
		want Facets
	}{
		{"Combien coûte un repas à la cantine ?", FacetCost},
		{"c'est combien le repas", FacetCost},
		{"c gratuit ?", FacetCost},
		{"Combien de temps faut-il pour obtenir une réponse de la MDPH ?", FacetDelay}, // a delay, not a price
		{"dossier handicap toujours pas de nouvelles combien de mois", FacetApply | FacetDelay},
		{"Comment faire une demande de RSA ?", FacetApply},
		{"Qui peut bénéficier du RSA ?", FacetEligibility},
		{"j'ai perdu ma carte, que faire ?", FacetLoss},
		{"Comment contester la décision de la commission ?", FacetContest},
		{"Je déménage, comment changer mon adresse ?", FacetChange},
		{"Pourquoi mon allocation est-elle suspendue ?", FacetEnd},
		{"Quels sont les horaires de la piscine ?", FacetContact},
		{"comment prendre rendez-vous", FacetContact},
		{"Où promener mon chien ?", 0},
	}
	for _, tt := range tests {
		if got := FacetsOf(Words(tt.text)); got != tt.want {
			t.Errorf("FacetsOf(%q) = %09b, want %09b", tt.text, got, tt.want)
		}
	}
}
