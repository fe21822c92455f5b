package french

import "testing"

func TestRequestToAct(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"il y a un trou enorme au rond-point", true},
		{"le lampadaire de ma rue ne marche plus", true},
		{"je voudrais signaler un depot sauvage", true},
		{"quels sont les horaires de la mairie", false},
		{"comment refaire ma carte d'identité", false},
	}
	for _, tt := range tests {
		if got := RequestToAct(tt.text); got != tt.want {
			t.Errorf("RequestToAct(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
