package graphql

import (
	"context"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// TestEntryRefOfConversation: a campaign report's entry that is a built-in
// conversation entry (a tester's « bonjour » on a base without a greeting of
// its own) shows its question, live; an id nothing knows shows as retired.
func TestEntryRefOfConversation(t *testing.T) {
	r := &Resolver{KB: &kb.Writer{State: kb.NewState()}}
	if e := r.entryRef(context.Background(), "conversation_salutation"); e == nil || e.Question != "Bonjour" || e.Status != string(kb.Published) {
		t.Errorf("the built-in greeting: %+v", e)
	}
	if e := r.entryRef(context.Background(), "gone"); e == nil || e.Status != "retired" {
		t.Errorf("an unknown entry: %+v", e)
	}
}
