package french

import "testing"

func TestFollowUp(t *testing.T) {
	const (
		wedding = "Comment se marier ? Pièces : acte de naissance, liste des 2 à 4 témoins avec leur pièce d'identité."
		hours   = "Quels sont les horaires de la mairie ? Ouverte du lundi au vendredi, et le samedi de 9 h à 12 h."
		id      = "Comment faire une carte d'identité ? Délai actuel : environ 3 semaines pour l'avoir."
		pool    = "Quels sont les horaires de la piscine ? Entrée : 4,50 €, carte de 10 entrées pour les habitants."
	)
	tests := []struct {
		text, previous string
		want           bool
	}{
		{"et le samedi ?", hours, true},
		{"c'est combien ?", pool, true},
		{"c gratuit", pool, true},
		{"c payant ?", pool, true},
		{"cb de temps pr l avoir", id, true},
		{"il faut combien de temoins", wedding, true},
		{"c'est quand la date limite ?", id, true},
		{"et la poste ?", hours, false}, // a thing the answer does not speak of
		{"et pour un abri de jardin", hours, false},
		{"ptdr t un robot ?", pool, false},
		{"connard", pool, false},
		{"grenouille turquoise du mercredi", hours, false},
		{"c'est nul", pool, false},
		{"non aucun", pool, false},
		{"????", pool, false},
		{"merci beaucoup", pool, false},
		{"je voudrais inscrire mon enfant à l'école et savoir quand ouvre la cantine", pool, false},
	}
	for _, tt := range tests {
		if got := FollowUp(tt.text, tt.previous); got != tt.want {
			t.Errorf("FollowUp(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestNamesNothing(t *testing.T) {
	for text, want := range map[string]bool{
		"c cher ?": true, "c'est combien ?": true, "et le samedi ?": true,
		"il faut combien de temoins": false, "et la poste ?": false, "merci": false, "horaires de la piscine": false,
	} {
		if got := NamesNothing(text); got != want {
			t.Errorf("NamesNothing(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestAsksOn(t *testing.T) {
	const (
		computers = "Ils donnent un ordinateur aux élèves de sixième ?"
		identity  = "Où faire ma carte d'identité ?"
	)
	tests := []struct {
		sentence, previous string
		want               bool
	}{
		{"C'est gratuit ou on paye quelque chose ?", computers, true},
		{"c'est combien ?", computers, true},
		{"Il faut attendre combien de temps ?", identity, true},
		{"Et la carte, c'est combien ?", identity, true},
		{"Et la piscine, quels horaires le samedi ?", identity, false}, // a thing of its own
		{"Et pour inscrire mon fils à la cantine de l'école ?", identity, false},
		{"Où sont les horaires de la piscine municipale ?", computers, false},
		{"Je voudrais savoir si la médiathèque prête des liseuses aux habitants, des tablettes, des ordinateurs portables, des casques et des jeux de société gratuits", computers, false},
	}
	for _, tt := range tests {
		if got := AsksOn(Words(tt.sentence), Words(tt.previous)); got != tt.want {
			t.Errorf("AsksOn(%q after %q) = %v, want %v", tt.sentence, tt.previous, got, tt.want)
		}
	}
}
