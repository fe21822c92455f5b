package ingest

import (
	"context"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

func demandeService(t *testing.T) (*Service, *demandes.Desk, *recorder) {
	t.Helper()
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := demandes.NewCodes("MTC", []byte("a secret long enough for codes"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := demandes.OpenKeyStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	desk := demandes.NewDesk(demandes.Config{Tenant: "montclar", Codes: codes, Kinds: demandes.NewKinds(kb.DemoKinds()), Keys: keys}, rec)
	return NewService(Config{Desk: desk}, engine, rec, nil), desk, rec
}

func TestRepliesProposeADemande(t *testing.T) {
	s, _, _ := demandeService(t)
	ctx := context.Background()
	tests := []struct {
		audience kb.Audience
		text     string
		want     string // the kind proposed; "" none
	}{
		{kb.Particulier, "comment signaler un problème sur la voie publique", "voirie"},
		{kb.Particulier, "comment faire enlever des encombrants", "encombrants"},
		{kb.Particulier, "le lampadaire devant chez moi est en panne depuis une semaine", "eclairage"},
		{kb.Particulier, "il y a des tags partout sur le mur de l'école, qui peut nettoyer", "proprete"},
		{kb.Particulier, "je voudrais un permis de chasse pour sanglier sur la lune", "autre"},
		{kb.Particulier, "quels sont les horaires de la mairie", ""},
		{kb.Particulier, "bonjour", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			c, err := s.Start(ctx, Start{Audience: tt.audience, Channel: "test"})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Send(ctx, c.ID, tt.text)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if r.Demande != nil {
				got = r.Demande.ID
				if !strings.Contains(r.Text, r.Demande.Label) {
					t.Errorf("the text does not offer it: %q", r.Text)
				}
			}
			if got != tt.want {
				t.Errorf("outcome %s, proposes %q, want %q (%q)", r.Decision.Outcome, got, tt.want, r.Text)
			}
		})
	}
}

// TestFileThenTrackInTheChat files a demande from a conversation, an agent
// changes it, and the chat answers its status from the code before the engine
// runs, any spelling.
func TestFileThenTrackInTheChat(t *testing.T) {
	s, desk, rec := demandeService(t)
	ctx := context.Background()
	c, err := s.Start(ctx, Start{Audience: kb.Association, Channel: "widget"})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	dm, err := s.File(ctx, demandes.Form{ConversationID: c.ID, Kind: "salle_association",
		Description: "Assemblée générale du club de boules, 40 personnes, le 12 décembre", Contact: "club@exemple.fr", Consent: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if dm.Audience != "association" || dm.ConversationID != c.ID {
		t.Errorf("filed %+v", dm)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, connector.EnCours, "La salle des fêtes est libre ce jour-là.", "", nil, "Alex"); err != nil {
		t.Fatal(err)
	}
	typed := strings.ToLower(strings.ReplaceAll(dm.Code, "-", " "))
	r, err := s.Send(ctx, c.ID, "bonjour où en est ma demande "+typed+" ?")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Tracking || !strings.Contains(r.Text, "en cours de traitement") || !strings.Contains(r.Text, "La salle des fêtes est libre") {
		t.Errorf("reply %q", r.Text)
	}
	last := rec.evs[len(rec.evs)-1]
	if last.Type != events.TypeBotDecision || last.ConversationID != c.ID {
		t.Errorf("the exchange is not logged: %s", last.Type)
	}
	for _, ev := range rec.evs {
		if strings.Contains(string(ev.Payload), "club@exemple.fr") {
			t.Errorf("the e-mail in clear in %s", ev.Type)
		}
	}
	if _, err := s.File(ctx, demandes.Form{ConversationID: "01ARZ3NDEKTSV4RRFFQ69G5FAV", Kind: "voirie", Description: "un trou dans la rue"}); err == nil {
		t.Error("filed from an unknown conversation")
	}
}
