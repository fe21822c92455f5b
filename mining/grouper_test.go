package mining

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/ingest/redact"
	"github.com/parvis-civic/parvis/mining/miningtest"
)

func TestParaphrasesGroupTogether(t *testing.T) {
	g := NewGrouper(0)
	topics := [][]string{
		{"Où trouver un défibrillateur ?", "y a t il des defibrilateurs en ville", "défibrillateur le plus proche de chez moi",
			"ou est le defibrillateur du quartier", "liste des défibrillateurs à Montclar", "defibrillateur mairie ou ?", "un défibrillateur dans le parc ?"},
		{"Quand ouvre la patinoire ?", "horaires patinoire", "la patinoire est ouverte quand", "patinoire ouverte le dimanche ?",
			"c'est quand l'ouverture de la patinoire", "patinoir horaires svp", "tarifs et horaires de la patinoire"},
	}
	var items []Item
	var truth []int
	for ti, qs := range topics {
		for _, q := range qs {
			items = append(items, Item{Text: q})
			truth = append(truth, ti)
		}
	}
	noise := []string{"qui a gagné le match", "recette de crêpes", "prix de l'essence", "xkcd blorp"}
	for i, q := range noise {
		items = append(items, Item{Text: q})
		truth = append(truth, 10+i)
	}
	res := g.Regroup(items)
	for ti, qs := range topics {
		counts := map[string]int{}
		for i := range items {
			if truth[i] == ti {
				counts[res.Of[i]]++
			}
		}
		best, bestID := 0, ""
		for id, n := range counts {
			if n > best {
				best, bestID = n, id
			}
		}
		if float64(best) < 0.8*float64(len(qs)) {
			t.Errorf("topic %d: %d of %d in one group (%v)", ti, best, len(qs), counts)
		}
		var label string
		for _, gr := range res.Groups {
			if gr.ID == bestID {
				label = gr.Label
			}
		}
		found := false
		for _, q := range qs {
			found = found || q == label
		}
		if !found {
			t.Errorf("topic %d: label %q is not one of its questions", ti, label)
		}
	}
	if res.Groups[0].Size < 6 || res.Groups[1].Size < 6 {
		t.Errorf("the topics are not the largest groups: %+v", res.Groups[:3])
	}

	// A new paraphrase joins its topic's group.
	if id := g.Assign("défibrillateur près de la gare ?"); id != res.Of[0] {
		t.Errorf("new paraphrase went to %s, not %s", id, res.Of[0])
	}
}

func TestRegroupKeepsIDs(t *testing.T) {
	qs := miningtest.Titles(1, 2000, 100)
	items := make([]Item, len(qs))
	for i, q := range qs {
		items[i] = Item{Text: q.Text}
	}
	g := NewGrouper(0)
	first := g.Regroup(items)
	for i := range items {
		items[i].Group = first.Of[i]
	}
	more := miningtest.Titles(2, 200, 100)
	for _, q := range more {
		items = append(items, Item{Text: q.Text, Group: g.Assign(q.Text)})
	}
	second := g.Regroup(items)
	same := 0
	for i := range first.Of {
		if first.Of[i] == second.Of[i] {
			same++
		}
	}
	if r := float64(same) / float64(len(first.Of)); r < 0.95 {
		t.Errorf("only %.2f of the questions kept their group id across a regrouping", r)
	}
}

func TestSyntheticQuality(t *testing.T) {
	for _, tt := range []struct {
		name string
		qs   []miningtest.Question
	}{
		{"titles", miningtest.Titles(3, 5000, 300)},
		{"dossiers", miningtest.Dossiers(4, 5000)},
	} {
		items := make([]Item, len(tt.qs))
		truth := make([]int, len(tt.qs))
		for i, q := range tt.qs {
			items[i], truth[i] = Item{Text: q.Text}, q.Topic
		}
		res := NewGrouper(0).Regroup(items)
		p, ari := miningtest.Purity(res.Of, truth), miningtest.AdjustedRand(res.Of, truth)
		t.Logf("%s: %d questions, %d groups, purity %.3f, adjusted Rand %.3f", tt.name, len(items), len(res.Groups), p, ari)
		if tt.name == "titles" && (p < 0.85 || ari < 0.6) {
			t.Errorf("%s: purity %.3f, ARI %.3f", tt.name, p, ari)
		}
	}
	_ = fmt.Sprint()
}

// TestRegroupIgnoresOrder regroups the same questions read in another order:
// the projections return them in no set order, and the workbench must show the
// same needs after every regrouping of the same traffic.
func TestRegroupIgnoresOrder(t *testing.T) {
	qs := miningtest.Dossiers(4, 3000)
	items := make([]Item, len(qs))
	for i, q := range qs {
		items[i] = Item{Text: q.Text}
	}
	first := NewGrouper(0).Regroup(items)
	perm := rand.New(rand.NewPCG(9, 9)).Perm(len(items))
	shuffled := make([]Item, len(items))
	for i, p := range perm {
		shuffled[i] = items[p]
	}
	second := NewGrouper(0).Regroup(shuffled)
	if len(first.Groups) != len(second.Groups) {
		t.Fatalf("%d groups, then %d in another order", len(first.Groups), len(second.Groups))
	}
	for i := range first.Groups {
		if a, b := first.Groups[i], second.Groups[i]; a.ID != b.ID || a.Label != b.Label || a.Size != b.Size {
			t.Errorf("group %d: %+v, then %+v in another order", i, a, b)
		}
	}
	for i, p := range perm {
		if second.Of[i] != first.Of[p] {
			t.Fatalf("%q: group %s, then %s in another order", items[p].Text, first.Of[p], second.Of[i])
		}
	}
}

// TestCosineWithout: a member is measured against the rest of its group, not
// against a centroid it makes half of.
func TestCosineWithout(t *testing.T) {
	a := vector{idx: []int32{0, 1}, val: []float32{0.6, 0.8}}
	b := vector{idx: []int32{1, 2}, val: []float32{0.6, 0.8}}
	g := NewGrouper(0)
	gr := &group{centroid: map[int32]float64{}, indexed: map[int32]bool{}}
	g.add(gr, a, 2)
	g.add(gr, b, 1)
	if got, want := gr.cosineWithout(a, 2), 0.8*0.6; math.Abs(got-want) > 1e-6 {
		t.Errorf("cosineWithout = %.4f, want the cosine with the other member, %.4f", got, want)
	}
	if with := gr.cosine(a); with < 0.9 {
		t.Errorf("cosine with itself counted = %.4f: the test no longer shows the difference", with)
	}
	if got := gr.cosineWithout(b, 1); math.Abs(got-0.48) > 1e-6 {
		t.Errorf("cosineWithout(b) = %.4f, want 0.48", got)
	}
}

// A pair one of whose questions joins a larger group keeps the other: no
// question leaves every group.
func TestAttachKeepsThePairsOther(t *testing.T) {
	// Feature 1 is a subject; 2 and 3 are words.
	near := vector{idx: []int32{1, 2}, val: []float32{0.7, 0.7}}
	far := vector{idx: []int32{3}, val: []float32{1}}
	vecs := []vector{near, near, near, near, far}
	counts := []int{1, 1, 1, 1, 1}
	big := &group{id: "big", centroid: map[int32]float64{1: 2.1, 2: 2.1}, size: 3}
	pair := &group{id: "pair", centroid: map[int32]float64{1: 0.7, 2: 0.7, 3: 1}, size: 2}
	big.renorm()
	pair.renorm()
	of := []*group{big, big, big, pair, pair}
	members := map[*group][]int{big: {0, 1, 2}, pair: {3, 4}}
	attachSmall(members, of, vecs, counts, map[int32]bool{1: true})

	seen := 0
	for gr, us := range members {
		for _, q := range us {
			if of[q] != gr {
				t.Errorf("question %d is listed in %s but belongs to %s", q, gr.id, of[q].id)
			}
			seen++
		}
	}
	if seen != len(vecs) {
		t.Fatalf("%d of %d questions are in a group after attaching: %v", seen, len(vecs), members)
	}
	if of[3] != big || of[4] != pair || pair.size != 1 || big.size != 4 {
		t.Fatalf("question 3 in %s, 4 in %s; sizes big %d, pair %d: want 3 in big (4), 4 left in pair (1)", of[3].id, of[4].id, big.size, pair.size)
	}
	if _, ok := pair.centroid[2]; ok {
		t.Errorf("the pair's centroid still holds the words of the question that left: %v", pair.centroid)
	}
}

// The redactor takes people's names out of a question about changing a first
// name; two names, or one after a verb of naming, still tell what it is about.
func TestNamesTellAFirstNameQuestion(t *testing.T) {
	for _, c := range []struct {
		text  string
		about bool
	}{
		{"Je m'appelle Lucienne mais tout le monde m'appelle Lulu, je voudrais que ce soit sur mes papiers", true},
		{"Notre fils de 2 ans s'appelle Kevin-Jordan, on regrette, on peut rectifier ?", true},
		{"on a déclaré notre fils Noa mais on regrette, on voudrait Noah avec un h", true},
		{"Mon cousin Ahmed voudrait venir me voir cet été, il lui faut quel papier ?", false},
		{"Je tape pour Mme Dubreuil, elle a oublié son parapluie sur un banc", false},
		{"j'appelle la mairie depuis ce matin, personne ne répond", false},
		// A name given in passing is no question about names.
		{"Je m'appelle Karim, je cherche un logement social", false},
		{"J'ai appelé Mme Durand pour les encombrants, elle n'a pas répondu", false},
		{"Mes enfants Lucas et Emma mangent à la cantine, combien ça coûte ?", false},
		{"je suis Mme Martin, voisine de M. Durand, son chien aboie toute la nuit", false},
	} {
		redacted, _ := redact.Redact(c.text)
		key := strings.Fields(Key(redacted))
		if got := slices.Contains(key, french.Stem("prenom")); got != c.about {
			t.Errorf("%q (redacted %q, key %v): about names %v, want %v", c.text, redacted, key, got, c.about)
		}
	}
}

// A nest is a hornets' nest only with its hornets: a pothole report whose
// « poule » a typo took (« nid-de-opule ») stays out of the hornets' group.
// It had joined it, and the new need then counted a question of the month
// before: the workbench no longer showed it among the new ones.
func TestNestAloneIsNoHornet(t *testing.T) {
	hornets := []string{"nid de frelons dans mon cerisier, la mairie peut l'enlever ?",
		"des frelons asiatiques sous mon toit, qui appeler ?", "destruction nid de frelons prise en charge par la commune ?",
		"un nid de frelons au dessus de ma porte, vous pouvez intervenir ?", "frelons partout dans le jardin, la ville fait quoi ?"}
	items := []Item{{Text: "Je veux signaler un nid-de-opule"}}
	for _, h := range hornets {
		items = append(items, Item{Text: h})
	}
	res := NewGrouper(0).Regroup(items)
	for i := 2; i < len(items); i++ {
		if res.Of[i] != res.Of[1] {
			t.Fatalf("the hornets split: %v", res.Of)
		}
	}
	if res.Of[0] == res.Of[1] {
		t.Errorf("« %s » joined the hornets' nests", items[0].Text)
	}
}
