package projections

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// longSignals writes n signals of one conversation, each a question of about
// 4 kB (2,000 characters, the longest message the chat takes, accented), each
// in a group of its own labelled with it.
func longSignals(t *testing.T, s Store, conv string, n int, at time.Time) string {
	t.Helper()
	var sig []Signal
	var as []Assignment
	var ls []ClusterLabel
	for i := range n {
		text := fmt.Sprintf("question %d de Jean Dupont ", i) + strings.Repeat("é", 1970)
		id := fmt.Sprintf("%s-u%03d", conv, i)
		sig = append(sig, Signal{Turn: Turn{UtteranceID: id, ConversationID: conv, Tenant: "montclar", At: at, Text: text},
			Reasons: []string{"non_repondu"}})
		as = append(as, Assignment{UtteranceID: id, ClusterID: fmt.Sprintf("g%03d", i), At: at})
		ls = append(ls, ClusterLabel{ID: fmt.Sprintf("g%03d", i), Label: text, Size: 1})
	}
	if err := NewQueries(s).WriteMining(context.Background(), sig, as, ls); err != nil {
		t.Fatal(err)
	}
	return "de Jean Dupont"
}

// TestEraseMiningOfALongConversation: a conversation of 70 long questions
// (each a group's label) is erased from mining's tables, and no statement on
// the way quotes its text (it would pass ClickHouse's max_query_size, 256 KiB,
// and its error, which the miner logs, would quote the citizen).
func TestEraseMiningOfALongConversation(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			at := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
			pii := longSignals(t, s, "conv-long", 70, at)
			_, err := NewQueries(s).EraseMining(ctx, []string{"conv-long"})
			if err != nil {
				t.Errorf("EraseMining: %.300s…", err)
				if strings.Contains(err.Error(), pii) {
					t.Errorf("the error quotes the erased citizen's text %q", pii)
				}
			}
			eventually(t, "the erased conversation's questions", func() error {
				if n := rowsOf(t, s, "conversation_id = 'conv-long'", "mining_signals")["mining_signals"]; n != 0 {
					return fmt.Errorf("mining_signals still holds %d of its questions", n)
				}
				return nil
			})
		})
	}
}

// TestGroupLabelsPastQuerySize: the platform's unanswered groups with 70 long
// labels are read: labelFromPeriod reads them by the groups' ids, not by the
// labels' text (a statement past max_query_size, whose error the API logs).
func TestGroupLabelsPastQuerySize(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			at := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
			pii := longSignals(t, s, "conv-long", 70, at)
			_, err := NewQueries(s).UnansweredClusters(context.Background(), tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), 200, ClusterFilter{})
			if err != nil {
				t.Errorf("UnansweredClusters: %.300s…", err)
				if strings.Contains(err.Error(), pii) {
					t.Errorf("the error quotes a citizen's question %q", pii)
				}
			}
		})
	}
}

// TestErasedConversationIsNoDeadLetter: an event of an erased conversation
// that does not decode (a field this version does not know: a newer producer
// during a rolling upgrade) is dropped, not sent whole, text included, to
// parvis.deadletter, which is kept for ever and which no erasure or retention
// reaches. The envelope decodes before the payload: its conversation is known.
// deadLetters keeps what a projector dead-letters, and why.
type deadLetters struct {
	msgs    []kafka.Message
	reasons []string
}

func (d *deadLetters) DeadLetter(_ context.Context, m kafka.Message, reason string) error {
	d.msgs, d.reasons = append(d.msgs, m), append(d.reasons, reason)
	return nil
}

func TestErasedConversationIsNoDeadLetter(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	at := time.Now().UTC().Truncate(time.Second)
	var msgs []kafka.Message
	for _, conv := range []string{"conv-erased", "conv-kept"} {
		u := mustEvent(t, conv, at, events.UtteranceReceived{Text: "je m'appelle Jean Dupont"})
		u.Payload = []byte(`{"text":"je m'appelle Jean Dupont","lang":"fr"}`) // a field of a later version
		raw, _ := u.Marshal()
		msgs = append(msgs, kafka.Message{Topic: events.TopicConversations, Value: raw})
	}
	erased := NewErasures()
	erased.Add("conv-erased")
	dl := &deadLetters{}
	p := NewProjector(ProjectorConfig{Erased: erased}, s, dl)
	if _, err := p.prepare(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	if len(dl.msgs) != 1 || !strings.Contains(string(dl.msgs[0].Value), "conv-kept") {
		t.Errorf("dead letters %d, want the kept conversation's event alone", len(dl.msgs))
	}
}

// TestDecodeErrorLogsNoText: a malformed event (a field whose type changed
// between versions, a damaged record) is logged and dead-lettered with an
// error that quotes none of the citizen's text (the JSON parser's own errors
// quote the input from the bad value on).
func TestDecodeErrorLogsNoText(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	at := time.Now().UTC().Truncate(time.Second)
	fb := mustEvent(t, "conv-1", at, events.FeedbackGiven{Helpful: true, Comment: "rappelez Jean Dupont au sujet de sa fille"})
	fb.Payload = []byte(`{"helpful":1,"comment":"rappelez Jean Dupont au sujet de sa fille"}`)
	raw, _ := fb.Marshal()
	dl := &deadLetters{}
	p := NewProjector(ProjectorConfig{Logger: log}, s, dl)
	if _, err := p.prepare(context.Background(), []kafka.Message{{Topic: events.TopicConversations, Value: raw}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "dead-letter") || strings.Contains(logs.String(), "rappelez Jean") {
		t.Errorf("the log says no dead letter, or prints the citizen's text: %s", logs.String())
	}
	if len(dl.reasons) != 1 || strings.Contains(dl.reasons[0], "rappelez Jean") {
		t.Errorf("dead letters' reasons %q: want one, quoting no text", dl.reasons)
	}
}

// TestSuggestionVerdictKeepsNoText: an expert's verdict on a suggestion keeps
// its id and verdict, not the citizen's phrasing (the knowledge base's topic
// and suggestion_reviews are kept for ever, out of erasure's reach), even
// from an event written when the phrasing travelled with it.
func TestSuggestionVerdictKeepsNoText(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	at := time.Now().UTC().Truncate(time.Second)
	projectAll(t, s, []events.Envelope{mustEvent(t, "", at, events.SuggestionReviewed{SuggestionID: "s1", Kind: "alternative",
		EntryID: "cantine", Text: "mon fils Lucas est handicapé", Verdict: "rejected", By: "expert"})})
	var rows []struct {
		Text    string `ch:"text"`
		Verdict string `ch:"verdict"`
	}
	if err := s.Select(context.Background(), &rows, "SELECT text, verdict FROM suggestion_reviews FINAL"); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Verdict != "rejected" || rows[0].Text != "" {
		t.Errorf("suggestion_reviews = %+v, want the verdict alone", rows)
	}
}

// TestStandaloneReplayKeepsALateErasure: `parvis replay --kafka --clickhouse`
// replays with no projector of its own: a conversation erased while it runs
// is deleted from the live tables by the live projector, then must not come
// back when the replay swaps its tables in.
func TestStandaloneReplayKeepsALateErasure(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	addr, pub := eventlogtest.Start(t)
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Second)
	evs := conversationEvents(t, 2, 2, at)
	if err := pub.Publish(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	projectAll(t, s, evs) // what the live projector has projected
	once := false
	_, err := Replay(ctx, s, []string{addr}, nil, nil, func(ReplayReport) {
		if once {
			return
		}
		once = true
		// The administrator erases conv-001 now; the live projector deletes it.
		if _, err := pub.Emit(ctx, "montclar", "", events.ConversationErased{ConversationID: "conv-001", By: "admin"}); err != nil {
			t.Error(err)
		}
		live := NewErasures()
		live.Add("conv-001")
		if err := NewProjector(ProjectorConfig{Erased: live}, s, nil).erase(ctx, []string{"conv-001"}); err != nil {
			t.Error(err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := rowsOf(t, s, "conversation_id = 'conv-001'", "messages")["messages"]; n != 0 {
		t.Errorf("after the replay the erased conversation is back: %d messages", n)
	}
	if n := rowsOf(t, s, "conversation_id = 'conv-000'", "messages")["messages"]; n == 0 {
		t.Error("after the replay the other conversation is gone")
	}
}
