package publik

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/demandes/connector/connectortest"
)

func TestConnectorSuite(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connectortest.Platform { return newFakeWcs(t) })
}

func TestSubmitSendsWhatWcsTakes(t *testing.T) {
	w := newFakeWcs(t)
	c := w.Connector(t)
	r, err := c.Submit(context.Background(), connectortest.Submission())
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "signalement-voirie/1" || r.URL != w.srv.URL+"/signalement-voirie/1/" {
		t.Errorf("Remote = %+v", r)
	}
	d := w.forms[r.ID].data
	want := map[string]any{
		"reference": "MTC-2026-000123-K", "date_demande": "2026-11-29", "date_constat": "2026-11-27",
		"adresse": "12 rue des Tilleuls, 34000 Montclar", "courriel": "jeanne.martin@example.org",
		"telephone": "0612345678", "accord_contact": true, "danger": "oui",
	}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s = %v, want %v", k, d[k], v)
		}
	}
	if p := d["localisation"].(map[string]any); p["lat"] != 43.6112 || p["lon"] != 3.8767 {
		t.Errorf("localisation = %v", p)
	}
	photo := d["photo"].(map[string]any)
	content, _ := base64.StdEncoding.DecodeString(photo["content"].(string))
	if photo["filename"] != "trou.jpg" || photo["content_type"] != "image/jpeg" || string(content) != "\xff\xd8\xff\xe0 photo" {
		t.Errorf("photo = %v", photo)
	}
	// The call is signed with orig first and the signature last.
	call := w.calls[0]
	if !strings.Contains(call, "/submit?orig=parvis.montclar.fr&algo=sha256&timestamp=") || !strings.Contains(call, "&nonce=") {
		t.Errorf("call %s is not signed as w.c.s. expects", call)
	}
}

func TestSubmitRefusesABadDate(t *testing.T) {
	w := newFakeWcs(t)
	c := w.Connector(t)
	s := connectortest.Submission()
	s.Extra["date_constat"] = "hier"
	_, err := c.Submit(context.Background(), s)
	if err == nil || connector.Temporary(err) || len(w.calls) != 0 {
		t.Fatalf("Submit with a bad date: %v (%d calls), want a refusal before any call", err, len(w.calls))
	}
}

func TestWcsRefusesReplayAndStaleTimestamp(t *testing.T) {
	w := newFakeWcs(t)
	c := w.Connector(t).(*Connector)
	ctx := context.Background()

	// A replayed call: the same nonce twice.
	c.nonce = func() string { return "0123456789abcdef0123456789abcdef" }
	if _, err := c.Submit(ctx, connectortest.Submission()); err != nil {
		t.Fatal(err)
	}
	_, err := c.Submit(ctx, connectortest.Submission())
	if !connector.Temporary(err) || !strings.Contains(err.Error(), "Nonce already used.") {
		t.Errorf("replayed nonce: %v, want w.c.s.'s refusal, retried (with a new nonce)", err)
	}

	// A clock 31 s late.
	c.nonce = newNonce
	c.now = func() time.Time { return time.Now().Add(-31 * time.Second) }
	_, err = c.Submit(ctx, connectortest.Submission())
	if !connector.Temporary(err) || !strings.Contains(err.Error(), "timestamp is more than 30 seconds") {
		t.Errorf("stale timestamp: %v, want w.c.s.'s refusal, retried (the clock is Parvis's fault)", err)
	}

	// A wrong key.
	c.now = time.Now
	c.cfg.Key = "pas-la-bonne-cle"
	_, err = c.Submit(ctx, connectortest.Submission())
	if !connector.Temporary(err) || !strings.Contains(err.Error(), "Invalid signature.") {
		t.Errorf("wrong key: %v, want w.c.s.'s refusal, retried (the key is Parvis's fault)", err)
	}
}

func TestErrNonZeroIsARefusal(t *testing.T) {
	w := newFakeWcs(t)
	c := w.Connector(t)
	// w.c.s. answers some refusals 200 with err 1.
	w.Fail(http.StatusOK, "Seulement une demande par usager est autorisée.")
	_, err := c.Submit(context.Background(), connectortest.Submission())
	if err == nil || connector.Temporary(err) || !strings.Contains(err.Error(), "Seulement une demande par usager") {
		t.Fatalf("err 1 with 200: %v, want a refusal with w.c.s.'s message", err)
	}
}

func TestStatusMapping(t *testing.T) {
	w := newFakeWcs(t)
	cfg := w.config()
	cfg.Statuses = map[string]connector.Status{"wf-attente-pieces": connector.EnCours, "Classé": connector.Traitee}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := c.Submit(ctx, connectortest.Submission())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		real, shown map[string]any
		want        connector.Status
		wantErr     error
	}{
		{map[string]any{"id": "just_submitted", "name": "Nouveau"}, nil, connector.Recue, nil},
		{map[string]any{"id": "2", "name": "En cours"}, nil, connector.EnCours, nil},
		{map[string]any{"id": "3", "name": "TERMINE", "endpoint": true}, nil, connector.Traitee, nil},
		{map[string]any{"id": "3", "name": "Accepté", "endpoint": true}, nil, connector.Traitee, nil},
		{map[string]any{"id": "4", "name": "Refusé", "endpoint": true}, nil, connector.Rejetee, nil},
		{map[string]any{"id": "4", "name": "rejete", "endpoint": true}, nil, connector.Rejetee, nil},
		// w.c.s.'s default workflow, by id; « Accepté » there is no end.
		{map[string]any{"id": "finished", "name": "Finished", "endpoint": true}, nil, connector.Traitee, nil},
		{map[string]any{"id": "accepted", "name": "Accepté", "endpoint": false}, nil, connector.EnCours, nil},
		{map[string]any{"id": "5", "name": "Accepté", "endpoint": false}, nil, connector.EnCours, nil},
		// Older w.c.s. without "endpoint": the name decides.
		{map[string]any{"id": "6", "name": "Terminé"}, nil, connector.Traitee, nil},
		// Configured, by id and by name, before the defaults.
		{map[string]any{"id": "wf-attente-pieces", "name": "Terminé"}, nil, connector.EnCours, nil},
		{map[string]any{"id": 9, "name": "Classé", "endpoint": true}, nil, connector.Traitee, nil},
		// A hidden status: the one shown to the citizen names it.
		{map[string]any{"id": "7", "name": "Contrôle interne"}, map[string]any{"id": "2", "name": "En cours"}, connector.EnCours, nil},
		// Unknown: going on, or ended (Parvis cannot tell how).
		{map[string]any{"id": "8", "name": "Chez le prestataire"}, nil, connector.EnCours, nil},
		{map[string]any{"id": "9", "name": "Archivé", "endpoint": true}, nil, "", ErrUnmappedStatus},
	}
	for _, tt := range tests {
		f := w.forms[r.ID]
		f.real, f.status = tt.real, tt.shown
		if tt.shown == nil {
			f.status = tt.real
		}
		got, err := c.Status(ctx, r)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%v: %v, want %v", tt.real, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.Status != tt.want || got.Label != tt.real["name"] {
			t.Errorf("%v: %+v %v, want %s", tt.real, got, err, tt.want)
		}
	}
	// w.c.s.'s local time, read in Paris.
	w.forms[r.ID].real = map[string]any{"id": "2", "name": "En cours", "latest_arrival_datetime": "2026-11-29T06:02:01"}
	got, _ := c.Status(ctx, r)
	if want := time.Date(2026, 11, 29, 5, 2, 1, 0, time.UTC); !got.At.Equal(want) {
		t.Errorf("At = %v, want %v", got.At, want)
	}
}

func TestCallbackDefaultOrigin(t *testing.T) {
	w := newFakeWcs(t)
	c := w.Connector(t).(*Connector)
	// By default, the w.c.s. of base_url, by its host name, with the same key.
	host := strings.Split(strings.TrimPrefix(w.srv.URL, "http://"), ":")[0]
	req, _ := http.NewRequest(http.MethodPost, "http://parvis/cb?"+signQuery("", host, []byte(wcsKey), time.Now(), newNonce()), nil)
	if err := c.Verifier().Verify(req); err != nil {
		t.Fatalf("call from the configured w.c.s.: %v", err)
	}
}

// TestFindTheFormOfATrackingCode: a form already filed is found by its
// tracking code (signed like every call), so that a submission whose answer
// was lost is not filed twice; another code finds nothing.
func TestFindTheFormOfATrackingCode(t *testing.T) {
	w := newFakeWcs(t)
	c := w.Connector(t).(*Connector)
	ctx := context.Background()
	sub := connectortest.Submission()
	if _, found, err := c.Find(ctx, sub); err != nil || found {
		t.Fatalf("before any submission: found %v, %v", found, err)
	}
	filed, err := c.Submit(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := c.Find(ctx, sub)
	if err != nil || !found || got.ID != filed.ID {
		t.Errorf("Find = %+v, %v, %v; want %+v", got, found, err, filed)
	}
	other := sub
	other.TrackingCode = "MTC-2026-000124-Z"
	if _, found, err := c.Find(ctx, other); err != nil || found {
		t.Errorf("another code: found %v, %v", found, err)
	}
	if call := w.calls[len(w.calls)-1]; !strings.Contains(call, "/list?filter-reference=MTC-2026-000124-Z&full=on&orig=") || !strings.Contains(call, "&signature=") {
		t.Errorf("call %s is not a signed, filtered list", call)
	}
}
