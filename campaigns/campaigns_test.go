package campaigns

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
)

type memLog struct{ evs []events.Envelope }

func (l *memLog) Emit(_ context.Context, tenant, conv string, p events.Payload) (events.Envelope, error) {
	e, err := events.New(tenant, conv, time.Now(), p)
	l.evs = append(l.evs, e)
	return e, err
}

// TestCreateAndOpen: a campaign gets an unguessable token, which opens it
// within its dates only; another process replaying the log knows it too.
func TestCreateAndOpen(t *testing.T) {
	log := &memLog{}
	st := NewState()
	cr := &Creator{Log: log, State: st, Tenant: "montclar"}
	now := time.Now()
	c, err := cr.Create(context.Background(), Campaign{Name: " Avant lancement ", Scenarios: []string{"Inscrivez votre fils à la cantine"},
		EndsAt: now.Add(time.Hour)}, "analyste")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Token)
	if err != nil || len(raw)*8 < 128 {
		t.Errorf("token %q: %d bits, %v; want 128 at least", c.Token, len(raw)*8, err)
	}
	if c.Name != "Avant lancement" || len(c.Scenarios) != 1 {
		t.Errorf("campaign = %+v", c)
	}
	if got, err := st.Open(c.Token, now); err != nil || got.ID != c.ID {
		t.Errorf("Open = %+v %v", got, err)
	}
	if _, err := st.Open(c.Token, now.Add(2*time.Hour)); !errors.Is(err, ErrEnded) {
		t.Errorf("Open after the end: %v, want ErrEnded", err)
	}
	for _, tok := range []string{"", "x", strings.ToUpper(c.Token)} {
		if _, err := st.Open(tok, now); !errors.Is(err, ErrUnknown) {
			t.Errorf("Open(%q): %v, want ErrUnknown", tok, err)
		}
	}
	other := NewState()
	for _, e := range log.evs {
		_, p, err := events.Decode(mustMarshal(t, e))
		if err != nil {
			t.Fatal(err)
		}
		other.Apply(e, p)
	}
	if got, err := other.Open(c.Token, now); err != nil || got.Name != c.Name || !got.EndsAt.Equal(c.EndsAt.Truncate(time.Second)) {
		t.Errorf("replayed: %+v %v", got, err)
	}
	c2, err := cr.Create(context.Background(), Campaign{Name: "Après", StartsAt: now.Add(time.Hour)}, "analyste")
	if err != nil || c2.Token == c.Token {
		t.Fatalf("second campaign: %+v %v", c2, err)
	}
	if _, err := st.Open(c2.Token, now); !errors.Is(err, ErrNotStarted) {
		t.Errorf("Open before the start: %v, want ErrNotStarted", err)
	}
	if l := st.List(); len(l) != 2 || l[0].ID != c2.ID {
		t.Errorf("List = %+v, want newest first", l)
	}
	for _, tt := range []struct {
		c    Campaign
		want error
	}{
		{Campaign{Name: ""}, ErrName},
		{Campaign{Name: strings.Repeat("é", MaxName+1)}, ErrName},
		{Campaign{Name: "x", Scenarios: []string{" "}}, ErrScenario},
		{Campaign{Name: "x", Scenarios: make([]string, MaxScenarios+1)}, ErrScenarios},
		{Campaign{Name: "x", StartsAt: now, EndsAt: now.Add(-time.Hour)}, ErrDates},
	} {
		if _, err := cr.Create(context.Background(), tt.c, "a"); !errors.Is(err, tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("Create(%.40v): %v, want %v", tt.c, err, tt.want)
		}
	}
}

func mustMarshal(t *testing.T, e events.Envelope) []byte {
	t.Helper()
	b, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInviteURL(t *testing.T) {
	if got := InviteURL("https://www.montclar.fr/", "T"); got != "https://www.montclar.fr/?campaign=T" {
		t.Error(got)
	}
	if got := InviteURL("https://www.montclar.fr/?lang=fr", "T"); got != "https://www.montclar.fr/?lang=fr&campaign=T" {
		t.Error(got)
	}
}
