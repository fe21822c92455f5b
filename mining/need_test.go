package mining

import (
	"strings"
	"testing"
)

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		text           string
		demande, noise bool
	}{
		{"il y a un trou énorme au rond-point", true, false},
		{"le lampadaire au bout de l'impasse est en panne depuis lundi", true, false},
		{"la fontaine du square ne marche plus", true, false},
		{"quels sont les horaires de la piscine le dimanche", false, false},
		{"Où trouver un défibrillateur ?", false, false},
		{"Quand ouvre la patinoire ?", false, false},
		{"la météo de demain à Montclar", false, true},
		{"qui a gagné le match hier soir", false, true},
		{"raconte moi une blague", false, true},
	} {
		demande, noise := NewGrouper(0).Flags(tt.text)
		if demande != tt.demande || noise != tt.noise {
			t.Errorf("%q: demande %v, noise %v; want %v, %v", tt.text, demande, noise, tt.demande, tt.noise)
		}
	}
}

// TestGroupFlagsAndOrder: a group is a possible demande or noise by most of its
// questions, and noise comes after every other group whatever its size.
func TestGroupFlagsAndOrder(t *testing.T) {
	var items []Item
	for _, q := range []string{"il fera beau demain ? la météo svp", "météo du week-end", "prévisions météo pour samedi",
		"la météo de la semaine", "météo demain matin"} {
		items = append(items, Item{Text: q})
	}
	for _, q := range []string{"un nid de poule énorme rue des Lilas", "trou dans la chaussée devant l'école", "il y a un trou énorme au rond-point"} {
		items = append(items, Item{Text: q})
	}
	res := NewGrouper(0).Regroup(items)
	noise := map[string]bool{}
	for _, g := range res.Groups[1:] {
		noise[g.ID] = g.Noise
	}
	for i, id := range res.Of[:5] {
		if !noise[id] {
			t.Errorf("%q is not in a noise group after the others: %+v", items[i].Text, res.Groups)
		}
	}
	if first := res.Groups[0]; !first.Demande || first.Noise || first.Size != 3 {
		t.Errorf("the holes in the road are not first, flagged demande: %+v", res.Groups)
	}
}

// TestLabelHoldsNoPlaceholder: a question that held personal data labels its
// group only when no other can; the label is shown on every dashboard.
func TestLabelHoldsNoPlaceholder(t *testing.T) {
	var items []Item
	for _, q := range []string{"mon numéro est [TELEPHONE] et mon mail [EMAIL], où sont les toilettes publiques ?",
		"[TELEPHONE] où sont les toilettes publiques ?", "[TELEPHONE] où sont les toilettes publiques ?",
		"[TELEPHONE] où sont les toilettes publiques ?", "où sont les toilettes publiques ?",
		"où sont les toilettes publiques en ville ?", "toilettes publiques près du marché"} {
		items = append(items, Item{Text: q})
	}
	res := NewGrouper(0).Regroup(items)
	if len(res.Groups) != 1 {
		t.Fatalf("%d groups, want one: %+v", len(res.Groups), res.Groups)
	}
	if label := res.Groups[0].Label; strings.Contains(label, "[") {
		t.Errorf("label %q holds a placeholder", label)
	}
}
