package french

import (
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Déclaration d'Œuvre", "declaration d oeuvre"},
		{"CARTE D’IDENTITÉ !!", "carte d identite"},
		{"né(e) à Montclar", "ne e a montclar"},
		{"\xff\xfebad", "bad"},
		{"Straße Ægée", "strasse aegee"},
		{"mon mail [EMAIL] merci", "mon mail merci"},
		{strings.Repeat("a", 3999) + "é z", strings.Repeat("a", 3999) + "e"},
	}
	for _, tt := range tests {
		if got := strings.Join(strings.Fields(Fold(tt.in)), " "); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
