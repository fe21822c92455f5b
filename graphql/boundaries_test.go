package graphql_test

import (
	"testing"
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
