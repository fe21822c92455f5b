package projections

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Retention: conversations are kept a number of days, in ClickHouse as on the
// conversations topic. Expired rows are deleted by a periodic ALTER TABLE …
// DELETE WHERE <time> < cutoff, run by the projector role, rather than by a
// table TTL: TTL does not exist on the ClickHouse 18.16 that CI runs, a mutation
// works on every version and on chDB alike (one mechanism, tested on both), and
// the period is a flag that can change without altering the tables.

// retained lists the tables that hold conversations, with the column that dates
// a row. The events of the knowledge base and of the audit log are kept, like
// their topics: they are the town's content and its administrators' record, not
// citizens' words. mining_clusters rows are dated by their last regrouping; the
// miner also drops the groups that no question holds any more.
var retained = []struct{ table, column, where string }{
	{"events", "at", " AND conversation_id != ''"},
	{"conversations", "started_at", ""},
	{"messages", "at", ""},
	{"decisions", "at", ""},
	{"feedback", "at", ""},
	{"usage_hourly", "hour", ""},
	{"suggestion_choices", "at", ""},
	{"mining_signals", "at", ""},
	{"mining_assignments", "at", ""},
	{"mining_clusters", "updated_at", ""},
}

// Expire deletes the rows older than cutoff from every table that holds
// conversations. A table is left alone when nothing in it is older, or while a
// mutation of it is still pending (the next run will see); the deletions run in
// the background. It returns the tables it submitted a deletion to.
func Expire(ctx context.Context, s Store, cutoff time.Time) ([]string, error) {
	var pending []struct {
		Table string `ch:"table"`
	}
	if err := s.Select(ctx, &pending, "SELECT DISTINCT table FROM system.mutations WHERE database = currentDatabase() AND is_done = 0"); err != nil {
		return nil, fmt.Errorf("projections: retention: pending mutations: %w", err)
	}
	busy := map[string]bool{}
	for _, p := range pending {
		busy[p.Table] = true
	}
	var submitted []string
	for _, r := range retained {
		if busy[r.table] {
			continue
		}
		where := r.column + " < " + TimeLit(cutoff) + r.where
		n, err := count(ctx, s, r.table, where)
		if err != nil {
			return submitted, fmt.Errorf("projections: retention: %s: %w", r.table, err)
		}
		if n == 0 {
			continue
		}
		if err := s.Exec(ctx, "ALTER TABLE "+r.table+" DELETE WHERE "+where); err != nil {
			return submitted, fmt.Errorf("projections: retention: delete from %s: %w", r.table, err)
		}
		submitted = append(submitted, r.table)
	}
	return submitted, nil
}

// RunRetention deletes what is older than days from the tables at start, then
// every hour, until ctx is done. days must be positive.
func RunRetention(ctx context.Context, s Store, days int, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	for {
		cutoff := time.Now().UTC().AddDate(0, 0, -days)
		tables, err := Expire(ctx, s, cutoff)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("retention: expire", slog.Any("error", err))
		case len(tables) > 0:
			log.Info("retention: expired rows deleted", slog.Time("before", cutoff), slog.Any("tables", tables))
		}
		if !sleep(ctx, time.Hour) {
			return nil
		}
	}
}
