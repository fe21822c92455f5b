package graphql_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/graphql"
	"github.com/parvis-civic/parvis/web"
)

// TestMistakesAreSaidInFrench: a request with a wrong audience, a misspelt
// field or argument, or a missing argument is refused as BAD_USER_INPUT with a
// message in French that names the mistake and, for a value, those allowed; a
// tool reading the schema where introspection is off is refused (FORBIDDEN),
// not told of an internal error.
func TestMistakesAreSaidInFrench(t *testing.T) {
	_, res := newServer(t, nil)
	h := web.WithClientAddr(nil, graphql.NewHandler(res, auth.Authenticator{AdminToken: adminToken, Tokens: res.Tokens}, false))
	for _, tt := range []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{"audience written in the request", `mutation { startConversation(audience: MARTIENS) { id } }`, nil,
			"Valeur « MARTIENS » refusée pour Audience : valeurs permises PARTICULIER, ENTREPRISE, ASSOCIATION."},
		{"audience in a variable", `mutation($a: Audience) { startConversation(audience: $a) { id } }`, map[string]any{"a": "martiens"},
			"Valeur « martiens » refusée pour Audience : valeurs permises PARTICULIER, ENTREPRISE, ASSOCIATION."},
		{"misspelt field", `{ kbEntrie { id } }`, nil, "Champ « kbEntrie » inconnu sur le type Query. Vouliez-vous dire kbEntries ?"},
		{"misspelt argument", `{ kbEntries(serch: "x") { id } }`, nil, "Argument « serch » inconnu pour le champ « Query.kbEntries ». Vouliez-vous dire search ?"},
		{"unknown field", `{ kbEntries { id couleur } }`, nil, "Champ « couleur » inconnu sur le type KbEntry. Vérifiez son orthographe."},
		{"introspection", `{ __schema { types { name } } }`, nil,
			"Lecture du schéma (introspection) désactivée sur ce serveur : l'option --graphql-introspection l'active ; les champs sont décrits dans la documentation de l'API."},
		{"missing argument", `mutation { sendMessage(text: "bonjour") { text } }`, nil, "Argument « conversationId » (ID!) obligatoire pour le champ « sendMessage »."},
		{"enum value with a suggestion", `mutation { startConversation(audience: PARTICULIERS) { id } }`, nil,
			"Valeur « PARTICULIERS » refusée pour Audience : valeurs permises PARTICULIER, ENTREPRISE, ASSOCIATION."},
		{"a text for a number", `{ kbEntries(first: "dix") { id } }`, nil, "Valeur refusée : un nombre entier est attendu."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"query": tt.query, "variables": tt.vars})
			req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var resp struct {
				Errors []struct {
					Message    string
					Extensions struct{ Code string }
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) == 0 {
				t.Fatalf("answer %s: %v", rec.Body, err)
			}
			errs := resp.Errors
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Message)
				if want := map[bool]string{true: "FORBIDDEN", false: "BAD_USER_INPUT"}[tt.name == "introspection"]; e.Extensions.Code != want {
					t.Errorf("code %q, want %s", e.Extensions.Code, want)
				}
			}
			if !slices.Contains(msgs, tt.want) {
				t.Errorf("messages %q, want %q", strings.Join(msgs, " | "), tt.want)
			}
		})
	}
}
