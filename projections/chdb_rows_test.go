package projections

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A row as chDB writes it (JSONEachRow with the settings Select gives).
const turnLine = `{"utterance_id":"u%d","conversation_id":"c%d","tenant":"","at":"2026-11-30T07:27:04Z","outcome":"ANSWERED","confidence":0.61,"entry_id":"piscine_horaires","text":"horaires de la piscine le dimanche \"été\"","audience":"particulier","top_candidate":"piscine_horaires","candidates":["piscine_horaires","piscine_tarifs"],"scores":[3.2,1.5]}`

func TestDecodeJSONRows(t *testing.T) {
	data := fmt.Sprintf(turnLine+"\n\n"+turnLine+"\n", 1, 1, 2, 1)
	var turns []Turn
	if err := decodeJSONRows([]byte(data), &turns); err != nil {
		t.Fatal(err)
	}
	want := Turn{UtteranceID: "u1", ConversationID: "c1", At: time.Date(2026, 11, 30, 7, 27, 4, 0, time.UTC),
		Outcome: "ANSWERED", Confidence: 0.61, EntryID: "piscine_horaires", Text: `horaires de la piscine le dimanche "été"`,
		Audience: "particulier", TopCandidate: "piscine_horaires", Candidates: []string{"piscine_horaires", "piscine_tarifs"}, Scores: []float64{3.2, 1.5}}
	if len(turns) != 2 || turns[1].UtteranceID != "u2" {
		t.Fatalf("got %d rows: %+v", len(turns), turns)
	}
	if !turns[0].At.Equal(want.At) {
		t.Fatalf("at: got %v, want %v", turns[0].At, want.At)
	}
	turns[0].At = want.At
	if !reflect.DeepEqual(turns[0], want) {
		t.Fatalf("got %+v\nwant %+v", turns[0], want)
	}

	// A column the row type does not name is skipped; a field without a
	// ch tag keeps its zero value.
	type partial struct {
		ID   string `ch:"utterance_id"`
		Note string
	}
	var ps []partial
	if err := decodeJSONRows([]byte(`{"utterance_id":"u9","Note":"x","other":[1,2]}`), &ps); err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0] != (partial{ID: "u9"}) {
		t.Fatalf("got %+v", ps)
	}
}

func TestDecodeJSONRowsErrors(t *testing.T) {
	var turns []Turn
	err := decodeJSONRows([]byte(fmt.Sprintf(turnLine, 1, 1)+"\n"+`{"utterance_id":3}`), &turns)
	if err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Fatalf("a wrong type on the second row: got %v, want an error naming row 2", err)
	}
	if err := decodeJSONRows([]byte(`{"utterance_id":"u1"} {"utterance_id":"u2"}`), &turns); err == nil || !strings.Contains(err.Error(), "after the row") {
		t.Fatalf("two objects on one line: got %v, want an error", err)
	}
	var n int
	if err := decodeJSONRows([]byte(`{}`), &n); err == nil {
		t.Fatal("decoding into an int: no error")
	}
	type embedded struct{ Turn }
	var es []embedded
	if err := decodeJSONRows([]byte(`{}`), &es); err == nil || !strings.Contains(err.Error(), "exported and named") {
		t.Fatalf("an embedded field: got %v", err)
	}
}

// BenchmarkDecodeJSONRows decodes 10,000 of the miner's rows.
func BenchmarkDecodeJSONRows(b *testing.B) {
	var sb strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&sb, turnLine+"\n", i, i/3)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	var turns []Turn
	for b.Loop() {
		if err := decodeJSONRows(data, &turns); err != nil {
			b.Fatal(err)
		}
	}
}
