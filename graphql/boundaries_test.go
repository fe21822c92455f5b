package graphql_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// TestEmptyConversationIDIsNoConversation: an empty id names no conversation:
// exporting it is refused (it would list every event of no conversation, the
// platform's own), erasing it too, and nothing is logged; reading it is null.
func TestEmptyConversationIDIsNoConversation(t *testing.T) {
	tr := newTerritory(t)
	admin := bearer(adminToken)
	before := eventsOnTheLog(t, tr.addr)
	for _, q := range []string{`{ exportConversation(id: "") }`, `mutation { eraseConversation(id: "") }`} {
		if _, got := post(t, tr.c, q, admin); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
			t.Errorf("%s: codes %v, want [BAD_USER_INPUT]", q, got)
		}
	}
	if data, errs := post(t, tr.c, `{ conversation(id: "") { id } }`, admin); len(errs) != 0 || string(data["conversation"]) != "null" {
		t.Errorf("conversation(id: \"\") = %s %v, want null", data["conversation"], errs)
	}
	if after := eventsOnTheLog(t, tr.addr); after != before {
		t.Errorf("refused requests logged %d events", after-before)
	}
	if _, got := post(t, tr.c, `{ kbStudio(first: 0) { entry { id } } }`, admin); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
		t.Errorf("kbStudio(first: 0): codes %v, want [BAD_USER_INPUT]", got)
	}
}

// TestServicesOfATokenAreBounded: a token limited to thousands of services,
// or to a « service » of a page of text, is refused.
func TestServicesOfATokenAreBounded(t *testing.T) {
	tr := newTerritory(t)
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("service %d", i)
	}
	q := `mutation($s: [String!]) { createApiToken(role: EXPERT, name: "essai", services: $s) }`
	for _, s := range [][]string{many, {strings.Repeat("x", 101)}} {
		if _, got := post(t, tr.c, q, bearer(adminToken), client.Var("s", s)); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
			t.Errorf("services %d × %d characters: codes %v, want [BAD_USER_INPUT]", len(s), len(s[0]), got)
		}
	}
	if _, got := post(t, tr.c, q, bearer(adminToken), client.Var("s", []string{"État civil", "Urbanisme"})); len(got) != 0 {
		t.Errorf("two services: %v", got)
	}
}

// TestServicesOfAGrantAreTheGrantors: an administrator limited to some
// services grants tokens and accounts within them: none asked gives its own,
// another service is FORBIDDEN; an administrator of every service grants any.
func TestServicesOfAGrantAreTheGrantors(t *testing.T) {
	c, as, _ := newStudio(t)
	dechets := as("ADMIN", "Alice (déchets)", "Déchets")
	me := func(token string) []string {
		t.Helper()
		var got struct{ Me struct{ Services []string } }
		c.MustPost(`{ me { services } }`, &got, client.AddHeader("Authorization", "Bearer "+token))
		return got.Me.Services
	}
	var tok struct{ CreateAPIToken string }
	c.MustPost(`mutation { createApiToken(role: EXPERT, name: "sans services") }`, &tok, dechets)
	if got := me(tok.CreateAPIToken); len(got) != 1 || got[0] != "Déchets" {
		t.Errorf("a token granted without services by an administrator of « Déchets » sees %q", got)
	}
	c.MustPost(`mutation { createApiToken(role: EXPERT, name: "déchets", services: ["déchets"]) }`, &tok, dechets)
	if got := me(tok.CreateAPIToken); len(got) != 1 || got[0] != "déchets" {
		t.Errorf("a token granted « déchets » sees %q", got)
	}
	for _, q := range []string{
		`mutation { createApiToken(role: EXPERT, name: "état civil", services: ["État civil"]) }`,
		`mutation { createApiToken(role: ADMIN, name: "deux", services: ["Déchets", "Voirie"]) }`,
		`mutation { createAccount(login: "eve", name: "Ève", role: EXPERT, password: "un mot de passe long", services: ["Voirie"]) { id } }`,
	} {
		if _, got := post(t, c, q, dechets); len(got) != 1 || got[0] != "FORBIDDEN" {
			t.Errorf("%s: codes %v, want [FORBIDDEN]", q, got)
		}
	}
	var acc struct{ CreateAccount struct{ ID string } }
	c.MustPost(`mutation { createAccount(login: "paul", name: "Paul", role: EXPERT, password: "un mot de passe long") { id } }`, &acc, dechets)
	admin := client.AddHeader("Authorization", "Bearer "+adminToken)
	c.MustPost(`mutation { createApiToken(role: EXPERT, name: "voirie", services: ["Voirie"]) }`, &tok, admin)
	if got := me(tok.CreateAPIToken); len(got) != 1 || got[0] != "Voirie" {
		t.Errorf("the platform's administrator grants « Voirie »: the token sees %q", got)
	}
}
