package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// eventually polls check until it returns nil, or fails the test with its last
// error after 30 s: mutations run in the background on a server.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// rowsOf counts the rows of each table whose where clause matches.
func rowsOf(t *testing.T, s Store, where string, tables ...string) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	for _, tbl := range tables {
		n, err := count(context.Background(), s, tbl, where)
		if err != nil {
			t.Fatal(err)
		}
		out[tbl] = n
	}
	return out
}

// mined writes a signal for every citizen message of the conversations, each in
// a group of its conversation labelled with its first question.
func mined(t *testing.T, s Store, evs []events.Envelope, convs ...string) {
	t.Helper()
	var sig []Signal
	var as []Assignment
	var ls []ClusterLabel
	for _, e := range evs {
		u, ok := decode(t, e).(*events.UtteranceReceived)
		if !ok || !slices.Contains(convs, e.ConversationID) {
			continue
		}
		text := u.Text + " " + e.ConversationID
		sig = append(sig, Signal{Turn: Turn{UtteranceID: e.ID, ConversationID: e.ConversationID, Tenant: e.Tenant, At: e.At, Text: text},
			Reasons: []string{"non_repondu"}})
		as = append(as, Assignment{UtteranceID: e.ID, ClusterID: "g-" + e.ConversationID, At: e.At})
		if len(ls) == 0 || ls[len(ls)-1].ID != "g-"+e.ConversationID {
			ls = append(ls, ClusterLabel{ID: "g-" + e.ConversationID, Label: text, Size: 1})
		}
	}
	if err := NewQueries(s).WriteMining(context.Background(), sig, as, ls); err != nil {
		t.Fatal(err)
	}
}

func decode(t *testing.T, e events.Envelope) events.Payload {
	t.Helper()
	raw, _ := e.Marshal()
	_, p, err := events.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func messagesOf(t *testing.T, evs []events.Envelope) []kafka.Message {
	var out []kafka.Message
	for _, e := range evs {
		raw, _ := e.Marshal()
		out = append(out, kafka.Message{Topic: e.Topic(), Value: raw})
	}
	return out
}

// TestEraseConversation erases one conversation of three: nothing of it is left
// in any projection or mining table, its hours are counted again without it, a
// redelivery of its events is skipped, the others are untouched, and erasing it
// again changes nothing.
func TestEraseConversation(t *testing.T) {
	at := yesterdayMorning()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			evs := conversationEvents(t, 3, 3, at)
			evs = append(evs,
				mustEvent(t, "conv-001", at, events.FeedbackGiven{Helpful: false, Comment: "pas clair"}),
				mustEvent(t, "conv-001", at, events.ConversationEnded{Reason: "inactivity"}))
			projectAll(t, s, evs)
			if err := RollUpAll(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			mined(t, s, evs, "conv-001", "conv-002")
			q := NewQueries(s)
			if usage, err := q.Usage(ctx, tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), false); err != nil || len(usage) != 1 || usage[0].Messages != 9 {
				t.Errorf("usage before erasure = %+v %v, want 9 questions", usage, err)
			}
			rec, held, err := q.Record(ctx, tenant.Everything(), "conv-001")
			if err != nil || !held || rec.Started == nil || len(rec.Messages) != 6 || len(rec.Decisions) != 3 ||
				len(rec.Decisions[0].Candidates) != 1 || len(rec.Feedback) != 1 || len(rec.Mining) != 3 || rec.Mining[0].Label == "" {
				t.Fatalf("record before erasure: %+v %v %v", rec, held, err)
			}

			erased := NewErasures()
			erased.Add("conv-001")
			p := NewProjector(ProjectorConfig{Erased: erased}, s, nil)
			if err := p.erase(ctx, []string{"conv-001"}); err != nil {
				t.Fatal(err)
			}
			if _, err := q.EraseMining(ctx, []string{"conv-001"}); err != nil {
				t.Fatal(err)
			}
			all := append(append([]string{}, erasedTables...), "mining_signals")
			eventually(t, "rows of the erased conversation", func() error {
				for tbl, n := range rowsOf(t, s, "conversation_id = 'conv-001'", all...) {
					if n != 0 {
						return fmt.Errorf("%s holds %d rows", tbl, n)
					}
				}
				if n := rowsOf(t, s, "cluster_id = 'g-conv-001'", "mining_assignments", "mining_clusters"); n["mining_assignments"]+n["mining_clusters"] != 0 {
					return fmt.Errorf("its group: %v", n)
				}
				return nil
			})
			if n := rowsOf(t, s, "conversation_id = 'conv-002'", all...); n["messages"] != 6 || n["decisions"] != 3 || n["mining_signals"] != 3 {
				t.Errorf("another conversation lost rows: %v", n)
			}
			usage, err := q.Usage(ctx, tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), false)
			if err != nil || len(usage) != 1 || usage[0].Messages != 6 {
				t.Errorf("usage after erasure = %+v %v, want 6 questions", usage, err)
			}
			if _, held, err := q.Record(ctx, tenant.Everything(), "conv-001"); held || err != nil {
				t.Errorf("something is still held: %v", err)
			}

			// A redelivery of its events is skipped; erasing again changes nothing.
			if err := p.project(ctx, messagesOf(t, evs)); err != nil {
				t.Fatal(err)
			}
			if err := p.erase(ctx, []string{"conv-001"}); err != nil {
				t.Fatal(err)
			}
			o, err := q.Overview(ctx, tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour))
			if err != nil || o.Conversations != 2 || o.Messages != 6 || o.Feedback != 0 {
				t.Errorf("after a redelivery: %+v %v, want 2 conversations and 6 messages", o, err)
			}
		})
	}
}

// TestProjectorErasesAndReplaySkips erases through the log: the projector sees
// conversation.erased on the audit topic, deletes the conversation, skips its
// events when they come again, and a replay from the start of the log reads the
// erasure first and leaves the conversation out.
func TestProjectorErasesAndReplaySkips(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			addr, pub := eventlogtest.Start(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			erased := NewErasures()
			p := NewProjector(ProjectorConfig{Brokers: []string{addr}, Group: "erase-" + name, Flush: 50 * time.Millisecond, Erased: erased}, s, pub)
			done := make(chan error, 1)
			go func() { done <- p.Run(ctx) }()

			at := time.Now().UTC().Truncate(time.Second)
			evs := conversationEvents(t, 4, 2, at)
			if err := pub.Publish(ctx, evs...); err != nil {
				t.Fatal(err)
			}
			q := NewQueries(s)
			waitOverview(t, q, at, Overview{Conversations: 4, Messages: 8})
			if _, err := pub.Emit(ctx, "montclar", "", events.ConversationErased{ConversationID: "conv-002", By: "admin"}); err != nil {
				t.Fatal(err)
			}
			waitOverview(t, q, at, Overview{Conversations: 3, Messages: 6})
			if !erased.Has("conv-002") {
				t.Error("the projector did not record the erasure it projected")
			}
			// The citizen's events come again (an outbox delivered late): skipped.
			if err := pub.Publish(ctx, evs...); err != nil {
				t.Fatal(err)
			}
			more := conversationEvents(t, 1, 1, at)
			for i := range more {
				more[i].ConversationID = "conv-after"
			}
			if err := pub.Publish(ctx, more...); err != nil {
				t.Fatal(err)
			}
			waitOverview(t, q, at, Overview{Conversations: 4, Messages: 7})

			rep, err := Replay(ctx, s, []string{addr}, nil, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Erased != 10 {
				t.Errorf("replay skipped %d events, want the 10 of conv-002", rep.Erased)
			}
			waitOverview(t, q, at, Overview{Conversations: 4, Messages: 7})
			if n := rowsOf(t, s, "conversation_id = 'conv-002'", erasedTables...); n["events"]+n["messages"] != 0 {
				t.Errorf("after replay: %v", n)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("projector: %v", err)
			}
		})
	}
}

// TestAuditSecretsNotStored: the events table keeps audit events without the
// hashes of tokens and passwords, both those projected now and those stored
// before (migration 012).
func TestAuditSecretsNotStored(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Second)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			tok := mustEvent(t, "", at, events.TokenCreated{TokenID: "t1", Name: "Service", Role: "ANALYST", Hash: "5e3fsecret", By: "admin"})
			acc := mustEvent(t, "", at, events.AccountCreated{AccountID: "a1", Login: "c.martin", Name: "Camille", Role: "ELECTED",
				PasswordHash: "$2a$10$secret", By: "admin"})
			projectAll(t, s, []events.Envelope{tok, acc})
			// A row stored by an earlier version, secrets included.
			old := mustEvent(t, "", at, events.TokenCreated{TokenID: "t0", Name: "Ancien", Role: "ADMIN", Hash: "oldsecret", By: "admin"})
			if err := s.Insert(ctx, "events", columns["events"], [][]any{{old.ID, old.Type, uint16(1), old.At, "", "montclar", string(old.Payload)}}); err != nil {
				t.Fatal(err)
			}
			ms, _ := migrations()
			for _, m := range ms {
				if m.version == 12 {
					for _, stmt := range statements(m.sql) {
						if err := s.Exec(ctx, render(stmt, "")); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			eventually(t, "secrets in the events table", func() error {
				var rows []struct {
					ID      string `ch:"id"`
					Payload string `ch:"payload"`
				}
				if err := s.Select(ctx, &rows, "SELECT id, payload FROM events FINAL WHERE type LIKE 'auth.%' ORDER BY id"); err != nil {
					return err
				}
				if len(rows) != 3 {
					return fmt.Errorf("%d audit rows, want 3", len(rows))
				}
				for _, r := range rows {
					var m map[string]any
					if err := json.Unmarshal([]byte(r.Payload), &m); err != nil {
						return fmt.Errorf("payload %s: %v", r.Payload, err)
					}
					if strings.Contains(r.Payload, "secret") || m["hash"] != nil || m["password_hash"] != nil || m["by"] != "admin" {
						return fmt.Errorf("payload %s", r.Payload)
					}
				}
				return nil
			})
		})
	}
}

// project decodes and inserts a batch and rolls up its hours at once, as Run
// does over its two loops (see [Projector.prepare], [Projector.insert]).
func (p *Projector) project(ctx context.Context, msgs []kafka.Message) error {
	b, err := p.prepare(ctx, msgs)
	if err != nil {
		return err
	}
	if err := p.insert(ctx, b); err != nil {
		return err
	}
	hours := map[time.Time]bool{}
	for _, h := range b.hours {
		hours[h] = true
	}
	return p.rollUp(ctx, hours)
}

// TestEraseRetriedAfterAFailedRollup: the rollup that follows an erasure is
// refused (ClickHouse busy, or the process stopping), and the erasure is tried
// again, as the projector's loop does, here or at the next start. The hour's
// other conversations are still counted: the retry finds the hours to
// recompute, although the erased conversation's first deletions went through.
func TestEraseRetriedAfterAFailedRollup(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Hour).Add(-2 * time.Hour)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			projectAll(t, s, conversationEvents(t, 3, 3, at))
			if err := RollUpAll(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			q := NewQueries(s)
			asked := func() int {
				t.Helper()
				usage, err := q.Usage(ctx, tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), false)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, u := range usage {
					n += u.Messages
				}
				return n
			}
			if n := asked(); n != 9 {
				t.Fatalf("usage before erasure counts %d questions, want 9", n)
			}

			store := &noRollup{Store: s}
			store.blocked.Store(true)
			erased := NewErasures()
			erased.Add("conv-001")
			p := NewProjector(ProjectorConfig{Erased: erased}, store, nil)
			if err := p.erase(ctx, []string{"conv-001"}); err == nil {
				t.Fatal("erase succeeded although its rollup was refused")
			}
			store.blocked.Store(false)
			if err := p.erase(ctx, []string{"conv-001"}); err != nil {
				t.Fatal(err)
			}
			eventually(t, "usage after the retried erasure", func() error {
				if n := asked(); n != 6 {
					return fmt.Errorf("usage counts %d questions, want the 6 of the two other conversations", n)
				}
				return nil
			})
		})
	}
}
