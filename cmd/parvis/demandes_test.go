package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// countingPlatform takes a moment to answer, as a real one does (it waits up
// to a second for another submission), and counts the forms it creates.
type countingPlatform struct {
	mu      sync.Mutex
	arrived int
	created int
	both    chan struct{}
}

func (p *countingPlatform) Name() string { return "plateforme" }

func (p *countingPlatform) Submit(ctx context.Context, s connector.Submission) (connector.Remote, error) {
	p.mu.Lock()
	p.arrived++
	if p.arrived == 2 {
		close(p.both)
	}
	p.mu.Unlock()
	select {
	case <-p.both:
	case <-time.After(time.Second):
	case <-ctx.Done():
		return connector.Remote{}, ctx.Err()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.created++
	return connector.Remote{ID: fmt.Sprint(p.created)}, nil
}

func (p *countingPlatform) Status(context.Context, connector.Remote) (connector.RemoteStatus, error) {
	return connector.RemoteStatus{Status: connector.Recue}, nil
}

func (p *countingPlatform) forms() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.created
}

type publisherFunc func(ctx context.Context, evs ...events.Envelope) error

func (f publisherFunc) Publish(ctx context.Context, evs ...events.Envelope) error {
	return f(ctx, evs...)
}

// Two api processes share the key store and each has a desk and a delivery:
// the platform must receive a fresh demande once, not once per process.
func TestTwoAPIProcessesDeliverADemandeOnce(t *testing.T) {
	addr, _ := eventlogtest.Start(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	keys, err := demandes.OpenKeyStore(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatal(err)
	}
	codes, err := demandes.NewCodes("MTC", []byte("un secret de test de trente-deux caractères"))
	if err != nil {
		t.Fatal(err)
	}
	// Each desk learns what the other logs, as both follow parvis.demandes.
	var mu sync.Mutex
	var desks []*demandes.Desk
	fan := publisherFunc(func(_ context.Context, evs ...events.Envelope) error {
		mu.Lock()
		ds := append([]*demandes.Desk(nil), desks...)
		mu.Unlock()
		for _, d := range ds {
			for _, e := range evs {
				data, err := json.Marshal(e)
				if err != nil {
					return err
				}
				_, p, err := events.Decode(data)
				if err != nil {
					return err
				}
				d.Apply(e, p)
			}
		}
		return nil
	})
	cfg := demandes.Config{Tenant: "montclar", Codes: codes, Kinds: demandes.NewKinds(kb.DemoKinds()), Keys: keys, Logger: log}
	a, b := demandes.NewDesk(cfg, fan), demandes.NewDesk(cfg, fan)
	mu.Lock()
	desks = []*demandes.Desk{a, b}
	mu.Unlock()
	dm, err := a.File(context.Background(), demandes.Form{ConversationID: "c1", Kind: "voirie",
		Description: "Nid-de-poule profond devant l'école", Address: "12 rue des Lilas"})
	if err != nil {
		t.Fatal(err)
	}

	p := &countingPlatform{both: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for _, d := range []*demandes.Desk{a, b} {
		dl := &demandes.Deliverer{Desk: d, Conn: p, Every: 100 * time.Millisecond}
		wg.Go(func() { leadDelivery(ctx, []string{addr}, dl, log) })
	}
	deadline := time.Now().Add(30 * time.Second)
	for p.forms() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // the time for a second process to send it too
	if n := p.forms(); n != 1 {
		got, _ := a.Get(dm.Code)
		t.Errorf("the platform holds %d forms for %s, want 1 (delivery: %+v)", n, dm.Code, got.Delivery)
	}
}
