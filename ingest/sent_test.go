package ingest

import (
	"context"
	"errors"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// TestRetriedMessageIsLoggedOnce: a message sent again under its id (its reply
// was lost on the way back to the phone) gets the reply it had and is not
// logged again, on the process that answered it as on another; the same id
// with another text is refused; messages without an id are each logged.
func TestRetriedMessageIsLoggedOnce(t *testing.T) {
	a, b, log := twoProcesses(t, nil)
	ctx := context.Background()
	c, err := a.Start(ctx, Start{Audience: kb.Particulier})
	if err != nil {
		t.Fatal(err)
	}
	utterances := func() (n int, ids []string) {
		log.mu.Lock()
		defer log.mu.Unlock()
		for _, env := range log.evs {
			if env.Type == events.TypeUtteranceReceived {
				raw, _ := env.Marshal()
				_, pl, _ := events.Decode(raw)
				n, ids = n+1, append(ids, pl.(*events.UtteranceReceived).MessageID)
			}
		}
		return n, ids
	}

	first, err := a.SendOnce(ctx, c.ID, "m-1", "horaires de la piscine")
	if err != nil || first.Decision.Entry == nil || first.Decision.Entry.ID != "piscine" {
		t.Fatalf("first send: %+v, %v", first.Decision, err)
	}
	if n, ids := utterances(); n != 1 || ids[0] != "m-1" {
		t.Fatalf("after one message: %d utterances, ids %v; want one, m-1", n, ids)
	}
	for _, p := range []*Service{a, b} {
		again, err := p.SendOnce(ctx, c.ID, "m-1", "horaires de la piscine")
		if err != nil || again.Text != first.Text || again.Decision.Outcome != bot.Answered ||
			again.Decision.Entry == nil || again.Decision.Entry.ID != "piscine" {
			t.Fatalf("retry: %q %+v, %v; want the first reply %q", again.Text, again.Decision.Entry, err, first.Text)
		}
	}
	if n, _ := utterances(); n != 1 {
		t.Fatalf("after two retries: %d utterances, want 1", n)
	}
	if _, err := b.SendOnce(ctx, c.ID, "m-1", "et le samedi ?"); !errors.Is(err, ErrMessageReused) {
		t.Fatalf("another text under the same id: %v, want ErrMessageReused", err)
	}

	// A CLARIFY retried on the other process offers the same choices.
	const vague = "je veux vendre ma voiture, comment faire la carte grise"
	clar, err := b.SendOnce(ctx, c.ID, "m-2", vague)
	if err != nil || clar.Decision.Outcome != bot.Clarify || len(clar.Decision.Choices) < 2 {
		t.Fatalf("%q: %s %+v, %v; want a CLARIFY", vague, clar.Decision.Outcome, clar.Decision.Choices, err)
	}
	again, err := a.SendOnce(ctx, c.ID, "m-2", vague)
	if err != nil || again.Text != clar.Text || len(again.Decision.Choices) != len(clar.Decision.Choices) || again.Decision.Choices[0].ID != clar.Decision.Choices[0].ID {
		t.Fatalf("retried CLARIFY: %+v, %v; want the choices %+v", again.Decision.Choices, err, clar.Decision.Choices)
	}
	for range 2 {
		if _, err := a.Send(ctx, c.ID, "merci"); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := utterances(); n != 4 {
		t.Fatalf("%d utterances, want 4: two named messages once each, two without id each", n)
	}
	if _, err := a.SendOnce(ctx, c.ID, "m-1", "horaires de la piscine"); err != nil {
		t.Fatalf("a retry after other messages: %v", err)
	}
	if n, _ := utterances(); n != 4 {
		t.Fatalf("a late retry was logged: %d utterances", n)
	}
}

func TestValidMessageID(t *testing.T) {
	for id, want := range map[string]bool{
		"": false, "m-1": true, "01J9Z_x": true, "a b": false, "é": false, "x/y": false,
		string(make([]byte, 65)): false, "0123456789012345678901234567890123456789012345678901234567890123": true,
	} {
		if got := ValidMessageID(id); got != want {
			t.Errorf("ValidMessageID(%q) = %v, want %v", id, got, want)
		}
	}
}
