package projections

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
)

// TestExpire keeps a year: older conversations leave every table, mining tables
// included, while recent ones and the knowledge base and audit events stay.
func TestExpire(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	old, recent := now.AddDate(0, 0, -400), now.Add(-time.Hour)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			evs := conversationEvents(t, 2, 2, old)
			for i := range evs {
				evs[i].ConversationID = "old-" + evs[i].ConversationID
			}
			evs = append(evs, conversationEvents(t, 1, 2, recent)...)
			evs = append(evs,
				mustEvent(t, "", old, events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: events.KBEntry{ID: "passeport", Question: "Passeport ?", Answer: "En mairie."}}),
				mustEvent(t, "", old, events.ReplayRequested{By: "admin"}))
			projectAll(t, s, evs)
			if err := RollUpAll(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			mined(t, s, evs, "old-conv-000", "conv-000")

			tables, err := Expire(ctx, s, now.AddDate(0, 0, -365))
			if err != nil {
				t.Fatal(err)
			}
			if want := "events conversations messages decisions usage_hourly mining_signals mining_assignments"; strings.Join(tables, " ") != want {
				t.Errorf("deletions submitted to %v, want %s", tables, want)
			}
			want := map[string]uint64{"events": 2 + 5, "conversations": 1, "messages": 4, "decisions": 2, "usage_hourly": 1,
				"mining_signals": 2, "mining_assignments": 2, "mining_clusters": 2}
			eventually(t, "expired rows", func() error {
				for tbl, n := range want {
					got, err := count(ctx, s, tbl+" FINAL", "1")
					if err != nil {
						return err
					}
					if got != n {
						return fmt.Errorf("%s holds %d rows, want %d", tbl, got, n)
					}
				}
				return nil
			})
			// Nothing older is left: the next run has nothing to do.
			if err := waitMutations(ctx, s, tableNames()); err != nil {
				t.Fatal(err)
			}
			if tables, err := Expire(ctx, s, now.AddDate(0, 0, -365)); err != nil || len(tables) != 0 {
				t.Errorf("second run: %v %v", tables, err)
			}
		})
	}
}

func tableNames() []string {
	var out []string
	for _, r := range retained {
		out = append(out, r.table)
	}
	return out
}
