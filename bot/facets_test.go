package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// A FAQ has several entries on one subject, one per thing asked of it: the
// subject's words find them all, and what the message asks (a price, how to
// apply) raises the entry whose question asks it, against the same message
// with another word the base does not know.
func TestFacetRaisesTheAskedEntry(t *testing.T) {
	base := []kb.Entry{
		{ID: "tarif", Kind: kb.KindAnswer, Question: "Combien coûte la cantine du collège ?",
			Answer: "Le repas est facturé 3,20 euros dans tous les collèges publics."},
		{ID: "inscription", Kind: kb.KindAnswer, Question: "Comment s'inscrire à la cantine du collège ?",
			Answer: "Remplissez la fiche remise à la rentrée et rendez-la au secrétariat du collège."},
		{ID: "menus", Kind: kb.KindAnswer, Question: "Où trouver les menus de la cantine du collège ?",
			Answer: "Les menus de la semaine sont affichés au collège et publiés sur l'espace numérique de travail."},
	}
	lead := func(msg, id string) float64 {
		var own, others float64
		for _, c := range decideOn(t, base, msg).Candidates {
			if c.Entry.ID == id {
				own = c.Score
			} else {
				others = max(others, c.Score)
			}
		}
		if own == 0 || others == 0 {
			t.Fatalf("%q: %s or the others not among the candidates", msg, id)
		}
		return own / others
	}
	tests := []struct{ asks, plain, want string }{
		{"la cantine du collège c'est payant ?", "la cantine du collège c'est bondé ?", "tarif"},
		{"cantine au college, quel montant ?", "cantine au college, quelle ambiance ?", "tarif"},
		{"cantine du collège, quelle démarche ?", "cantine du collège, quelle ambiance ?", "inscription"},
	}
	for _, tt := range tests {
		if with, without := lead(tt.asks, tt.want), lead(tt.plain, tt.want); with < without*1.05 {
			t.Errorf("%s's lead: %.3f for %q, %.3f for %q: want it raised by what the message asks", tt.want, with, tt.asks, without, tt.plain)
		}
	}
}

// A second question that only asks a detail of the first (« c'est gratuit ? »)
// is read with it: alone, it names nothing to search for.
func TestDetailQuestionReadWithTheOneBefore(t *testing.T) {
	ix := demo(t).Index()
	views := ix.views("On m'a dit que la médiathèque prête des liseuses aux habitants ? C'est gratuit ou on paye quelque chose ?")
	if len(views) != 1 {
		t.Fatalf("%d views, want the whole message only: the second question asks a detail of the first", len(views))
	}
	for _, text := range []string{
		"On m'a dit que la médiathèque prête des liseuses aux habitants ? Et pour inscrire mon fils à la cantine de l'école ?",
		"Où refaire la carte d'identité de mon fils de douze ans ? Et la piscine municipale, quels horaires le samedi ?",
	} {
		if vs := ix.views(text); len(vs) != 3 {
			t.Errorf("%q: %d views, want 3: the second question names a subject of its own", text, len(vs))
		}
	}
	// A detail goes with its question's view, not with the other's.
	vs := ix.views("Comment inscrire mon fils à la cantine de l'école ? Et le prix ? Où sont les horaires de la piscine municipale ?")
	if len(vs) != 3 {
		t.Fatalf("%d views, want 3", len(vs))
	}
	if vs[1].weight["prix"] != 1 || vs[2].weight["prix"] != 0 {
		t.Errorf("« prix » weighs %v with the cantine's question and %v with the pool's: want 1 and nothing",
			vs[1].weight["prix"], vs[2].weight["prix"])
	}
}
