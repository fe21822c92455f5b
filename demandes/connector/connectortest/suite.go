// Package connectortest is the suite that every connector to a service
// platform passes, run against a fake of that platform written in the
// connector's own tests: the fake checks each call as the platform does and
// answers as it does, so the suite proves the behaviour the delivery path
// relies on (submission, each status, temporary failures told apart from
// refusals) the same way for every platform.
package connectortest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
)

// Platform is the fake of one service platform.
type Platform interface {
	// Connector returns a connector to the fake that maps the kind "voirie"
	// with every field of a Submission the platform can take, and that gives
	// up on a call after at most a second.
	Connector(t *testing.T) connector.Connector
	// Received is the description and tracking code of the demande r as the
	// platform recorded them.
	Received(t *testing.T, r connector.Remote) (description, trackingCode string)
	// Move puts the demande r in the platform's state that means s, with
	// message as the public message to the citizen when the platform has one.
	Move(t *testing.T, r connector.Remote, s connector.Status, message string)
	// Fail makes the platform answer its next call with code, carrying
	// message as the platform words its errors.
	Fail(code int, message string)
	// Hang makes the platform hold its next call past the connector's timeout.
	Hang()
	// Close stops the platform: it refuses connections from then on.
	Close()
}

// Submission is a demande of kind "voirie" with every field filled.
func Submission() connector.Submission {
	return connector.Submission{
		TrackingCode: "MTC-2026-000123-K",
		Tenant:       "montclar",
		Kind:         "voirie",
		FiledAt:      time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC), // 29 Nov in Paris
		Description:  "Nid-de-poule profond devant l'école, rue des Tilleuls",
		Address:      "12 rue des Tilleuls, 34000 Montclar",
		Point:        &connector.Point{Lat: 43.6112, Lon: 3.8767},
		Photo:        &connector.File{Name: "trou.jpg", ContentType: "image/jpeg", Content: []byte("\xff\xd8\xff\xe0 photo")},
		Email:        "jeanne.martin@example.org",
		Phone:        "0612345678",
		Consent:      true,
		Extra:        map[string]string{"date_constat": "27/11/2026", "danger": "oui"},
	}
}

// Run runs the suite; newPlatform starts a fresh fake for each test.
func Run(t *testing.T, newPlatform func(t *testing.T) Platform) {
	ctx := context.Background()
	submit := func(t *testing.T, p Platform, c connector.Connector) connector.Remote {
		t.Helper()
		r, err := c.Submit(ctx, Submission())
		if err != nil {
			t.Fatalf("Submit: %v", err)
		}
		return r
	}

	t.Run("SubmitDelivers", func(t *testing.T) {
		p := newPlatform(t)
		c := p.Connector(t)
		r := submit(t, p, c)
		if r.ID == "" || !strings.HasPrefix(r.URL, "http") {
			t.Fatalf("Remote = %+v, want an id and a URL", r)
		}
		desc, code := p.Received(t, r)
		if want := Submission(); desc != want.Description || code != want.TrackingCode {
			t.Errorf("platform received %q / %q, want %q / %q", desc, code, want.Description, want.TrackingCode)
		}
		if c.Name() == "" {
			t.Error("Name is empty")
		}
	})

	t.Run("EachStatus", func(t *testing.T) {
		p := newPlatform(t)
		c := p.Connector(t)
		r := submit(t, p, c)
		for _, s := range []connector.Status{connector.Recue, connector.EnCours, connector.Traitee, connector.Rejetee} {
			msg := "Message pour " + string(s)
			p.Move(t, r, s, msg)
			got, err := c.Status(ctx, r)
			if err != nil {
				t.Fatalf("Status after %s: %v", s, err)
			}
			if got.Status != s || got.Label == "" {
				t.Errorf("Status = %+v, want %s with a label", got, s)
			}
			if s == connector.Rejetee && got.Message != msg {
				t.Errorf("Message = %q, want %q", got.Message, msg)
			}
		}
	})

	t.Run("ServerErrorsAreTemporary", func(t *testing.T) {
		p := newPlatform(t)
		c := p.Connector(t)
		r := submit(t, p, c)
		for _, code := range []int{500, 502, 503} {
			p.Fail(code, "Erreur interne")
			if _, err := c.Submit(ctx, Submission()); !connector.Temporary(err) {
				t.Errorf("Submit on %d: %v, want a temporary error", code, err)
			}
			p.Fail(code, "Erreur interne")
			if _, err := c.Status(ctx, r); !connector.Temporary(err) {
				t.Errorf("Status on %d: %v, want a temporary error", code, err)
			}
		}
	})

	t.Run("RefusalsCarryThePlatformsMessage", func(t *testing.T) {
		p := newPlatform(t)
		c := p.Connector(t)
		r := submit(t, p, c)
		for _, code := range []int{400, 422} {
			msg := "Formulaire désactivé."
			p.Fail(code, msg)
			_, err := c.Submit(ctx, Submission())
			if err == nil || connector.Temporary(err) || !strings.Contains(err.Error(), msg) {
				t.Errorf("Submit on %d: %v, want a refusal saying %q", code, err, msg)
			}
			p.Fail(code, msg)
			if _, err := c.Status(ctx, r); err == nil || connector.Temporary(err) {
				t.Errorf("Status on %d: %v, want a refusal", code, err)
			}
		}
	})

	// Credentials, a clock or a form's name are fixed on Parvis's side or the
	// platform's: the demande is not at fault and must be retried.
	t.Run("SetupRefusalsAreTemporary", func(t *testing.T) {
		p := newPlatform(t)
		c := p.Connector(t)
		r := submit(t, p, c)
		for _, code := range []int{401, 403, 404} {
			msg := "Signature invalide."
			p.Fail(code, msg)
			_, err := c.Submit(ctx, Submission())
			if !connector.Temporary(err) || !strings.Contains(err.Error(), msg) {
				t.Errorf("Submit on %d: %v, want a temporary error saying %q", code, err, msg)
			}
			p.Fail(code, msg)
			if _, err := c.Status(ctx, r); !connector.Temporary(err) {
				t.Errorf("Status on %d: %v, want a temporary error", code, err)
			}
		}
	})

	t.Run("TimeoutIsTemporary", func(t *testing.T) {
		p := newPlatform(t)
		c := p.Connector(t)
		p.Hang()
		_, err := c.Submit(ctx, Submission())
		if !connector.Temporary(err) {
			t.Fatalf("Submit on a hung platform: %v, want a temporary error", err)
		}
	})

	t.Run("UnreachableIsTemporary", func(t *testing.T) {
		p := newPlatform(t)
		c := p.Connector(t)
		p.Close()
		_, err := c.Submit(ctx, Submission())
		if !connector.Temporary(err) {
			t.Fatalf("Submit on a closed platform: %v, want a temporary error", err)
		}
	})

	t.Run("UnmappedKindIsRefused", func(t *testing.T) {
		p := newPlatform(t)
		c := p.Connector(t)
		s := Submission()
		s.Kind = "inconnu"
		_, err := c.Submit(ctx, s)
		if err == nil || connector.Temporary(err) {
			t.Fatalf("Submit of an unmapped kind: %v, want a refusal", err)
		}
		var te *connector.TemporaryError
		if errors.As(err, &te) {
			t.Fatal("unexpected temporary error")
		}
	})
}
