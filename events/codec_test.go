package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 123456789, time.UTC)
	ev, err := New("montclar", "c1", at, BotDecision{UtteranceID: "u1", Outcome: "ANSWERED", Confidence: 0.9,
		EntryID: "passeport", Candidates: []Candidate{{EntryID: "passeport", Score: 0.8}}, KBVersion: "v1", Reply: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ev.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, p, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got.ID != ev.ID || got.Type != TypeBotDecision || got.V != 1 || !got.At.Equal(at.Truncate(time.Millisecond)) {
		t.Errorf("envelope = %+v, want %+v", got, ev)
	}
	d, ok := p.(*BotDecision)
	if !ok || d.EntryID != "passeport" || len(d.Candidates) != 1 {
		t.Errorf("payload = %#v", p)
	}
	if ev.Topic() != TopicConversations || string(ev.Key()) != "c1" {
		t.Errorf("topic %s key %s", ev.Topic(), ev.Key())
	}
}

func TestIDsSortByTime(t *testing.T) {
	a := NewID(time.Unix(1000, 0))
	b := NewID(time.Unix(1000, 0))
	c := NewID(time.Unix(1001, 0))
	if !(a < b && b < c) {
		t.Errorf("ids not sortable: %s %s %s", a, b, c)
	}
}

func TestDecodeRejects(t *testing.T) {
	valid := func(mut func(m map[string]any)) string {
		m := map[string]any{"id": "01J", "type": "utterance.received", "v": 1, "at": "2026-11-24T09:00:00Z",
			"conversation_id": "c1", "tenant": "t", "payload": map[string]any{"text": "bonjour"}}
		mut(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct {
		name, data, want string
	}{
		{"not json", "{oops", "envelope"},
		{"unknown type", valid(func(m map[string]any) { m["type"] = "utterance.shouted" }), "unknown type"},
		{"future version", valid(func(m map[string]any) { m["v"] = 2 }), "version 2"},
		{"missing id", valid(func(m map[string]any) { delete(m, "id") }), "missing id"},
		{"missing at", valid(func(m map[string]any) { delete(m, "at") }), "missing at"},
		{"unknown envelope field", valid(func(m map[string]any) { m["extra"] = 1 }), "unknown field"},
		{"unknown payload field", valid(func(m map[string]any) { m["payload"] = map[string]any{"txt": "x"} }), "unknown field"},
		{"payload of wrong shape", valid(func(m map[string]any) { m["payload"] = []int{1} }), "payload"},
		{"no conversation", valid(func(m map[string]any) { m["conversation_id"] = "" }), "conversation_id"},
		{"trailing data", valid(func(map[string]any) {}) + "{}", "trailing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Decode([]byte(tt.data))
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode(%s) = %v, want an ErrInvalid mentioning %q", tt.data, err, tt.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	ev, _ := New("t", "c", time.Now(), UtteranceReceived{Text: "bonjour"})
	b, _ := ev.Marshal()
	f.Add(b)
	f.Add([]byte(`{"id":"x","type":"kb.entry.published","v":1,"at":"2026-01-01T00:00:00Z","payload":{"entry":{"id":"a"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		env, p, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		if p == nil || env.ID == "" || env.Type == "" {
			t.Fatalf("accepted an incomplete event: %+v", env)
		}
	})
}

// TestDecodeErrorsQuoteNoText: an event that does not decode is logged and
// dead-lettered with its error, which says where and what, and quotes none of
// the citizen's words around it.
func TestDecodeErrorsQuoteNoText(t *testing.T) {
	const words = "rappelez Jean Dupont"
	envelope := `{"id":"01J0000000000000000000000A","type":"feedback.given","v":1,"at":"2026-11-24T09:00:00Z","conversation_id":"c1","tenant":"t","payload":%s}`
	for _, tt := range []struct{ payload, want string }{
		{`{"helpful":1,"comment":"` + words + `"}`, `field "helpful": a number where bool is wanted`},
		{`{"helpful":"oui","comment":"` + words + `"}`, `field "helpful": a string where bool is wanted`},
		{`{"helpful":true,"comment":"` + words, "malformed JSON"},
		{`{"comment":"` + words + `","helpful":tru}`, "malformed JSON"},
	} {
		_, _, err := Decode([]byte(strings.Replace(envelope, "%s", tt.payload, 1)))
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%s) = %v, want an ErrInvalid saying %q", tt.payload, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "Jean") {
			t.Errorf("Decode(%s): the error quotes the text: %v", tt.payload, err)
		}
	}
}
