package demandes

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// newDesk returns a desk on a real embedded broker, with its key store in dir.
func newDesk(t *testing.T, dir string) (*Desk, string, Publisher) {
	t.Helper()
	addr, pub := eventlogtest.Start(t)
	return deskOn(t, dir, pub), addr, pub
}

func deskOn(t testing.TB, dir string, pub Publisher) *Desk {
	t.Helper()
	keys, err := OpenKeyStore(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	return NewDesk(Config{Tenant: "montclar", Codes: testCodes(t), Kinds: NewKinds(kb.DemoKinds()), Keys: keys}, pub)
}

// readTopic reads parvis.demandes from its start to its end.
func readTopic(t *testing.T, addr string) []events.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var (
		mu  sync.Mutex
		out []events.Envelope
	)
	ready := make(chan struct{})
	var once sync.Once
	go eventlog.Follow(ctx, []string{addr}, events.TopicDemandes, func(env events.Envelope, _ events.Payload) {
		mu.Lock()
		out = append(out, env)
		mu.Unlock()
	}, func() { once.Do(func() { close(ready) }) }, slog.Default())
	select {
	case <-ready:
	case <-ctx.Done():
		t.Fatal("parvis.demandes not read to its end")
	}
	cancel()
	mu.Lock()
	defer mu.Unlock()
	return out
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func TestValidation(t *testing.T) {
	kinds := NewKinds(kb.DemoKinds())
	ok := Form{Kind: "voirie", Description: "Un grand trou dans la chaussée", Address: "12 rue des Lilas", Contact: "jean.dupont@exemple.fr", Consent: yes()}
	tests := []struct {
		name  string
		edit  func(*Form)
		field string
		msg   string
	}{
		{"valid", func(*Form) {}, "", ""},
		{"phone with spaces", func(f *Form) { f.Contact = "06 12 34 56 78" }, "", ""},
		{"phone +33", func(f *Form) { f.Contact = "+33 6 12 34 56 78" }, "", ""},
		{"short form: no consent asked", func(f *Form) { f.Consent = nil }, "", ""},
		{"bad e-mail", func(f *Form) { f.Contact = "jean.dupont@exemple" }, "contact", "adresse électronique n'est pas valide"},
		{"bad phone", func(f *Form) { f.Contact = "06 12 34" }, "contact", "numéro de téléphone n'est pas valide"},
		{"no consent", func(f *Form) { f.Consent = no() }, "consent", "J'accepte d'être contacté"},
		{"unknown kind", func(f *Form) { f.Kind = "piscine" }, "kind", "(« piscine ») n'existe pas"},
		{"too short", func(f *Form) { f.Description = "trou" }, "description", "trop courte"},
		{"too long", func(f *Form) { f.Description = strings.Repeat("a", MaxDescription+1) }, "description", "trop longue"},
		{"no place", func(f *Form) { f.Address = "" }, "address", "Indiquez où"},
		{"no place, short form", func(f *Form) { f.Address = ""; f.Consent = nil; f.Short = true }, "", ""},
		{"point instead", func(f *Form) { f.Address = ""; f.Point = &connector.Point{Lat: 44.5, Lon: 4.7} }, "", ""},
		{"bad point", func(f *Form) { f.Point = &connector.Point{Lat: 144.5, Lon: 4.7} }, "point", "point sur la carte"},
		{"contact required", func(f *Form) { f.Kind = "encombrants"; f.Contact = "" }, "contact", "moyen de vous joindre"},
		{"audience", func(f *Form) { f.Kind = "salle_association"; f.Audience = kb.Particulier }, "kind", "pas ouverte à votre public"},
		{"photo not an image", func(f *Form) { f.Photo = &connector.File{Name: "x.txt", Content: []byte("hello")} }, "photo", "JPEG"},
		{"photo too big", func(f *Form) {
			f.Photo = &connector.File{Name: "x.png", Content: append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, MaxPhoto)...)}
		}, "photo", "trop lourde"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.edit(&f)
			_, err := validate(f, kinds)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var inv InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("want InvalidError, got %v", err)
			}
			for _, v := range inv {
				if v.Field == tt.field && strings.Contains(v.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("no %s problem saying %q in %v", tt.field, tt.msg, inv)
		})
	}
}

// TestCryptoShredding files a demande with an e-mail and a phone: neither is
// on the topic in clear; the agent reads them; once the key is erased, neither
// the live desk nor a desk rebuilt from the log (a replay) can read them.
func TestCryptoShredding(t *testing.T) {
	dir := t.TempDir()
	desk, addr, pub := newDesk(t, dir)
	ctx := context.Background()
	const email, phone = "camille.martin@exemple.fr", "0612345678"
	dm, err := desk.File(ctx, Form{ConversationID: events.NewID(time.Now()), Kind: "voirie",
		Description: "Un trou énorme devant chez moi, écrivez-moi à " + email + " ou au 06 12 34 56 78",
		Address:     "12 bis rue des Lilas, 26000 Montclar", Contact: email, Consent: yes()})
	if err != nil {
		t.Fatal(err)
	}
	if dm.Place != "rue des Lilas" {
		t.Errorf("place %q, want the street without its number", dm.Place)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, connector.EnCours, "Une équipe passe demain.", "rappeler le 06 12 34 56 78", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	got, err := desk.Personal(dm.Code)
	if err != nil || got.Email != email || !strings.Contains(got.Description, email) || got.Address != "12 bis rue des Lilas, 26000 Montclar" {
		t.Fatalf("the agent reads %+v, %v", got, err)
	}
	evs := readTopic(t, addr)
	if len(evs) != 2 {
		t.Fatalf("%d events on the topic, want 2", len(evs))
	}
	for _, ev := range evs {
		raw, _ := ev.Marshal()
		for _, secret := range []string{email, phone, "12 bis", "06 12 34 56 78"} {
			if ev.Type == events.TypeDemandeFiled && strings.Contains(string(raw), secret) {
				t.Errorf("%q in clear on the topic: %s", secret, raw)
			}
		}
	}
	// A desk rebuilt from the log reads the contact while the key lives.
	replayed := deskOn(t, dir, pub)
	for _, ev := range evs {
		_, p, _ := events.Decode(mustMarshal(ev))
		replayed.Apply(ev, p)
	}
	if p, err := replayed.Personal(dm.Code); err != nil || p.Email != email {
		t.Fatalf("rebuilt desk reads %+v, %v", p, err)
	}

	if _, err := desk.EraseContact(ctx, tenant.Everything(), dm.Code, "request", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Personal(dm.Code); !errors.Is(err, ErrErased) {
		t.Errorf("after erasure the live desk reads the contact: %v", err)
	}
	// The filed event is still on the log, sealed: a replay of it, without the
	// erasure event that follows, cannot read it either.
	again := deskOn(t, dir, pub)
	for _, ev := range evs {
		_, p, _ := events.Decode(mustMarshal(ev))
		again.Apply(ev, p)
	}
	if p, err := again.Personal(dm.Code); !errors.Is(err, ErrErased) {
		t.Errorf("a replay after erasure reads %+v, %v", p, err)
	}
	// And the sealed part itself does not open with another demande's key.
	other, err := desk.File(ctx, Form{Kind: "voirie", Description: "Un autre trou dans la rue", Address: "rue des Roses"})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := desk.cfg.Keys.Get(other.Code)
	if err := open(key, dm.Code, again.byCode[dm.Code].Sealed, &Personal{}); err == nil {
		t.Error("a sealed part opens with another key")
	}
}

func TestTrackAnswer(t *testing.T) {
	desk, _, _ := newDesk(t, t.TempDir())
	ctx := context.Background()
	dm, err := desk.File(ctx, Form{Kind: "encombrants", Description: "Un vieux canapé et un frigo à enlever", Address: "3 place du Marché", Contact: "06 12 34 56 78"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, connector.Traitee, "Enlevés ce matin.", "", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	typo := dm.Code[:len(dm.Code)-1] + string("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(strings.IndexByte("0123456789ABCDEFGHJKMNPQRSTVWXYZ", dm.Code[len(dm.Code)-1])+1)%32])
	tests := []struct {
		text string
		want []string // in the reply; nil: not a tracking message
	}{
		{"où en est ma demande " + dm.Code + " ?", []string{dm.Code, "traitée", "Enlevés ce matin."}},
		{"ou en est " + strings.ToLower(strings.ReplaceAll(dm.Code, "-", " ")), []string{"traitée"}},
		{"ma demande " + typo, []string{"mal recopié"}},
		{"où en est ma demande ?", nil}, // no code: see AskCode
		{"comment avoir une carte d'identité", nil},
	}
	for _, tt := range tests {
		reply, logged, ok := desk.Answer(context.Background(), "", tt.text)
		// The log keeps the reply without the agent's words, which travel
		// sealed with the demande's key.
		if strings.Contains(logged, "Enlevés") || ok && logged == "" {
			t.Errorf("Answer(%q) logged as %q", tt.text, logged)
		}
		if ok != (tt.want != nil) {
			t.Errorf("Answer(%q): ok %v, reply %q", tt.text, ok, reply)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(reply, w) {
				t.Errorf("Answer(%q) = %q: no %q", tt.text, reply, w)
			}
		}
		if strings.Contains(reply, "06 12") || strings.Contains(reply, "place du") {
			t.Errorf("personal data in the answer: %q", reply)
		}
	}
}

// TestAskCode: a citizen asking after their own demande without its code is
// asked for it; a question about the town's procedure is not taken for one.
func TestAskCode(t *testing.T) {
	desk, _, _ := newDesk(t, t.TempDir())
	for text, asks := range map[string]bool{
		"où en est ma demande ?":                                                   true,
		"des nouvelles de mon signalement svp":                                     true,
		"Comment suivre une demande de permis de construire ?":                     false,
		"Quel est le suivi d'une demande de logement social ?":                     false,
		"je voudrais faire une demande de changement de statut de mon association": false,
	} {
		reply, ok := desk.AskCode("", text)
		if ok != asks || ok && !strings.Contains(reply, "code de suivi") {
			t.Errorf("AskCode(%q) = %q, %v; want asked %v", text, reply, ok, asks)
		}
	}
}

func TestNumbersFollowOn(t *testing.T) {
	dir := t.TempDir()
	desk, addr, pub := newDesk(t, dir)
	ctx := context.Background()
	for range 3 {
		if _, err := desk.File(ctx, Form{Kind: "proprete", Description: "Dépôt sauvage au coin du parc", Address: "parc Jean Moulin"}); err != nil {
			t.Fatal(err)
		}
	}
	// A restarted process rebuilds its desk from the log and goes on.
	restarted := deskOn(t, dir, pub)
	for _, ev := range readTopic(t, addr) {
		_, p, _ := events.Decode(mustMarshal(ev))
		restarted.Apply(ev, p)
	}
	dm, err := restarted.File(ctx, Form{Kind: "proprete", Description: "Encore des déchets au parc", Address: "parc Jean Moulin"})
	if err != nil {
		t.Fatal(err)
	}
	if dm.Number != 4 {
		t.Errorf("number %d after 3 filed, want 4", dm.Number)
	}
}

// TestTwoDesksNeverShareACode: two processes sharing the key store file at
// once, before either sees the other's event: every code differs.
func TestTwoDesksNeverShareACode(t *testing.T) {
	dir := t.TempDir()
	a, _, pub := newDesk(t, dir)
	b := deskOn(t, dir, pub)
	ctx := context.Background()
	seen := map[string]bool{}
	for i := range 10 {
		desk := a
		if i%2 == 1 {
			desk = b
		}
		dm, err := desk.File(ctx, Form{Kind: "proprete", Description: "Des déchets sur le trottoir", Address: "rue Neuve"})
		if err != nil {
			t.Fatal(err)
		}
		if seen[dm.Code] {
			t.Fatalf("code %s given twice", dm.Code)
		}
		seen[dm.Code] = true
	}
}

// TestLargestPhotoFitsTheLog: a demande with the largest photo allowed goes
// through the log and comes back whole.
func TestLargestPhotoFitsTheLog(t *testing.T) {
	dir := t.TempDir()
	desk, addr, pub := newDesk(t, dir)
	photo := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, MaxPhoto-8)...)
	for i := 8; i < len(photo); i++ {
		photo[i] = byte(i * 7919 >> 3) // not compressible to nothing
	}
	dm, err := desk.File(context.Background(), Form{Kind: "voirie", Description: "Un trou, photo jointe", Address: "rue Basse",
		Photo: &connector.File{Name: "trou.png", Content: photo}})
	if err != nil {
		t.Fatal(err)
	}
	replayed := deskOn(t, dir, pub)
	for _, ev := range readTopic(t, addr) {
		_, p, _ := events.Decode(mustMarshal(ev))
		replayed.Apply(ev, p)
	}
	p, err := replayed.Personal(dm.Code)
	if err != nil || p.Photo == nil || len(p.Photo.Content) != MaxPhoto || p.Photo.ContentType != "image/png" {
		t.Fatalf("photo back from the log: %v", err)
	}
}

// TestEraseConversationErasesItsDemandes: erasing a conversation erases the
// personal part of the demandes filed from it, and of those only.
func TestEraseConversationErasesItsDemandes(t *testing.T) {
	desk, _, _ := newDesk(t, t.TempDir())
	ctx := context.Background()
	conv, other := events.NewID(time.Now()), events.NewID(time.Now())
	mine, _ := desk.File(ctx, Form{ConversationID: conv, Kind: "voirie", Description: "Trou devant l'école", Address: "rue A", Contact: "a@exemple.fr"})
	theirs, _ := desk.File(ctx, Form{ConversationID: other, Kind: "voirie", Description: "Trou devant la poste", Address: "rue B", Contact: "b@exemple.fr"})
	if err := desk.EraseConversation(ctx, conv, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Personal(mine.Code); !errors.Is(err, ErrErased) {
		t.Errorf("the erased conversation's demande: %v", err)
	}
	if p, err := desk.Personal(theirs.Code); err != nil || p.Email != "b@exemple.fr" {
		t.Errorf("another conversation's demande: %+v %v", p, err)
	}
	if got, _ := desk.List(tenant.Everything(), Filter{Conversation: conv}); len(got) != 1 || !got[0].Erased || got[0].Code != mine.Code {
		t.Errorf("listed by conversation: %+v", got)
	}
}

// A publish that fails after the broker took the event (the outbox could not
// store it either) erases the key: the demande is on the log without its
// personal part, and the next citizen must not get the same number, the same
// code.
func TestFailedPublishNeverReusesTheNumber(t *testing.T) {
	var log []events.Envelope
	first := true
	pub := publisherFunc(func(_ context.Context, evs ...events.Envelope) error {
		log = append(log, evs...)
		if first {
			first = false
			return errors.New("eventlog: outbox could not store 1 events: no space left on device")
		}
		return nil
	})
	desk := deskOn(t, t.TempDir(), pub)
	ctx := context.Background()
	if _, err := desk.File(ctx, Form{ConversationID: "c1", Kind: "voirie", Description: "Trou devant le 3 rue Haute", Address: "rue Haute", Contact: "a@exemple.fr"}); err == nil {
		t.Fatal("want the publish error")
	}
	second, err := desk.File(ctx, Form{ConversationID: "c2", Kind: "voirie", Description: "Lampadaire tombé place du Marché", Address: "place du Marché", Contact: "b@exemple.fr"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if strings.Contains(string(e.Payload), second.Code) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d demandes on the log carry %s: after a restart the second citizen's code answers for the first one's", n, second.Code)
	}
}

// Only the street may reach Kafka and ClickHouse (README: « la rue sans
// numéro »); the usual « 12, rue des Lilas » keeps no street at all, and an
// address that starts with the building keeps the flat number.
func TestPlaceIsTheStreetWithoutNumber(t *testing.T) {
	for addr, want := range map[string]string{
		"12, rue des Lilas":                         "rue des Lilas",
		"Résidence les Pins bât B appt 12, 5 rue Y": "rue Y",
		"3 bis allée des Tilleuls":                  "allée des Tilleuls",
		"place du Marché":                           "place du Marché",
		"Bâtiment C, escalier 2":                    "",
	} {
		if got := streetLevel(addr, nil); got != want {
			t.Errorf("streetLevel(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestCodeYearIsTheTownsYear: a demande filed at 00:30 on New Year's Day in
// Paris (still the old year in UTC) has a code of the new year, as its filing
// date says.
func TestCodeYearIsTheTownsYear(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	desk := deskOn(t, t.TempDir(), &nopPublisher{})
	desk.cfg.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 30, 0, 0, paris) }
	if dm := filePothole(t, desk, ""); !strings.Contains(dm.Code, "-2026-") || Date(dm.FiledAt) != "01/01/2026" {
		t.Errorf("filed on %s, code %s", Date(dm.FiledAt), dm.Code)
	}
}
