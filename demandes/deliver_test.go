package demandes

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/demandes/publik"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// platform is a service platform as a connector sees it: it fails as told,
// then takes submissions and reports the status it is given.
type platform struct {
	mu        sync.Mutex
	failures  map[string]int  // kind → temporary failures left
	refuse    map[string]bool // kind → refused for good
	got       map[string]connector.Submission
	statuses  map[string]connector.RemoteStatus
	submitted int
}

func (p *platform) Name() string { return "plateforme" }

func (p *platform) Submit(_ context.Context, s connector.Submission) (connector.Remote, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.submitted++
	if p.refuse[s.Kind] {
		return connector.Remote{}, errors.New("400: champ « adresse » invalide pour " + s.Email)
	}
	if p.failures[s.Kind] > 0 {
		p.failures[s.Kind]--
		return connector.Remote{}, &connector.TemporaryError{Err: errors.New("503: service indisponible")}
	}
	id := fmt.Sprintf("R%d", len(p.got)+1)
	p.got[id] = s
	return connector.Remote{ID: id, URL: "https://demarches.exemple.fr/" + id}, nil
}

func (p *platform) Status(_ context.Context, r connector.Remote) (connector.RemoteStatus, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.statuses[r.ID]; ok {
		return st, nil
	}
	return connector.RemoteStatus{Status: connector.Recue}, nil
}

func newPlatform() *platform {
	return &platform{failures: map[string]int{}, refuse: map[string]bool{},
		got: map[string]connector.Submission{}, statuses: map[string]connector.RemoteStatus{}}
}

// filePothole files a voirie demande from a fresh conversation.
func filePothole(t *testing.T, desk *Desk, contact string) Demande {
	t.Helper()
	dm, err := desk.File(context.Background(), Form{ConversationID: events.NewID(time.Now()), Kind: "voirie",
		Description: "Nid-de-poule profond devant l'école", Address: "12 rue des Lilas", Contact: contact, Consent: yes()})
	if err != nil {
		t.Fatal(err)
	}
	return dm
}

// publisherFunc publishes with a function.
type publisherFunc func(ctx context.Context, evs ...events.Envelope) error

func (f publisherFunc) Publish(ctx context.Context, evs ...events.Envelope) error {
	return f(ctx, evs...)
}

func TestDeliveryRetriesThenGivesUp(t *testing.T) {
	dir := t.TempDir()
	desk, addr, pub := newDesk(t, dir)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	desk.cfg.Now = func() time.Time { return now }
	ctx := context.Background()
	file := func(kind, contact string) Demande {
		t.Helper()
		dm, err := desk.File(ctx, Form{ConversationID: events.NewID(now), Kind: kind, Description: "Une demande de test assez longue",
			Address: "1 rue de la Paix", Contact: contact})
		if err != nil {
			t.Fatal(err)
		}
		return dm
	}
	flaky := file("voirie", "a@exemple.fr")        // fails twice, then goes
	refused := file("encombrants", "b@exemple.fr") // refused: dead at once
	down := file("proprete", "c@exemple.fr")       // never goes: dead after 3 days
	p := &platform{failures: map[string]int{"voirie": 2, "proprete": 1000}, refuse: map[string]bool{"encombrants": true},
		got: map[string]connector.Submission{}, statuses: map[string]connector.RemoteStatus{}}
	dl := &Deliverer{Desk: desk, Conn: p, GiveUpAfter: 3 * 24 * time.Hour, PollEvery: time.Minute}

	pass := func() {
		t.Helper()
		if err := dl.Pass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	pass()
	get := func(code string) Demande { d, _ := desk.Get(code); return d }
	if d := get(refused.Code).Delivery; !d.Dead || !strings.Contains(d.Error, "[EMAIL]") || strings.Contains(d.Error, "b@exemple.fr") {
		t.Errorf("refused: %+v", d)
	}
	if d := get(flaky.Code).Delivery; d.Delivered || d.Attempts != 1 || !d.NextAt.Equal(now.Add(time.Minute)) {
		t.Errorf("flaky after one pass: %+v", d)
	}
	pass() // too early: nothing tried
	if p.submitted != 3 {
		t.Errorf("%d submissions, want 3 (nothing before its next attempt)", p.submitted)
	}
	now = now.Add(time.Minute)
	pass()
	if d := get(flaky.Code).Delivery; d.Attempts != 2 || !d.NextAt.Equal(now.Add(2*time.Minute)) {
		t.Errorf("flaky after two: %+v", d)
	}
	now = now.Add(2 * time.Minute)
	pass()
	if d := get(flaky.Code).Delivery; !d.Delivered || d.RemoteID == "" || d.Attempts != 3 {
		t.Errorf("flaky after three: %+v", d)
	}
	if s := p.got[get(flaky.Code).Delivery.RemoteID]; s.Email != "a@exemple.fr" || s.Address != "1 rue de la Paix" || s.TrackingCode != flaky.Code {
		t.Errorf("the platform got %+v", s)
	}
	// A process restarted from the log goes on: the back-off and the dead letters hold.
	restarted := deskOn(t, dir, pub)
	for _, ev := range readTopic(t, addr) {
		_, pl, _ := events.Decode(mustMarshal(ev))
		restarted.Apply(ev, pl)
	}
	restarted.cfg.Now = desk.cfg.Now
	dl.Desk = restarted
	now = now.Add(4 * 24 * time.Hour)
	pass()
	if d := get(down.Code).Delivery; d.Delivered {
		t.Errorf("down: %+v", d)
	}
	if d, _ := restarted.Get(down.Code); !d.Delivery.Dead || d.Code != down.Code {
		t.Errorf("down after 4 days: %+v", d.Delivery)
	}
	if d, _ := restarted.Get(refused.Code); !d.Delivery.Dead || d.Delivery.Attempts != 1 {
		t.Errorf("refused tried again after restart: %+v", d.Delivery)
	}
	// The platform's status comes back to the desk, and so to the citizen.
	p.statuses[get(flaky.Code).Delivery.RemoteID] = connector.RemoteStatus{Status: connector.Traitee, Message: "Rebouché."}
	pass() // read a moment ago: not again yet
	if d, _ := restarted.Get(flaky.Code); d.Status != connector.Recue {
		t.Errorf("status read before its time: %s", d.Status)
	}
	now = now.Add(time.Minute)
	pass()
	if d, _ := restarted.Get(flaky.Code); d.Status != connector.Traitee || d.Message != "Rebouché." {
		t.Errorf("status not brought back: %s %q", d.Status, d.Message)
	}
	// The citizen's code still answers, whatever happened to the delivery.
	if reply, _, ok := restarted.Answer(context.Background(), "", "où en est "+down.Code); !ok || !strings.Contains(reply, "reçue") {
		t.Errorf("tracking a dead letter: %q", reply)
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 10: 6 * time.Hour, 100: 6 * time.Hour} {
		if got := backoff(n); got != want {
			t.Errorf("backoff(%d) = %s, want %s", n, got, want)
		}
	}
}

// A citizen has their contact erased while the demande is at the town's
// platform, which then closes it with a message: the message cannot be sealed
// any more, yet the status must reach the desk (the citizen's code must not
// say « en cours » for ever), and the pass goes on.
func TestErasedDemandeStillTakesThePlatformsStatus(t *testing.T) {
	desk := deskOn(t, t.TempDir(), &nopPublisher{})
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	desk.cfg.Now = func() time.Time { return now }
	ctx := context.Background()
	dm := filePothole(t, desk, "a@exemple.fr")
	p := newPlatform()
	dl := &Deliverer{Desk: desk, Conn: p, PollEvery: time.Minute}
	if err := dl.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := desk.Get(dm.Code)
	if !got.Delivery.Delivered {
		t.Fatalf("not delivered: %+v", got.Delivery)
	}
	if _, err := desk.EraseContact(ctx, tenant.Everything(), dm.Code, "request", "admin"); err != nil {
		t.Fatal(err)
	}
	p.statuses[got.Delivery.RemoteID] = connector.RemoteStatus{Status: connector.Traitee, Message: "Rebouché le 3 mars."}
	now = now.Add(2 * time.Minute)
	err := dl.Pass(ctx)
	got, _ = desk.Get(dm.Code)
	if got.Status != connector.Traitee {
		t.Errorf("platform says TRAITEE, desk (and the citizen's code) says %s; Pass: %v", got.Status, err)
	}
	if got.Message != "" {
		t.Errorf("an erased demande shows a message: %q", got.Message)
	}
	if err != nil {
		t.Errorf("Pass: %v", err)
	}
}

// w.c.s. answers 403 « invalid signature » (a key rotated, a clock skewed):
// nothing is wrong with the demande, which must be retried until the key is
// fixed rather than dead-lettered at once.
func TestPlatformRefusingParvisCredentialsIsRetried(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"err":1,"err_desc":"invalid signature"}`))
	}))
	t.Cleanup(srv.Close)
	conn, err := publik.New(publik.Config{BaseURL: srv.URL, Orig: "parvis", Key: "k",
		Kinds: map[string]publik.Form{"voirie": {Slug: "voirie", Description: "description"}}})
	if err != nil {
		t.Fatal(err)
	}
	desk := deskOn(t, t.TempDir(), &nopPublisher{})
	dm := filePothole(t, desk, "a@exemple.fr")
	(&Deliverer{Desk: desk, Conn: conn}).Pass(context.Background())
	if got, _ := desk.Get(dm.Code); got.Delivery.Dead || got.Delivery.NextAt.IsZero() {
		t.Errorf("a 403 from w.c.s. (Parvis's own credentials) is not retried: %+v", got.Delivery)
	}
}
