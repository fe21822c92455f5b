package auth_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
)

// TestSeedDemo: the demo has one account per role, each signing in with the
// password of this start; a restart (another process reading the same log)
// makes no second account, gives each a new password, refuses the old one and
// signs its sessions out; a demo login someone else took is left alone.
func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	_, pub := eventlogtest.Start(t)
	rec := &recorder{Emitter: pub}
	first := auth.NewAccounts(rec, "montclar")
	if _, err := first.Create(ctx, "agent", "Sam Agent", auth.Agent, "", password, "admin"); err != nil {
		t.Fatal(err)
	}
	ready, skipped, err := first.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(skipped, []string{"agent"}) {
		t.Errorf("skipped %v, want the agent account someone else made", skipped)
	}
	var roles []auth.Role
	for _, d := range ready {
		roles = append(roles, d.Role)
		if len(d.Password) < auth.MinPassword {
			t.Errorf("%s: password %q too short", d.Login, d.Password)
		}
		if _, err := first.SignIn(ctx, d.Login, d.Password, auth.Device{}); err != nil {
			t.Errorf("%s cannot sign in with its printed password: %v", d.Login, err)
		}
	}
	if want := []auth.Role{auth.Admin, auth.Analyst, auth.Expert, auth.Elected}; !slices.Equal(roles, want) {
		t.Errorf("demo roles %v, want %v", roles, want)
	}
	old, _ := first.SignIn(ctx, "analyste", ready[1].Password, auth.Device{})

	// The restart: a process that reads the log so far.
	second := auth.NewAccounts(rec, "montclar")
	for _, env := range rec.envs {
		raw, _ := env.Marshal()
		env, p, err := events.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		second.Apply(env, p)
		first.Apply(env, p) // idempotent for the process that wrote them
	}
	n := len(second.List())
	again, _, err := second.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.List()) != n {
		t.Errorf("%d accounts after a restart, want %d: the demo's were made again", len(second.List()), n)
	}
	for i, d := range again {
		if d.Password == ready[i].Password {
			t.Errorf("%s kept its password across starts", d.Login)
		}
		if _, err := second.SignIn(ctx, d.Login, d.Password, auth.Device{}); err != nil {
			t.Errorf("%s after a restart: %v", d.Login, err)
		}
		if _, err := second.SignIn(ctx, d.Login, ready[i].Password, auth.Device{}); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("%s: the previous start's password still signs in", d.Login)
		}
	}
	// The first process learns the new password from the log: its sessions end.
	for _, env := range rec.envs {
		raw, _ := env.Marshal()
		env, p, _ := events.Decode(raw)
		first.Apply(env, p)
	}
	if _, ok := first.Session(old.Secret); ok {
		t.Error("a session opened with the old password survives the new one")
	}
}
