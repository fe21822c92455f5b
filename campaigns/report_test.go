package campaigns

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/projections"
)

func logged(t *testing.T, id, conv string, p events.Payload) projections.LoggedEvent {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return projections.LoggedEvent{ID: id, Type: p.EventType(), ConversationID: conv, Payload: string(b)}
}

// TestBuild: ratings count for the utterance they name, messages belong to the
// scenario finished next, misunderstood phrasings give cases once assigned.
func TestBuild(t *testing.T) {
	in := Input{
		Campaign:      Campaign{ID: "c", Scenarios: []string{"cantine", "passeport"}},
		Conversations: []string{"a", "b", "silent"},
		Turns: []projections.CampaignTurn{
			{ConversationID: "a", UtteranceID: "u1", Text: "cantine inscription", Outcome: "ANSWERED", EntryID: "cantine", KBVersion: "v1"},
			{ConversationID: "a", UtteranceID: "u3", Text: "manger a l'ecole", Outcome: "UNANSWERED", KBVersion: "v1"},
			{ConversationID: "a", UtteranceID: "u5", Text: "papiers pour voyager", Outcome: "ANSWERED", EntryID: "cni", KBVersion: "v1"},
			{ConversationID: "b", UtteranceID: "u7", Text: "Cantine inscription", Outcome: "ANSWERED", EntryID: "cantine", KBVersion: "v2"},
			{ConversationID: "b", UtteranceID: "u8", Text: "météo demain", Outcome: "UNANSWERED", KBVersion: "v1"},
			{ConversationID: "b", UtteranceID: "u9", Text: "pas noté", Outcome: "ANSWERED", EntryID: "cni", KBVersion: "v1"},
		},
		Events: []projections.LoggedEvent{
			logged(t, "u2", "a", events.FeedbackGiven{Helpful: true, UtteranceID: "u1"}),
			logged(t, "u4", "a", events.FeedbackGiven{Helpful: false, UtteranceID: "u3"}),
			logged(t, "u4b", "a", events.ScenarioFinished{Scenario: 0, Done: true}),
			logged(t, "u6", "a", events.FeedbackGiven{Helpful: false, UtteranceID: "u5"}),
			logged(t, "u6b", "a", events.ScenarioFinished{Scenario: 1, Done: false}),
			logged(t, "u7b", "b", events.FeedbackGiven{Helpful: true, UtteranceID: "u7"}),
			logged(t, "u8b", "b", events.FeedbackGiven{Helpful: true, UtteranceID: "u8"}),
		},
		Assigned: map[string]string{"u3": "cantine"},
	}
	r := Build(in)
	if r.Conversations != 3 || r.Testers != 2 || r.Rated != 5 || r.Understood != 3 {
		t.Errorf("report = %d conversations, %d testers, %d rated, %d understood; want 3, 2, 5, 3", r.Conversations, r.Testers, r.Rated, r.Understood)
	}
	if s := r.ByScenario; s[0].Rated != 2 || s[0].Understood != 1 || s[0].Done != 1 || s[1].Rated != 1 || s[1].Finished != 1 || s[1].Done != 0 {
		t.Errorf("by scenario = %+v", s)
	}
	if len(r.ByEntry) != 3 || r.ByEntry[0].EntryID != "cantine" || r.ByEntry[0].Rated != 2 || r.ByEntry[0].Understood != 2 {
		t.Errorf("by entry = %+v", r.ByEntry)
	}
	if len(r.Misunderstood) != 2 || r.Misunderstood[0].ID != "u3" || r.Misunderstood[0].Assigned != "cantine" || r.Misunderstood[0].Scenario != 0 ||
		r.Misunderstood[1].EntryID != "cni" || r.Misunderstood[1].Scenario != 1 {
		t.Errorf("misunderstood = %+v", r.Misunderstood)
	}
	// u1 and u7 are one case; u5 (unassigned) is left out; u8 understood as not answered is "none".
	jsonl := CasesJSONL(r.Cases)
	cases, err := bot.ReadCases(strings.NewReader(jsonl), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.Case{{Text: "cantine inscription", Expected: "cantine"}, {Text: "manger a l'ecole", Expected: "cantine"}, {Text: "météo demain", Expected: "none"}}
	if len(cases) != len(want) {
		t.Fatalf("cases = %+v, want %+v", cases, want)
	}
	for i := range want {
		if cases[i].Text != want[i].Text || cases[i].Expected != want[i].Expected {
			t.Errorf("case %d = %+v, want %+v", i, cases[i], want[i])
		}
	}
	if got := Score(r.Then); got == nil || *got < 0.66 || *got > 0.67 {
		t.Errorf("score then = %v, want 2/3", got)
	}
	if len(r.KBVersions) != 2 || r.KBVersions[0] != "v1" {
		t.Errorf("versions = %v", r.KBVersions)
	}
}
