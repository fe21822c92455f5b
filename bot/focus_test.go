package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// TestFocus checks that the context of a long message weighs less than its need,
// and that a short message is read whole.
func TestFocus(t *testing.T) {
	ix := demo(t).Index()
	vs := ix.views("Nous venons d'arriver dans le quartier avec nos deux enfants, comment inscrire ma fille à l'école ?")
	if len(vs) != 1 {
		t.Fatalf("%d views, want 1", len(vs))
	}
	a := vs[0]
	if a.weight["ecol"] != 1 || a.weight["enfant"] != contextWeight {
		t.Errorf("weights %v: want the need's words at 1 and the context's at %v", a.weight, contextWeight)
	}
	if vs := ix.views("horaires de la mairie ?"); len(vs) != 1 || vs[0].weight["horair"] != 1 {
		t.Errorf("a short message is read whole: %+v", vs)
	}
}

// TestTwoQuestions checks that a message asking two things in two sentences is
// answered on its first question.
func TestTwoQuestions(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Bonjour, on vient d'arriver à Montclar et je voulais savoir quels jours passent les camions poubelles dans notre rue. Et aussi, est-ce que la déchetterie est ouverte le dimanche ?", "collecte_dechets"},
		{"Comment on paye la cantine de mon fils ? Et où trouver les horaires de la piscine municipale pour cet été ?", "cantine"},
	}
	for _, tt := range tests {
		d := demo(t).Decide(tt.text, "")
		if d.Entry == nil || d.Entry.ID != tt.want {
			got := "none"
			if d.Entry != nil {
				got = d.Entry.ID
			}
			t.Errorf("Decide(%q) = %s %s (%.2f), want %s", tt.text, d.Outcome, got, d.Confidence, tt.want)
		}
	}
}

// TestAlsoAnotherQuestion: a message that asks two clear questions gets the
// first one's answer, and the second one's entry offered after it; a message
// that asks one thing gets nothing more.
func TestAlsoAnotherQuestion(t *testing.T) {
	e := demo(t)
	d := e.Decide("Bonjour. Comment inscrire mon fils à la cantine ? Et où jeter mes déchets verts ?", kb.Particulier)
	if d.Outcome != Answered || d.Entry.ID != "cantine" || d.Also == nil || d.Also.ID != "decheterie" {
		t.Errorf("two questions: %s %v also %v, want the canteen, then the waste disposal site offered", d.Outcome, d.Entry, d.Also)
	}
	for _, text := range []string{"Comment inscrire mon fils à la cantine ?", "Bonjour, mon fils entre au CP. Comment l'inscrire à la cantine ?"} {
		if d := e.Decide(text, kb.Particulier); d.Also != nil {
			t.Errorf("%q: %s offered besides %v", text, d.Also.ID, d.Entry)
		}
	}
}
