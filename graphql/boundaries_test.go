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
