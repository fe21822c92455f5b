package demandes

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/events"
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
	if reply, _, ok := restarted.Answer("", "où en est "+down.Code); !ok || !strings.Contains(reply, "reçue") {
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
