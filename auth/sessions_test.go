package auth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
)

// process is an api process's accounts, kept up to date from the audit topic
// of a real broker, as serve does.
func process(t *testing.T, ctx context.Context, broker string, pub auth.Emitter) *auth.Accounts {
	t.Helper()
	a := auth.NewAccounts(pub, "montclar")
	ready := make(chan struct{})
	var once sync.Once
	go eventlog.Follow(ctx, []string{broker}, events.TopicAudit, a.Apply, func() { once.Do(func() { close(ready) }) },
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("the audit topic was not read")
	}
	return a
}

// eventually polls check for up to 10 s: the other process learns from the log.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !check(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s: %s", what)
		}
	}
}

// TestSessionsReachEveryProcess: behind a load balancer, a session opened on one
// api process is good on another, outlives a restart of the one that opened it,
// and an administrator's revocation on either ends it on both. Before, sessions
// lived in the memory of the process that opened them: the other refused the
// cookie, a restart signed everyone out, and an administrator only saw and
// revoked the sessions of the process that served their own requests.
func TestSessionsReachEveryProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	broker, pub := eventlogtest.Start(t)
	a := process(t, ctx, broker, pub)
	if _, err := a.Create(ctx, "elue", "Mme la Maire", auth.Elected, "", password, "admin"); err != nil {
		t.Fatal(err)
	}
	b := process(t, ctx, broker, pub)
	eventually(t, "the account is unknown on the second process", func() bool { return len(b.List()) == 1 })

	laptop, err := a.SignIn(ctx, "elue", password, auth.Device{Address: "192.0.2.1", UserAgent: "portable"})
	if err != nil {
		t.Fatal(err)
	}
	phone, err := b.SignIn(ctx, "elue", password, auth.Device{Address: "192.0.2.2", UserAgent: "téléphone"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the laptop's session is refused on the other process", func() bool {
		s, ok := b.Session(laptop.Secret)
		return ok && s.CSRF == laptop.CSRF && s.Name == "Mme la Maire" && s.Role == auth.Elected
	})
	eventually(t, "an administrator on the first process does not see the phone's session", func() bool { return len(a.Sessions()) == 2 })

	// A restart of the first process: a new one reads the log.
	restarted := process(t, ctx, broker, pub)
	if s, ok := restarted.Session(phone.Secret); !ok || s.Device.UserAgent != "téléphone" {
		t.Fatalf("after a restart the phone's session is %+v, %v", s, ok)
	}

	if err := restarted.RevokeSession(ctx, laptop.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*auth.Accounts{"first": a, "second": b} {
		eventually(t, "the revoked session still signs in on the "+name+" process", func() bool {
			_, ok := p.Session(laptop.Secret)
			return !ok
		})
	}
	if _, ok := b.Session(phone.Secret); !ok {
		t.Error("revoking the laptop's session ended the phone's")
	}
	if err := b.SignOut(ctx, phone.Secret); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a session signed out of on one process lives on another", func() bool {
		_, ok := a.Session(phone.Secret)
		return !ok
	})

	// An account of the identity provider signed out everywhere on one process:
	// the other asks for a fresh authentication too.
	agent, err := b.OpenSession(ctx, "Alex Durand", auth.Analyst, "", "agent-42", auth.Device{})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the provider's session is unknown on the first process", func() bool {
		_, ok := a.Session(agent.Secret)
		return ok
	})
	if err := a.RevokeSession(ctx, "nope", "admin"); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("revoking an unknown session: %v, want ErrNoSession", err)
	}
	before := time.Now()
	if n, err := a.SignOutEverywhere(ctx, agent.AccountID, "admin"); err != nil || n != 1 {
		t.Fatalf("signed out everywhere: %d, %v", n, err)
	}
	eventually(t, "the second process does not ask the provider for a fresh authentication", func() bool {
		at, ok := b.RevokedAt("agent-42")
		return ok && !at.Before(before.Truncate(time.Millisecond))
	})
}
