package demandes

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/events"
)

// prefilling is a platform where the citizen finishes the demande at the
// link it gives (Démarches Simplifiées' prefilled dossier).
type prefilling struct{ platform }

func (*prefilling) Name() string { return "dsimplifiees" }

// TestCitizenGetsTheLinkToFinish: a demande delivered as a prefilled dossier
// is nothing until the citizen submits it there: the tracking reply gives the
// link while the demande has not moved, the log keeps only its mention (the
// link opens the prefilled personal part), and a platform that files the
// demande itself (Publik) gives no link to the citizen.
func TestCitizenGetsTheLinkToFinish(t *testing.T) {
	for _, tt := range []struct {
		conn connector.Connector
		link bool
	}{
		{&prefilling{platform{got: map[string]connector.Submission{}, statuses: map[string]connector.RemoteStatus{}}}, true},
		{&platform{got: map[string]connector.Submission{}, statuses: map[string]connector.RemoteStatus{}}, false},
	} {
		desk, _, _ := newDesk(t, t.TempDir())
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		desk.cfg.Now = func() time.Time { return now }
		ctx := context.Background()
		dm, err := desk.File(ctx, Form{ConversationID: events.NewID(now), Kind: "voirie", Description: "Un trou dans la chaussée devant l'école",
			Address: "1 rue de la Paix", Contact: "a@exemple.fr"})
		if err != nil {
			t.Fatal(err)
		}
		if err := (&Deliverer{Desk: desk, Conn: tt.conn, GiveUpAfter: time.Hour, PollEvery: time.Minute}).Pass(ctx); err != nil {
			t.Fatal(err)
		}
		url := "https://demarches.exemple.fr/R1"
		reply, logged, ok := desk.Answer(context.Background(), "", "où en est ma demande "+dm.Code+" ?")
		if !ok || strings.Contains(reply, url) != tt.link {
			t.Errorf("%s: reply %q, want the link %v", tt.conn.Name(), reply, tt.link)
		}
		if strings.Contains(logged, url) || tt.link && !strings.Contains(logged, "[LIEN_DU_DOSSIER]") {
			t.Errorf("%s: logged %q", tt.conn.Name(), logged)
		}
	}
}
