package dsimplifiees

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/demandes/connector/connectortest"
)

// fakeDS is Démarches Simplifiées as Parvis uses it: the public prefill API
// (which checks the champs against the démarche) and the GraphQL API (which
// checks the bearer token and answers a dossier's state, or not_found while
// the citizen has not filed the prefilled dossier).
type fakeDS struct {
	srv    *httptest.Server
	champs map[string]string // stable id → type: text, date, checkbox

	mu       sync.Mutex
	dossiers map[int]*dsDossier
	fail     *dsFailure
	hang     chan struct{}
	calls    int
}

type dsDossier struct {
	champs     map[string]any
	state      string // "" while prefilled and not filed
	modified   string
	motivation *string
}

type dsFailure struct {
	code int
	msg  string
}

const (
	dsToken    = "jeton-api-ds-montclar"
	dsDemarche = 4217
)

func newFakeDS(t *testing.T) *fakeDS {
	d := &fakeDS{
		champs: map[string]string{
			"Q2hhbXAtMQ==": "text", "Q2hhbXAtMg==": "date", "Q2hhbXAtMw==": "text", "Q2hhbXAtNA==": "text",
			"Q2hhbXAtNQ==": "text", "Q2hhbXAtNg==": "text", "Q2hhbXAtNw==": "text", "Q2hhbXAtOA==": "checkbox",
			"Q2hhbXAtOQ==": "date", "Q2hhbXAtMTA=": "text",
		},
		dossiers: map[int]*dsDossier{},
		hang:     make(chan struct{}),
	}
	d.srv = httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(func() { close(d.hang); d.srv.Close() })
	return d
}

var (
	prefillPath = regexp.MustCompile(`^/api/public/v1/demarches/(\d+)/dossiers$`)
	isoDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

func answer(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func (d *fakeDS) serve(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.calls++
	fail := d.fail
	d.fail = nil
	d.mu.Unlock()
	if fail != nil && fail.code == 0 {
		select {
		case <-d.hang:
		case <-r.Context().Done():
		}
		return
	}
	if fail != nil {
		answer(w, fail.code, map[string]any{"error": fail.msg})
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		answer(w, http.StatusBadRequest, map[string]any{"error": "requête JSON attendue"})
		return
	}
	if m := prefillPath.FindStringSubmatch(r.URL.Path); m != nil {
		d.prefill(w, r, m[1])
		return
	}
	if r.URL.Path == "/api/v2/graphql" {
		d.graphql(w, r)
		return
	}
	answer(w, http.StatusNotFound, map[string]any{"error": "introuvable"})
}

func (d *fakeDS) prefill(w http.ResponseWriter, r *http.Request, demarche string) {
	if demarche != strconv.Itoa(dsDemarche) {
		answer(w, http.StatusNotFound, map[string]any{"error": "la démarche n'existe pas"})
		return
	}
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		answer(w, http.StatusBadRequest, map[string]any{"error": "JSON invalide"})
		return
	}
	champs := map[string]any{}
	for k, v := range in {
		id, ok := strings.CutPrefix(k, "champ_")
		typ, known := d.champs[id]
		if !ok || !known {
			// DS ignores what it cannot prefill; the fake refuses it, so that a
			// wrong key shows in the tests.
			answer(w, http.StatusBadRequest, map[string]any{"error": "champ inconnu : " + k})
			return
		}
		s, isString := v.(string)
		switch {
		case !isString:
			answer(w, http.StatusBadRequest, map[string]any{"error": k + " : texte attendu"})
			return
		case typ == "date" && !isoDate.MatchString(s):
			answer(w, http.StatusBadRequest, map[string]any{"error": k + " : date AAAA-MM-JJ attendue"})
			return
		case typ == "checkbox" && s != "true" && s != "false":
			answer(w, http.StatusBadRequest, map[string]any{"error": k + " : true ou false attendu"})
			return
		}
		champs[id] = s
	}
	n := 1000 + len(d.dossiers)
	d.dossiers[n] = &dsDossier{champs: champs}
	answer(w, http.StatusCreated, map[string]any{
		"dossier_url":           fmt.Sprintf("%s/commencer/signalement?prefill_token=tok%d", d.srv.URL, n),
		"state":                 "prefilled",
		"dossier_id":            fmt.Sprintf("RG9zc2llci0%d", n),
		"dossier_number":        n,
		"dossier_prefill_token": fmt.Sprintf("tok%d", n),
	})
}

func (d *fakeDS) graphql(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+dsToken {
		answer(w, http.StatusUnauthorized, map[string]any{"errors": []map[string]any{{"message": "Jeton d'API invalide"}}})
		return
	}
	var in struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	json.NewDecoder(r.Body).Decode(&in)
	number, ok := in.Variables["number"].(float64)
	if !ok || !strings.Contains(in.Query, "dossier(number: $number)") || !strings.Contains(in.Query, "state") {
		answer(w, http.StatusOK, map[string]any{"errors": []map[string]any{{"message": "requête invalide", "extensions": map[string]any{"code": "bad_request"}}}})
		return
	}
	doss, ok := d.dossiers[int(number)]
	if !ok || doss.state == "" {
		answer(w, http.StatusOK, map[string]any{"data": nil, "errors": []map[string]any{{"message": "Dossier not found", "extensions": map[string]any{"code": "not_found"}}}})
		return
	}
	answer(w, http.StatusOK, map[string]any{"data": map[string]any{"dossier": map[string]any{
		"state": doss.state, "dateDerniereModification": doss.modified, "motivation": doss.motivation,
	}}})
}

// fakeDS as a connectortest.Platform.

func (d *fakeDS) config() Config {
	return Config{
		BaseURL: d.srv.URL, Token: dsToken, Timeout: time.Second,
		Kinds: map[string]Demarche{"voirie": {
			ID: dsDemarche, TrackingCode: "Q2hhbXAtMQ==", FiledAt: "champ_Q2hhbXAtMg==", Description: "Q2hhbXAtMw==",
			Address: "Q2hhbXAtNA==", Point: "Q2hhbXAtNQ==", Email: "Q2hhbXAtNg==", Phone: "Q2hhbXAtNw==", Consent: "Q2hhbXAtOA==",
			Extra: map[string]Champ{"date_constat": {ID: "Q2hhbXAtOQ==", Date: true}, "danger": {ID: "Q2hhbXAtMTA="}},
		}},
	}
}

func (d *fakeDS) Connector(t *testing.T) connector.Connector {
	c, err := New(d.config())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (d *fakeDS) dossier(t *testing.T, r connector.Remote) *dsDossier {
	t.Helper()
	n, _ := strconv.Atoi(r.ID)
	doss, ok := d.dossiers[n]
	if !ok {
		t.Fatalf("DS has no dossier %s", r.ID)
	}
	return doss
}

func (d *fakeDS) Received(t *testing.T, r connector.Remote) (string, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	doss := d.dossier(t, r)
	desc, _ := doss.champs["Q2hhbXAtMw=="].(string)
	code, _ := doss.champs["Q2hhbXAtMQ=="].(string)
	return desc, code
}

var dsStates = map[connector.Status]string{
	connector.Recue: "en_construction", connector.EnCours: "en_instruction",
	connector.Traitee: "accepte", connector.Rejetee: "refuse",
}

func (d *fakeDS) Move(t *testing.T, r connector.Remote, s connector.Status, message string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	doss := d.dossier(t, r)
	doss.state, doss.modified, doss.motivation = dsStates[s], "2026-11-29T06:02:01+01:00", &message
}

func (d *fakeDS) Fail(code int, message string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fail = &dsFailure{code: code, msg: message}
}

func (d *fakeDS) Hang() { d.Fail(0, "") }

func (d *fakeDS) Close() { d.srv.Close() }

func TestConnectorSuite(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connectortest.Platform { return newFakeDS(t) })
}

func TestPrefillSendsChamps(t *testing.T) {
	d := newFakeDS(t)
	c := d.Connector(t)
	r, err := c.Submit(context.Background(), connectortest.Submission())
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "1000" || r.URL != d.srv.URL+"/commencer/signalement?prefill_token=tok1000" {
		t.Errorf("Remote = %+v, want the dossier number and its prefill link", r)
	}
	want := map[string]any{
		"Q2hhbXAtMQ==": "MTC-2026-000123-K", "Q2hhbXAtMg==": "2026-11-29", "Q2hhbXAtNA==": "12 rue des Tilleuls, 34000 Montclar",
		"Q2hhbXAtNQ==": "43.6112, 3.8767", "Q2hhbXAtNg==": "jeanne.martin@example.org", "Q2hhbXAtNw==": "0612345678",
		"Q2hhbXAtOA==": "true", "Q2hhbXAtOQ==": "2026-11-27", "Q2hhbXAtMTA=": "oui",
	}
	got := d.dossiers[1000].champs
	for k, v := range want {
		if got[k] != v {
			t.Errorf("champ_%s = %v, want %v", k, got[k], v)
		}
	}
}

func TestStatusMapping(t *testing.T) {
	d := newFakeDS(t)
	c := d.Connector(t)
	ctx := context.Background()
	r, err := c.Submit(ctx, connectortest.Submission())
	if err != nil {
		t.Fatal(err)
	}
	// Prefilled, not filed yet: GraphQL does not know it.
	got, err := c.Status(ctx, r)
	if err != nil || got.Status != connector.Recue {
		t.Fatalf("prefilled dossier: %+v %v, want RECUE", got, err)
	}
	motif := "Le trottoir relève du département."
	for state, want := range map[string]connector.Status{
		"en_construction": connector.Recue, "en_instruction": connector.EnCours, "accepte": connector.Traitee,
		"refuse": connector.Rejetee, "sans_suite": connector.Rejetee,
	} {
		doss := d.dossiers[1000]
		doss.state, doss.modified, doss.motivation = state, "2026-11-29T06:02:01+01:00", &motif
		got, err := c.Status(ctx, r)
		if err != nil || got.Status != want || got.Message != motif || got.Label == "" {
			t.Errorf("%s: %+v %v, want %s", state, got, err, want)
		}
		if !got.At.Equal(time.Date(2026, 11, 29, 5, 2, 1, 0, time.UTC)) {
			t.Errorf("%s: At = %v", state, got.At)
		}
	}
}

func TestWrongTokenIsRetried(t *testing.T) {
	d := newFakeDS(t)
	cfg := d.config()
	cfg.Token = "mauvais"
	c, _ := New(cfg)
	_, err := c.Status(context.Background(), connector.Remote{ID: "1000"})
	if !connector.Temporary(err) || !strings.Contains(err.Error(), "Jeton d'API invalide") {
		t.Fatalf("wrong token: %v, want DS's message, retried (the token is Parvis's fault)", err)
	}
}

func TestGraphQLTimeoutIsTemporary(t *testing.T) {
	d := newFakeDS(t)
	c := d.Connector(t).(*Connector)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusOK, map[string]any{"errors": []map[string]any{{"message": "Timeout on Query.dossier", "extensions": map[string]any{"code": "timeout"}}}})
	}))
	defer srv.Close()
	c.base.Host = strings.TrimPrefix(srv.URL, "http://")
	if _, err := c.Status(context.Background(), connector.Remote{ID: "1000"}); !connector.Temporary(err) {
		t.Fatalf("GraphQL timeout: %v, want a temporary error", err)
	}
}
