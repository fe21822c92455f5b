package ingest

import (
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/kb"
)

// TestUnansweredSaysWhatTheBaseKnows: the reply to a message nothing answers
// names the themes of the base that answers this citizen, not a town's list:
// the intercommunalité that answers for waste does not offer civil status.
func TestUnansweredSaysWhatTheBaseKnows(t *testing.T) {
	all := append(append(kb.Demo(), kb.DemoTerritory()...), kb.ServicePublic()...)
	reply := func(entries []kb.Entry) string {
		t.Helper()
		e, err := bot.New(bot.DefaultConfig(), entries, "v1", nil)
		if err != nil {
			t.Fatal(err)
		}
		return Compose(e, bot.Decision{Outcome: bot.Unanswered}, kb.Particulier)
	}
	town := reply(kb.ForTenant(all, "montclar", "cc-val-de-leze"))
	cc := reply(kb.ForTenant(all, "cc-val-de-leze", ""))
	for _, want := range []string{"État civil", "Déchets", "ou parler à une personne. Je vous mets en relation"} {
		if !strings.Contains(town, want) {
			t.Errorf("the town's reply lacks %q: %s", want, town)
		}
	}
	if !strings.Contains(cc, "sujets : Déchets.") || strings.Contains(cc, "État civil") {
		t.Errorf("the intercommunalité's reply: %s", cc)
	}
	if !strings.Contains(cc, "ou parler à une personne. L'accueil de votre collectivité") {
		t.Errorf("a base without its own hand-off offers the built-in one: %s", cc)
	}
	if none := reply(nil); strings.Contains(none, "sujets") {
		t.Errorf("an empty base names themes: %s", none)
	}
}
