package projections

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// rollUp recomputes the usage_hourly rows of the given hours (tables named with
// suffix) from the FINAL decisions and conversations.
func rollUp(ctx context.Context, s Store, hours []time.Time, suffix string) error {
	if len(hours) == 0 {
		return nil
	}
	sort.Slice(hours, func(i, j int) bool { return hours[i].Before(hours[j]) })
	// Contiguous hours are recomputed in one statement.
	for i := 0; i < len(hours); {
		j := i
		for j+1 < len(hours) && hours[j+1].Sub(hours[j]) <= time.Hour {
			j++
		}
		if err := rollUpRange(ctx, s, hours[i], hours[j].Add(time.Hour), suffix); err != nil {
			return err
		}
		i = j + 1
	}
	return nil
}

// rollUpRange recomputes [from, to), reading the conversations of those hours
// only (not every conversation ever held). The join is ALL: each conversation has one
// row after FINAL, and an ANY INNER JOIN keeps one row per key on both sides on
// current ClickHouse (chDB), which counted one question per conversation.
func rollUpRange(ctx context.Context, s Store, from, to time.Time, suffix string) error {
	err := s.Exec(ctx, fmt.Sprintf(`INSERT INTO usage_hourly%[1]s (hour, tenant, audience, outcome, entry_id, messages, version)
		SELECT toStartOfHour(at) AS hour, tenant, audience, outcome, top AS entry_id, count() AS messages, %[4]d AS version
		FROM (SELECT conversation_id, tenant, at, outcome, candidates[1] AS top FROM decisions%[1]s FINAL WHERE at >= %[2]s AND at < %[3]s) AS d
		ALL INNER JOIN (SELECT conversation_id, audience FROM conversations%[1]s FINAL WHERE campaign = ''
			AND conversation_id IN (SELECT conversation_id FROM decisions%[1]s WHERE at >= %[2]s AND at < %[3]s)) AS c USING conversation_id
		GROUP BY hour, tenant, audience, outcome, entry_id`, suffix, TimeLit(from), TimeLit(to), time.Now().UnixNano()))
	if err != nil {
		return fmt.Errorf("projections: roll up %s–%s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return nil
}

// RollUpAll recomputes every hour of usage_hourly (tables named with suffix)
// from the FINAL decisions and conversations, as [Replay] does once it has
// projected the whole log.
func RollUpAll(ctx context.Context, s Store, suffix string) error {
	var rows []struct {
		First time.Time `ch:"first"`
		Last  time.Time `ch:"last"`
		N     uint64    `ch:"n"`
	}
	if err := s.Select(ctx, &rows, "SELECT min(at) AS first, max(at) AS last, count() AS n FROM decisions"+suffix); err != nil {
		return err
	}
	if len(rows) == 0 || rows[0].N == 0 {
		return nil
	}
	from := rows[0].First.Truncate(time.Hour)
	for from.Before(rows[0].Last.Add(time.Hour)) {
		// A month at a time keeps each statement small.
		to := from.AddDate(0, 1, 0)
		if err := rollUpRange(ctx, s, from, to, suffix); err != nil {
			return err
		}
		from = to
	}
	return nil
}
