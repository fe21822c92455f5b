package french

import "testing"

func TestFollowUp(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"et le samedi ?", true},
		{"c'est combien ?", true},
		{"c gratuit", true},
		{"cb de temps pr l avoir", true},
		{"il faut combien de temoins", true},
		{"c'est quand la date limite ?", true},
		{"c payant ?", true},
		{"et pour un abri de jardin", false}, // two things: read alone
		{"ptdr t un robot ?", false},
		{"connard", false},
		{"grenouille turquoise du mercredi", false},
		{"c'est nul", false},
		{"non aucun", false},
		{"????", false},
		{"merci beaucoup", false},
		{"je voudrais inscrire mon enfant à l'école et savoir quand ouvre la cantine", false},
	}
	for _, tt := range tests {
		if got := FollowUp(tt.text); got != tt.want {
			t.Errorf("FollowUp(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
