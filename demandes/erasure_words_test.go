package demandes

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

type nopPublisher struct{ evs []events.Envelope }

func (p *nopPublisher) Publish(_ context.Context, evs ...events.Envelope) error {
	p.evs = append(p.evs, evs...)
	return nil
}

// TestErasureTakesTheCitizensWords: erasing a conversation destroys its
// demande's key, and with it the description (redacted, which may still say
// what redaction missed) and what agents wrote, in every desk; the kind and
// the status stay.
func TestErasureTakesTheCitizensWords(t *testing.T) {
	desk := deskOn(t, t.TempDir(), &nopPublisher{})
	ctx := context.Background()
	conv := events.NewID(time.Now())
	dm, err := desk.File(ctx, Form{ConversationID: conv, Kind: "voirie", Address: "12 rue des Lilas", Contact: "a@exemple.fr",
		Description: "Trou devant chez moi, mon nom de jeune fille est Martin et je suis en fauteuil roulant"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, "EN_COURS", "Une équipe passe lundi.",
		"rappelée, en fauteuil", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	if got, _ := desk.Case(tenant.Everything(), dm.Code); !strings.Contains(got.Description, "fauteuil") || got.Note == "" {
		t.Fatalf("before erasure the desk lacks the description or the note: %+v", got)
	}
	if err := desk.EraseConversation(ctx, conv, "admin"); err != nil {
		t.Fatal(err)
	}
	got, err := desk.Case(tenant.Everything(), dm.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Erased {
		t.Fatalf("not erased: %+v", got)
	}
	if strings.Contains(got.Description, "fauteuil") || strings.Contains(got.Description, "Martin") {
		t.Errorf("after eraseConversation the desk still holds the citizen's words: %q", got.Description)
	}
	for _, c := range append(got.History, Change{Message: got.Message, Note: got.Note}) {
		if strings.Contains(c.Message+c.Note, "fauteuil") || strings.Contains(c.Message, "lundi") {
			t.Errorf("after eraseConversation the desk still holds what agents wrote: %q / %q", c.Message, c.Note)
		}
	}
	if got.Kind != "voirie" || got.Status != "EN_COURS" {
		t.Errorf("after eraseConversation the demande is %s, %s: want its kind and status kept", got.Kind, got.Status)
	}
}

// TestAgentsWordsAreSealed: what an agent writes on a demande (« rappelé Mme
// Martin au 06… ») travels sealed with the demande's key on parvis.demandes,
// kept for ever, and reads back in every desk that follows the log while the
// key is there; erased with the key, and refused after.
func TestAgentsWordsAreSealed(t *testing.T) {
	pub := &nopPublisher{}
	dir := t.TempDir()
	desk := deskOn(t, dir, pub)
	ctx := context.Background()
	conv := events.NewID(time.Now())
	dm, err := desk.File(ctx, Form{ConversationID: conv, Kind: "voirie", Description: "Trou dans la chaussée", Address: "12 rue des Lilas", Contact: "06 12 34 56 78"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, "EN_COURS", "Bonjour Mme Martin, une équipe passe lundi.",
		"rappelé Mme Martin au 06 12 34 56 78", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	for _, e := range pub.evs {
		if strings.Contains(string(e.Payload), "Martin") {
			t.Errorf("%s on parvis.demandes holds what the agent wrote in clear: %s", e.Type, e.Payload)
		}
	}
	follower := deskOn(t, dir, &nopPublisher{})
	for _, e := range pub.evs {
		follower.applyEvent(e)
	}
	if got, _ := follower.Case(tenant.Everything(), dm.Code); got.Message != "Bonjour Mme Martin, une équipe passe lundi." ||
		got.Note != "rappelé Mme Martin au 06 12 34 56 78" {
		t.Errorf("a desk following the log reads message %q, note %q", got.Message, got.Note)
	}
	if err := desk.EraseConversation(ctx, conv, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, "TRAITEE", "C'est réparé.", "", nil, "agent"); !errors.Is(err, ErrErased) {
		t.Errorf("a message on an erased demande: %v, want ErrErased", err)
	}
	if got, err := desk.Update(ctx, tenant.Everything(), dm.Code, "TRAITEE", "", "", nil, "agent"); err != nil || got.Status != "TRAITEE" {
		t.Errorf("closing an erased demande: %v, %v", got.Status, err)
	}
}
