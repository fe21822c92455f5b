package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// TestEachCommuneItsOwnKnowledge: a commune's engine answers with the commune's
// own entry first, then its intercommunalité's, and never another commune's.
func TestEachCommuneItsOwnKnowledge(t *testing.T) {
	all := append(kb.Demo(), kb.DemoTerritory()...)
	engines := map[string]*Engine{}
	for _, c := range []string{"montclar", "saint-aubin-sur-leze"} {
		e, err := New(DefaultConfig(), kb.ForTenant(all, c, "cc-val-de-leze"), "v1", nil)
		if err != nil {
			t.Fatal(err)
		}
		engines[c] = e
	}
	tests := []struct {
		commune, text, entry, source string
	}{
		{"montclar", "horaires de la mairie", "horaires_mairie", "Ville de Montclar"},
		{"saint-aubin-sur-leze", "horaires de la mairie", "sal_horaires_mairie", "Mairie de Saint-Aubin-sur-Lèze"},
		{"saint-aubin-sur-leze", "bonjour", "sal_salutation", "Mairie de Saint-Aubin-sur-Lèze"},
		{"montclar", "horaires de la déchetterie", "decheterie", "Communauté de communes du Val de Lèze"},
		{"saint-aubin-sur-leze", "horaires de la déchetterie", "decheterie", "Communauté de communes du Val de Lèze"},
	}
	for _, tt := range tests {
		d := engines[tt.commune].Decide(tt.text, kb.Particulier)
		if d.Entry == nil || d.Entry.ID != tt.entry || d.Entry.Source != tt.source {
			t.Errorf("%s asks %q: %+v, want %s from %s", tt.commune, tt.text, d.Entry, tt.entry, tt.source)
		}
	}
	// Montclar's passport entry is not Saint-Aubin's.
	for _, c := range engines["saint-aubin-sur-leze"].Decide("je veux refaire mon passeport", kb.Particulier).Candidates {
		if c.Entry.Tenant == "montclar" {
			t.Errorf("Saint-Aubin's engine weighs Montclar's %s", c.Entry.ID)
		}
	}
	if h, ok := engines["saint-aubin-sur-leze"].Handoff(); !ok || h.ID != "sal_parler_agent" {
		t.Errorf("Saint-Aubin's hand-off: %+v", h)
	}
}

// TestNearestLayerWins: when two entries answer about as well, the commune's
// own wins over its intercommunalité's, which wins over a national one.
func TestNearestLayerWins(t *testing.T) {
	base := kb.Entry{Question: "Où trouver le compost gratuit ?", Answer: "Réponse.", Kind: kb.KindAnswer}
	own, epci, national := base, base, base
	own.ID, own.Tenant = "own", "montclar"
	epci.ID, epci.Tenant = "epci", "cc-val-de-leze"
	national.ID, national.National = "national", true
	for _, tt := range []struct {
		entries []kb.Entry
		want    string
	}{
		{[]kb.Entry{national, epci, own}, "own"},
		{[]kb.Entry{national, epci}, "epci"},
		{[]kb.Entry{national}, "national"},
	} {
		e, err := New(DefaultConfig(), kb.ForTenant(tt.entries, "montclar", "cc-val-de-leze"), "v1", nil)
		if err != nil {
			t.Fatal(err)
		}
		if cs := e.Decide("compost gratuit", kb.Particulier).Candidates; len(cs) == 0 || cs[0].Entry.ID != tt.want {
			t.Errorf("%d entries: first %v, want %s", len(tt.entries), cs, tt.want)
		}
	}
}
