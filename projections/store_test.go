package projections

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// stores returns the stores the suite runs against: the embedded chDB always,
// and a ClickHouse server when PARVIS_TEST_CLICKHOUSE gives its DSN.
func stores(t *testing.T) map[string]Store {
	t.Helper()
	out := map[string]Store{"chdb": sharedChDB(t)}
	if dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE"); dsn != "" {
		s, err := OpenServer(context.Background(), dsn)
		if err != nil {
			t.Fatalf("PARVIS_TEST_CLICKHOUSE=%s: %v", dsn, err)
		}
		t.Cleanup(func() { s.Close() })
		out["server"] = s
	} else {
		t.Log("SKIP server: PARVIS_TEST_CLICKHOUSE is not set (e.g. clickhouse://default:@127.0.0.1:9000/parvis_test)")
	}
	for name, s := range out {
		reset(t, name, s)
	}
	return out
}

var chdb *ChDB

func sharedChDB(t *testing.T) *ChDB {
	t.Helper()
	if chdb == nil {
		dir, err := os.MkdirTemp("", "parvis-chdb-")
		if err != nil {
			t.Fatal(err)
		}
		if chdb, err = OpenChDB(dir); err != nil {
			t.Fatalf("%v", err)
		}
	}
	return chdb
}

// reset drops every table so that each test starts from an empty database.
func reset(t *testing.T, name string, s Store) {
	t.Helper()
	ctx := context.Background()
	for _, tbl := range append(append(Tables, MiningTables...), "schema_migrations") {
		for _, suffix := range []string{"", replaySuffix, "_old"} {
			if err := s.Exec(ctx, "DROP TABLE IF EXISTS "+tbl+suffix); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	}
	if err := Migrate(ctx, s); err != nil {
		t.Fatalf("%s: migrate: %v", name, err)
	}
}

func mustEvent(t *testing.T, conv string, at time.Time, p events.Payload) events.Envelope {
	t.Helper()
	e, err := events.New("montclar", conv, at, p)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// conversationEvents makes n conversations of m messages each.
func conversationEvents(t *testing.T, n, m int, at time.Time) []events.Envelope {
	var evs []events.Envelope
	for c := range n {
		conv := fmt.Sprintf("conv-%03d", c)
		evs = append(evs, mustEvent(t, conv, at, events.ConversationStarted{Audience: "particulier", Channel: "test"}))
		for i := range m {
			u := mustEvent(t, conv, at, events.UtteranceReceived{Text: fmt.Sprintf("question %d", i)})
			outcome := "ANSWERED"
			if i%3 == 2 {
				outcome = "UNANSWERED"
			}
			d := mustEvent(t, conv, at, events.BotDecision{UtteranceID: u.ID, Outcome: outcome, Confidence: 0.8,
				EntryID: "passeport", Candidates: []events.Candidate{{EntryID: "passeport", Score: 0.7}}, KBVersion: "v1", Reply: "réponse"})
			evs = append(evs, u, d)
		}
	}
	return evs
}

func projectAll(t *testing.T, s Store, evs []events.Envelope) {
	t.Helper()
	b := Batch{}
	for _, e := range evs {
		raw, _ := e.Marshal()
		env, p, err := events.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		b.Project(env, p)
	}
	if err := b.Insert(context.Background(), s, ""); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateIsSafeToRerun(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for range 2 {
				if err := Migrate(context.Background(), s); err != nil {
					t.Fatal(err)
				}
			}
			var rows []struct {
				N uint64 `ch:"n"`
			}
			if err := s.Select(context.Background(), &rows, "SELECT count() AS n FROM schema_migrations FINAL"); err != nil {
				t.Fatal(err)
			}
			ms, _ := migrations()
			if len(rows) != 1 || int(rows[0].N) != len(ms) {
				t.Errorf("schema_migrations holds %v rows, want %d", rows, len(ms))
			}
		})
	}
}

func TestRedeliveryNeverCountsTwice(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Second)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			evs := conversationEvents(t, 10, 6, at)
			projectAll(t, s, evs)
			projectAll(t, s, evs[:len(evs)/2]) // a redelivered half batch
			campaign := mustEvent(t, "conv-campaign", at, events.ConversationStarted{Campaign: "tok"})
			projectAll(t, s, []events.Envelope{campaign, mustEvent(t, "conv-campaign", at, events.UtteranceReceived{Text: "test"})})

			q := NewQueries(s)
			o, err := q.Overview(context.Background(), tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if o.Conversations != 10 || o.Messages != 60 || o.Answered != 40 || o.Unanswered != 20 {
				t.Errorf("overview = %+v, want 10 conversations, 60 messages, 40 answered, 20 unanswered", o)
			}
			msgs, ok, err := q.Conversation(context.Background(), tenant.Everything(), "conv-003")
			if err != nil || !ok || len(msgs) != 12 || msgs[0].Role != "citizen" || msgs[1].Role != "bot" {
				t.Fatalf("conversation = %d messages, %v, %v", len(msgs), ok, err)
			}
			if _, ok, _ := q.Conversation(context.Background(), tenant.Everything(), "x' OR '1'='1"); ok {
				t.Error("a quoted id matched a conversation")
			}
			aud, ten, camp, ok, err := q.ConversationStart(context.Background(), "conv-001")
			if err != nil || !ok || aud != "particulier" || ten != "montclar" || camp != "" {
				t.Errorf("ConversationStart = %q %q %q %v %v", aud, ten, camp, ok, err)
			}
			if _, _, camp, ok, err := q.ConversationStart(context.Background(), "conv-campaign"); err != nil || !ok || camp != "tok" {
				t.Errorf("ConversationStart of a campaign's = %q %v %v", camp, ok, err)
			}
		})
	}
}

// TestRollupCountsEveryQuestion: the hourly rollup counts each question, not one
// per conversation.
func TestRollupCountsEveryQuestion(t *testing.T) {
	at := yesterdayMorning()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			projectAll(t, s, conversationEvents(t, 3, 3, at))
			if err := RollUpAll(context.Background(), s, ""); err != nil {
				t.Fatal(err)
			}
			u, err := NewQueries(s).Usage(context.Background(), tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), false)
			if err != nil || len(u) != 1 || u[0].Messages != 9 || u[0].Answered != 6 || u[0].Unanswered != 3 {
				t.Errorf("usage = %+v %v, want 9 questions, 6 answered, 3 not", u, err)
			}
		})
	}
}

// yesterdayMorning is yesterday at 10:00 UTC: a window of a few hours around
// it is one day in Paris, where usage's days are cut, whatever the hour a test
// runs (two hours before now spanned two days from midnight to 2 a.m. UTC).
func yesterdayMorning() time.Time { return time.Now().UTC().Truncate(24 * time.Hour).Add(-14 * time.Hour) }

// TestMigrationsHaveDistinctNumbers: each embedded migration has its own number.
func TestMigrationsHaveDistinctNumbers(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 13 {
		t.Errorf("%d migrations embedded", len(ms))
	}
}
