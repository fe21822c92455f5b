package ingest

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// a question about the town's own procedures that mentions « demande »
// and « suivi / suivre / statut » is taken for a Parvis tracking request and
// answered « donnez-moi son code de suivi » before the engine runs.
func TestTrackingDoesNotHijackQuestions(t *testing.T) {
	s, _, _ := demandeService(t)
	for _, q := range []string{
		"Comment suivre une demande de permis de construire ?",
		"Quel est le suivi d'une demande de logement social ?",
		"je voudrais faire une demande de changement de statut de mon association",
	} {
		r := mustSend(t, s, mustStart(t, s), q)
		if r.Tracking {
			t.Errorf("%q answered as a tracking request: %q", q, r.Text)
		}
	}
}

// the tracking reply quotes the agent's message to the citizen;
// the project keeps those words out of analytics (DemandeStatusChanged is
// sealed, Public() drops it), but the chat logs them in clear in the
// bot.decision's reply, which the projector writes to ClickHouse's messages.
func TestTrackingReplyKeepsAgentWordsOffTheLog(t *testing.T) {
	s, desk, rec := demandeService(t)
	ctx := context.Background()
	c := mustStart(t, s)
	yes := true
	dm, err := s.File(ctx, demandes.Form{ConversationID: c, Kind: "voirie", Description: "Un trou énorme dans la chaussée",
		Address: "rue des écoles", Contact: "06 12 34 56 78", Consent: &yes})
	if err != nil {
		t.Fatal(err)
	}
	const words = "Bonjour Mme Martin, notre agent passera mardi chez vous"
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, connector.EnCours, words, "", nil, "Alex"); err != nil {
		t.Fatal(err)
	}
	r := mustSend(t, s, c, "où en est ma demande "+dm.Code+" ?")
	if !strings.Contains(r.Text, "Martin") {
		t.Fatalf("the citizen no longer reads the agent's message: %q", r.Text)
	}
	for _, ev := range rec.evs {
		if ev.Type == events.TypeBotDecision && strings.Contains(string(ev.Payload), "Martin") {
			var p struct{ Reply string }
			_ = json.Unmarshal(ev.Payload, &p)
			t.Errorf("the agent's words to the citizen in clear on parvis.conversations / ClickHouse: %q", p.Reply)
		}
	}
}

// Clean keeps Unicode format characters (zero-width space, word
// joiner, bidi controls, soft hyphen), and one inside a phone number or an
// e-mail address is enough for redaction to miss it: personal data on the log.
func TestFormatCharactersDoNotDefeatRedaction(t *testing.T) {
	rec := &recorder{}
	s := NewService(Config{}, demoEngine(t), rec, nil)
	c := mustStart(t, s)
	for _, m := range []string{
		"rappelez-moi au 06\u200b12\u200b34\u200b56\u200b78", // zero-width space (copied from a web page)
		"rappelez-moi au 06\u206012\u206034\u206056\u206078", // word joiner
		"mon mail est jean.dupont@\u200bgmail.com",           // as some sites print addresses
		"mon mail est jean\u00addupont@gmail.com",            // soft hyphen
		"rappelez-moi au 06\u201112\u201134\u201156\u201178", // non-breaking hyphen (word processors)
	} {
		mustSend(t, s, c, m)
	}
	for _, ev := range rec.evs {
		if ev.Type != events.TypeUtteranceReceived {
			continue
		}
		var p struct{ Text string }
		_ = json.Unmarshal(ev.Payload, &p)
		if strings.Contains(p.Text, "78") || strings.Contains(p.Text, "dupont") || strings.Contains(p.Text, "jean") {
			t.Errorf("personal data logged: %q", p.Text)
		}
	}
}

// EndIdle reads conversation.last under s.mu only, while log() writes
// it under c.mu only: a data race (go test -race), and an idle conversation
// whose message is being decided is ended and forgotten under it.
func TestEndIdleWhileSending(t *testing.T) {
	rec := &recorder{}
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(Config{IdleAfter: time.Hour}, engine, rec, nil)
	ctx := context.Background()
	var ids []string
	for range 300 {
		c, err := s.Start(ctx, Start{Audience: kb.Particulier})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, id := range ids {
			s.Send(ctx, id, "horaires de la mairie")
		}
	})
	wg.Go(func() {
		for range 3000 {
			s.EndIdle(ctx, time.Now())
		}
	})
	wg.Wait()
}

// a choice clicked under a CLARIFY answers with its entry, but never
// offers the demande that entry names, whereas the same question typed does.
func TestChoiceOffersTheDemandeOfItsEntry(t *testing.T) {
	s, _, _ := demandeService(t)
	ctx := context.Background()
	typed := mustSend(t, s, mustStart(t, s), "Comment signaler une panne d'éclairage public ?")
	if typed.Demande == nil || typed.Demande.ID != "eclairage" {
		t.Fatalf("typed question: demande %v, want eclairage", typed.Demande)
	}
	c := mustStart(t, s)
	r := mustSend(t, s, c, "rue")
	if r.Decision.Outcome != bot.Clarify {
		t.Fatalf("« rue »: %s, want CLARIFY", r.Decision.Outcome)
	}
	got, err := s.Choose(ctx, c, "eclairage_public")
	if err != nil {
		t.Fatal(err)
	}
	if got.Demande == nil || got.Demande.ID != "eclairage" {
		t.Errorf("choice « Comment signaler une panne d'éclairage public ? » clicked: no demande offered (Demande=%v), text %q", got.Demande, got.Text)
	}
}

// a citizen who wants to report something or file a request
// (« faire un signalement ») was answered with the tracking entry, « Donnez-moi
// le numéro de suivi reçu lors du dépôt »: a code they cannot have, and no
// demande offered. The demo's entry has those phrasings as negatives.
func TestWantingToFileIsNotAskedForATrackingCode(t *testing.T) {
	s, _, _ := demandeService(t)
	for _, q := range []string{"je souhaite faire un signalement", "faire un signalement", "je voudrais signaler un problème"} {
		r := mustSend(t, s, mustStart(t, s), q)
		id := ""
		if r.Decision.Entry != nil {
			id = r.Decision.Entry.ID
		}
		if id == "suivi_demande" || r.Demande == nil && r.Decision.Outcome != bot.Clarify {
			t.Errorf("%q: %s %s, demande offered %v: %q", q, r.Decision.Outcome, id, r.Demande, r.Text)
		}
	}
}

// A message of no known word (keys hit at random, « ??? ») used to get the
// answer for a question nothing answers, the way to a person, and an offer to
// file « Une autre demande à la mairie ». It is asked to be written otherwise,
// and nothing is offered; a real question nothing answers still gets both.
func TestUnreadMessageIsAskedAgain(t *testing.T) {
	s, _, _ := demandeService(t)
	for _, q := range []string{"qsdfqsdf zerzer", "???", "xptdr"} {
		r := mustSend(t, s, mustStart(t, s), q)
		if r.Decision.Outcome != bot.Unanswered || !r.Decision.Unread || r.Demande != nil || !strings.HasPrefix(r.Text, "Je n'ai pas compris votre message") {
			t.Errorf("%q: %s unread %v, demande %v: %q", q, r.Decision.Outcome, r.Decision.Unread, r.Demande, r.Text)
		}
	}
	r := mustSend(t, s, mustStart(t, s), "les moutons de la voisine mangent mes rosiers")
	if r.Decision.Unread || strings.HasPrefix(r.Text, "Je n'ai pas compris") {
		t.Errorf("a question in French read as unreadable: %q", r.Text)
	}
}
