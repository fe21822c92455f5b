package mining

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/projections/projectionstest"
	"github.com/parvis-civic/parvis/tenant"
)

// stores returns the embedded ClickHouse, and a server when
// PARVIS_TEST_CLICKHOUSE gives its DSN, each migrated and empty.
func stores(t *testing.T) map[string]projections.Store {
	t.Helper()
	ctx := context.Background()
	c, err := projections.OpenChDB(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	out := map[string]projections.Store{"chdb": c}
	if dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE"); dsn != "" {
		s, err := projections.OpenServer(ctx, dsn[:strings.LastIndex(dsn, "/")+1]+"parvis_mining_test")
		if err != nil {
			t.Fatalf("PARVIS_TEST_CLICKHOUSE=%s: %v", dsn, err)
		}
		t.Cleanup(func() { s.Close() })
		for _, tbl := range append(append([]string{}, projections.Tables...), append(projections.MiningTables, "schema_migrations")...) {
			if err := s.Exec(ctx, "DROP TABLE IF EXISTS "+tbl); err != nil {
				t.Fatal(err)
			}
		}
		out["server"] = s
	} else {
		t.Log("SKIP server: PARVIS_TEST_CLICKHOUSE is not set")
	}
	for name, s := range out {
		if err := projections.Migrate(ctx, s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return out
}

// unanswered makes a conversation of questions the bot could not answer.
func unanswered(t *testing.T, conv string, at time.Time, questions ...string) []events.Envelope {
	t.Helper()
	mk := func(p events.Payload) events.Envelope {
		e, err := events.New("montclar", conv, at, p)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	evs := []events.Envelope{mk(events.ConversationStarted{Audience: "particulier"})}
	for _, q := range questions {
		u := mk(events.UtteranceReceived{Text: q})
		evs = append(evs, u, mk(events.BotDecision{UtteranceID: u.ID, Outcome: "UNANSWERED", Confidence: 0.1,
			Candidates: []events.Candidate{{EntryID: "piscine", Score: 0.1}}, KBVersion: "v1", Reply: "Je n'ai pas trouvé."}))
	}
	return evs
}

// TestMinerErase: once a conversation is erased, no group counts, shows or is
// labelled with its questions, and the other questions keep their group.
func TestMinerErase(t *testing.T) {
	at := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	erasedText := "permis de peche pour l etang de montclar madame durand"
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var evs []events.Envelope
			evs = append(evs, unanswered(t, "conv-a", at, erasedText, erasedText+" svp")...)
			evs = append(evs, unanswered(t, "conv-b", at, "permis de peche etang")...)
			evs = append(evs, unanswered(t, "conv-c", at, "ou garer mon camping car")...)
			if err := projectionstest.Rows(evs).Insert(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			q := projections.NewQueries(s)
			erased := projections.NewErasures()
			m := NewMiner(Config{Erased: erased}, q)
			if err := m.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			find := func() (size int, shown bool) {
				cs, err := q.UnansweredClusters(ctx, tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour), 20, projections.ClusterFilter{})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cs {
					texts := append([]string{c.Label}, c.Examples...)
					for _, x := range texts {
						if strings.Contains(x, "etang") {
							size = c.Size
						}
						if strings.Contains(x, "durand") {
							shown = true
						}
					}
				}
				return size, shown
			}
			if size, shown := find(); size != 3 || !shown {
				t.Fatalf("before erasure: the fishing group has %d questions, shows the erased ones: %v", size, shown)
			}

			erased.Add("conv-a")
			if err := m.Erase(ctx, []string{"conv-a"}); err != nil {
				t.Fatal(err)
			}
			if size, shown := find(); size != 1 || shown {
				t.Errorf("after erasure: the fishing group has %d questions (want 1), shows the erased ones: %v", size, shown)
			}
			var rows []struct {
				N uint64 `ch:"n"`
			}
			if err := s.Select(ctx, &rows, "SELECT count() AS n FROM mining_clusters WHERE position(label, 'durand') > 0"); err != nil || rows[0].N != 0 {
				t.Errorf("labels with the erased text: %v %v", rows, err)
			}
			// The next pass and regrouping still leave it out (its decisions are
			// the projector's to delete, and may still be there).
			if err := m.Pass(ctx); err != nil {
				t.Fatal(err)
			}
			if err := m.Regroup(ctx); err != nil {
				t.Fatal(err)
			}
			if size, shown := find(); size != 1 || shown {
				t.Errorf("after a pass: the fishing group has %d questions, shows the erased ones: %v", size, shown)
			}
		})
	}
}

// TestMinerPassFindsLateEvents: a question projected late (its time minutes
// before the last pass, as an outbox delivers after an outage) is missed by
// the passes that look back a minute only, and found by the next one that
// looks back the whole overlap window.
func TestMinerPassFindsLateEvents(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			q := projections.NewQueries(s)
			m := NewMiner(Config{}, q)
			if err := m.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			late := unanswered(t, "conv-late", now.Add(-5*time.Minute), "ou garer mon camping car pres du lac")
			if err := projectionstest.Rows(late).Insert(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			count := func() int {
				cs, err := q.UnansweredClusters(ctx, tenant.Everything(), now.Add(-time.Hour), now.Add(time.Hour), 20, projections.ClusterFilter{})
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, c := range cs {
					n += c.Size
				}
				return n
			}
			if err := m.Pass(ctx); err != nil {
				t.Fatal(err)
			}
			if n := count(); n != 0 {
				t.Fatalf("a pass right after a wide one looked back more than %s: %d questions grouped", nearOverlap, n)
			}
			m.lastWide = time.Time{} // the wide pass is due
			if err := m.Pass(ctx); err != nil {
				t.Fatal(err)
			}
			if n := count(); n != 1 {
				t.Fatalf("the wide pass grouped %d questions, want the late one", n)
			}
		})
	}
}

// A pass's cost decides the rest after it: quick passes keep the schedule,
// a slow one (heavy traffic) leaves the chat four fifths of the time.
func TestRestUntil(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	if got := restUntil(t0, 5*time.Millisecond); !got.Before(t0.Add(2 * time.Second)) {
		t.Fatalf("a 5 ms pass rests until %v: the next tick (2 s) must be free", got.Sub(t0))
	}
	took := 3 * time.Second
	next := restUntil(t0, took)
	if duty := float64(took) / float64(next.Sub(t0)); duty > 0.2+1e-9 {
		t.Fatalf("a 3 s pass is followed by the next at +%v: the miner passes %.0f %% of the time, want at most 20 %%", next.Sub(t0), 100*duty)
	}
	if rest := restUntil(t0, 5*time.Minute).Sub(t0) - 5*time.Minute; rest > maxRest {
		t.Fatalf("after a 5 min pass the miner rests %v, want %v at most", rest, maxRest)
	}
}
