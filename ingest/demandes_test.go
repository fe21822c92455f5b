package ingest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

func demandeService(t *testing.T) (*Service, *demandes.Desk, *recorder) {
	t.Helper()
	rec := &recorder{}
	desk := montclarDesk(t, rec, nil)
	return NewService(Config{Desk: desk}, demoEngine(t), rec, nil), desk, rec
}

// demoEngine is the demo town's engine with the language `parvis serve` gives
// it: its French word list (a real word is never « corrected ») and background.
func demoEngine(t *testing.T) *bot.Engine {
	t.Helper()
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions()))
	if err != nil {
		t.Fatal(err)
	}
	return engine
}

// mustStart starts a private person's conversation.
func mustStart(t *testing.T, s *Service) string {
	t.Helper()
	c, err := s.Start(context.Background(), Start{Audience: kb.Particulier, Channel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// mustSend sends a message, which must be accepted.
func mustSend(t *testing.T, s *Service, conv, text string) Reply {
	t.Helper()
	r, err := s.Send(context.Background(), conv, text)
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	return r
}

// montclarDesk is Montclar's desk of demandes, publishing to pub; now, when
// not nil, is its clock.
func montclarDesk(t *testing.T, pub demandes.Publisher, now func() time.Time) *demandes.Desk {
	t.Helper()
	codes, err := demandes.NewCodes("MTC", []byte("a secret long enough for codes"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := demandes.OpenKeyStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return demandes.NewDesk(demandes.Config{Tenant: "montclar", Codes: codes, Kinds: demandes.NewKinds(kb.DemoKinds()), Keys: keys, Now: now}, pub)
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
		// Answered by an entry that files nothing: the answer is not followed
		// by another subject's demande (the second question's).
		{kb.Particulier, "comment inscrire mon enfant a l ecole et ou jeter les dechets verts ?", ""},
		// Nothing the town could look into: no demande offered.
		{kb.Particulier, "il va pleuvoir demain ?", ""},
		{kb.Particulier, "raconte moi une blague", ""},
		{kb.Particulier, "👍", ""},
		{kb.Particulier, "???", ""},
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
	answered := testutil.ToFloat64(messages.WithLabelValues(string(bot.Answered)))
	r, err := s.Send(ctx, c.ID, "bonjour où en est ma demande "+typed+" ?")
	if err != nil {
		t.Fatal(err)
	}
	// The exchange is logged as an answered message, which the projections
	// count: so must parvis_chat_messages_total, or the dashboard of the
	// processes and the town's overview disagree (12 messages apart in 600).
	if got := testutil.ToFloat64(messages.WithLabelValues(string(bot.Answered))) - answered; got != 1 {
		t.Errorf("parvis_chat_messages_total{outcome=\"ANSWERED\"} grew by %v for a tracking answer, want 1", got)
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

// logged is a publisher that is also the log the API processes follow: every
// event published reaches peers, as the conversations topic would.
type logged struct {
	recorder
	peers *Peers
}

func (l *logged) Publish(ctx context.Context, evs ...events.Envelope) error {
	for _, env := range evs {
		raw, err := env.Marshal()
		if err != nil {
			return err
		}
		env, pl, err := events.Decode(raw)
		if err != nil {
			return err
		}
		l.peers.Apply(env, pl)
	}
	return l.recorder.Publish(ctx, evs...)
}

// twoProcesses returns two API processes behind one load balancer, following
// the same log, with Montclar's desk of demandes; now, when not nil, is their
// clock and the desk's.
func twoProcesses(t *testing.T, now func() time.Time) (a, b *Service, log *logged) {
	t.Helper()
	engine := demoEngine(t)
	log = &logged{peers: NewPeers(time.Hour)}
	log.peers.Follow(&caughtUp{})
	desk := montclarDesk(t, log, now)
	a = NewService(Config{Desk: desk, Peers: log.peers, Now: now}, engine, log, nil)
	b = NewService(Config{Desk: desk, Peers: log.peers, Now: now}, engine, log, nil)
	return a, b, log
}

// TestYesOrNoToAnOffer: a citizen who types « oui » to a reply that offered a
// demande gets the offer again with the way to file it, even when the reply
// came from another API process; « non » files nothing, is no unmet need, and
// offers nothing else; either, with no offer before, is plain conversation.
func TestYesOrNoToAnOffer(t *testing.T) {
	a, b, log := twoProcesses(t, nil)
	send := func(s *Service, conv, text string) Reply { t.Helper(); return mustSend(t, s, conv, text) }
	start := func() string { t.Helper(); return mustStart(t, a) }

	conv := start()
	first := send(a, conv, "il y a un trou énorme dans la chaussée rue des écoles")
	if first.Demande == nil || first.Demande.ID != "voirie" {
		t.Fatalf("no demande offered: %+v", first)
	}
	yes := send(b, conv, "Oui svp")
	if yes.Demande == nil || yes.Demande.ID != "voirie" || yes.Decision.Outcome != bot.Smalltalk ||
		!strings.Contains(yes.Text, first.Demande.Label) || !strings.Contains(yes.Text, "Déposer la demande") {
		t.Errorf("« oui » to the offer, on the other process: %s, offers %v, %q", yes.Decision.Outcome, yes.Demande, yes.Text)
	}
	no := send(a, conv, "non merci")
	if no.Demande != nil || no.Decision.Outcome != bot.Smalltalk || !strings.Contains(no.Text, "aucune demande") {
		t.Errorf("« non » to the offer made again: %s, offers %v, %q", no.Decision.Outcome, no.Demande, no.Text)
	}
	again := send(b, conv, "oui")
	if again.Demande != nil || strings.Contains(again.Text, "Déposer") {
		t.Errorf("« oui » after the offer was declined: offers %v, %q", again.Demande, again.Text)
	}

	plain := start()
	for _, text := range []string{"non", "oui"} {
		if r := send(a, plain, text); r.Decision.Outcome != bot.Smalltalk || r.Demande != nil {
			t.Errorf("%q with no offer before: %s, offers %v, %q", text, r.Decision.Outcome, r.Demande, r.Text)
		}
	}

	// The offer is on the log, with the decision that made it.
	var offered int
	for _, env := range log.evs {
		if _, pl, err := events.Decode(must(env.Marshal())); err == nil {
			if d, ok := pl.(*events.BotDecision); ok && d.Demande == "voirie" {
				offered++
			}
		}
	}
	if offered != 2 {
		t.Errorf("%d decisions on the log offer the demande, want 2 (the answer and the « oui »)", offered)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestYesAfterFilingOffersNothing: once the demande offered is filed, a « oui »
// or « ok merci » next (on the process that filed it or on another) is no
// longer an answer to the offer: the log still holds the decision that made
// it, but the desk knows it was taken. A new offer of the same kind later in
// the conversation is answered again.
func TestYesAfterFilingOffersNothing(t *testing.T) {
	// A citizen types: each step a few seconds after the one before.
	var mu sync.Mutex
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at = at.Add(3 * time.Second)
		return at
	}
	a, b, _ := twoProcesses(t, clock)
	ctx := context.Background()
	send := func(s *Service, conv, text string) Reply { t.Helper(); return mustSend(t, s, conv, text) }
	for _, after := range []*Service{a, b} {
		c, err := a.Start(ctx, Start{Audience: kb.Particulier, Channel: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if r := send(a, c.ID, "il y a un trou énorme dans la chaussée rue des écoles"); r.Demande == nil || r.Demande.ID != "voirie" {
			t.Fatalf("no demande offered: %+v", r)
		}
		if _, err := a.File(ctx, demandes.Form{ConversationID: c.ID, Kind: "voirie", Description: "Un trou énorme dans la chaussée", Address: "rue des écoles"}); err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"ok merci", "oui"} {
			if r := send(after, c.ID, text); r.Demande != nil || strings.Contains(r.Text, "Déposer la demande") {
				t.Errorf("%q after filing: offers %v again, %q", text, r.Demande, r.Text)
			}
		}
		if r := send(after, c.ID, "il y a un autre trou dans la chaussée place de l'église"); r.Demande == nil || r.Demande.ID != "voirie" {
			t.Fatalf("no second demande offered: %+v", r)
		}
		if r := send(after, c.ID, "oui"); r.Demande == nil || r.Demande.ID != "voirie" {
			t.Errorf("« oui » to a second offer of the same kind: offers %v, %q", r.Demande, r.Text)
		}
	}
}

// TestYesOrNoInSeveralWords: « oui d'accord », « non non », which the engine
// finds nothing in, answer the offer all the same, and are logged as the
// built-in yes or no rather than as a question left unanswered.
func TestYesOrNoInSeveralWords(t *testing.T) {
	s, _, rec := demandeService(t)
	ctx := context.Background()
	for _, tt := range []struct {
		text  string
		yes   bool
		entry string
	}{
		{"oui d'accord", true, kb.ConversationYes},
		{"oui oui", true, kb.ConversationYes},
		{"non non", false, kb.ConversationNo},
		{"nan pas besoin", false, kb.ConversationNo},
	} {
		c, err := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if r, err := s.Send(ctx, c.ID, "il y a un trou énorme dans la chaussée rue des écoles"); err != nil || r.Demande == nil || r.Demande.ID != "voirie" {
			t.Fatalf("no demande offered: %+v %v", r, err)
		}
		r, err := s.Send(ctx, c.ID, tt.text)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case tt.yes && (r.Demande == nil || r.Demande.ID != "voirie" || !strings.Contains(r.Text, "Déposer la demande")):
			t.Errorf("%q to the offer: offers %v, %q", tt.text, r.Demande, r.Text)
		case !tt.yes && (r.Demande != nil || !strings.Contains(r.Text, "aucune demande")):
			t.Errorf("%q to the offer: offers %v, %q", tt.text, r.Demande, r.Text)
		}
		last := rec.evs[len(rec.evs)-1]
		_, pl, err := events.Decode(must(last.Marshal()))
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := pl.(*events.BotDecision); !ok || d.Outcome != string(bot.Smalltalk) || d.EntryID != tt.entry {
			t.Errorf("%q logged as %+v, want %s %s", tt.text, pl, bot.Smalltalk, tt.entry)
		}
	}
}

// A tester of a test campaign (« signalez un nid-de-poule ») is neither
// offered a demande nor able to file one: it would go to the production desk,
// to the town's platform and into the figures, whereas a campaign's traffic
// never counts in production.
func TestCampaignTesterFilesNoRealDemande(t *testing.T) {
	s, desk, _ := demandeService(t)
	ctx := context.Background()
	c, err := s.Start(ctx, Start{Audience: kb.Particulier, Channel: "widget", Campaign: "camp-1"})
	if err != nil {
		t.Fatal(err)
	}
	if r := mustSend(t, s, c.ID, "il y a un trou énorme dans la chaussée rue des écoles"); r.Demande != nil || strings.Contains(r.Text, "code de suivi") {
		t.Errorf("a tester is offered a demande: %v, %q", r.Demande, r.Text)
	}
	_, err = s.File(ctx, demandes.Form{ConversationID: c.ID, Kind: "voirie", Description: "Scénario 2 : un nid-de-poule rue Haute", Address: "rue Haute"})
	if !errors.Is(err, ErrCampaignDemande) {
		t.Errorf("File from a test campaign's conversation: %v, want ErrCampaignDemande", err)
	}
	if list, _ := desk.List(tenant.Everything(), demandes.Filter{}); len(list) > 0 {
		t.Errorf("a test campaign's conversation filed %s, a production demande (agents, platform, figures)", list[0].Code)
	}
}
