package projections

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parvis-civic/parvis/events"
)

// Erasures is the set of conversations erased at a citizen's request, built from
// the conversation.erased events of the audit topic, which every process follows
// from its beginning. The [Projector] and [Replay] skip the events of an erased
// conversation and the projector deletes its rows; the miner does the same for
// the mining tables. It is safe for concurrent use; a nil *Erasures is empty.
type Erasures struct {
	mu      sync.Mutex
	ids     map[string]bool
	order   []string      // in the order they were erased
	changed chan struct{} // closed at the next addition
}

// NewErasures returns an empty set.
func NewErasures() *Erasures {
	return &Erasures{ids: map[string]bool{}, changed: make(chan struct{})}
}

// Apply records a conversation.erased event and ignores any other: the function
// that follows the audit topic.
func (e *Erasures) Apply(_ events.Envelope, p events.Payload) {
	if er, ok := p.(*events.ConversationErased); ok {
		e.Add(er.ConversationID)
	}
}

// Add records that a conversation is erased.
func (e *Erasures) Add(id string) {
	if e == nil || id == "" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ids[id] {
		return
	}
	e.ids[id] = true
	e.order = append(e.order, id)
	close(e.changed)
	e.changed = make(chan struct{})
}

// Has reports whether a conversation is erased.
func (e *Erasures) Has(id string) bool {
	if e == nil || id == "" {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ids[id]
}

// Since returns the conversations erased after the first n, the n to ask with
// next time, and a channel closed at the next erasure: a follower's cursor.
func (e *Erasures) Since(n int) (ids []string, next int, changed <-chan struct{}) {
	if e == nil {
		return nil, 0, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if n < len(e.order) {
		ids = append(ids, e.order[n:]...)
	}
	return ids, len(e.order), e.changed
}

// erasedTables are the projection tables that hold rows of a conversation, with
// its id in conversation_id; usage_hourly holds counts only, recomputed.
var erasedTables = append(slices.Clone(erasedFirst), "decisions")

// erasedFirst are erasedTables but decisions, which [Projector.erase] deletes
// last.
var erasedFirst = []string{"events", "conversations", "messages", "feedback", "suggestion_choices", "demandes", "demande_changes"}

// erase removes every row of the conversations from the projection tables and
// recomputes the hours of usage_hourly they counted in. The deletions are
// mutations, asynchronous on a server: they are submitted under the batch lock,
// so that a batch that read the set before these ids joined it is inserted before
// them and covered; later batches skip the ids. erase then waits for the
// mutations, so that the rollup is recomputed without the conversations, and
// returns once nothing of them is left. Conversations with no row left are
// skipped, so running it again (at every start) costs a few reads.
//
// The decisions go last, once their hours are recomputed: they are what tells
// which hours to recompute, and the rollup, which joins them with the
// conversations (deleted first), no longer counts them. An erasure stopped in
// between (a refused rollup, the process stopping) finds those hours again
// when it is run again, instead of leaving them deleted from usage_hourly with
// every other conversation of theirs.
func (p *Projector) erase(ctx context.Context, ids []string) error {
	start := time.Now()
	tables, err := eraseRows(ctx, p.store, ids, &p.mu)
	if err != nil || len(tables) == 0 {
		return err
	}
	erased.Add(float64(len(ids)))
	p.cfg.Logger.Info("projector: conversations erased", slog.Int("conversations", len(ids)),
		slog.String("tables", strings.Join(tables, ",")), slog.Duration("took", time.Since(start)))
	return nil
}

// eraseRows is the erasure of [Projector.erase], and returns the tables it
// deleted from (none: nothing of the conversations was left). batch is held
// while the deletions are submitted and the hours rolled up again: the
// projector's batch lock, or a lock of its own where no projector runs.
func eraseRows(ctx context.Context, s Store, ids []string, batch sync.Locker) ([]string, error) {
	batch.Lock()
	hours, err := erasedHours(ctx, s, ids, "")
	var tables []string
	if err == nil {
		tables, err = submitDeletions(ctx, s, ids, "", erasedFirst)
	}
	batch.Unlock()
	if err != nil || len(tables) == 0 && len(hours) == 0 {
		return nil, err
	}
	if err := waitMutations(ctx, s, tables); err != nil {
		return nil, err
	}
	if len(hours) == 0 {
		return tables, nil
	}
	// usage_hourly's rows of those hours are deleted (a group the erased
	// conversations alone made would stay otherwise), then rolled up again.
	if err := deleteUsageHours(ctx, s, hours); err != nil {
		return nil, err
	}
	batch.Lock()
	err = rollUp(ctx, s, hours, "")
	var last []string
	if err == nil {
		last, err = submitDeletions(ctx, s, ids, "", []string{"decisions"})
	}
	batch.Unlock()
	if err == nil {
		err = waitMutations(ctx, s, last)
	}
	if err != nil {
		return nil, err
	}
	return append(tables, last...), nil
}

// deleteUsageHours deletes the rows of usage_hourly of hours, and waits until
// they are gone.
func deleteUsageHours(ctx context.Context, s Store, hours []time.Time) error {
	lits := make([]string, len(hours))
	for i, h := range hours {
		lits[i] = TimeLit(h)
	}
	if err := s.Exec(ctx, "ALTER TABLE usage_hourly DELETE WHERE hour IN ("+strings.Join(lits, ", ")+")"); err != nil {
		return fmt.Errorf("projections: erase from usage_hourly: %w", err)
	}
	return waitMutations(ctx, s, []string{"usage_hourly"})
}

// erasedHours returns the hours of usage_hourly that the conversations'
// decisions (tables named with suffix) are counted in.
func erasedHours(ctx context.Context, s Store, ids []string, suffix string) ([]time.Time, error) {
	var hours []time.Time
	for _, chunk := range chunks(ids, 1000) {
		var hs []struct {
			Hour time.Time `ch:"hour"`
		}
		if err := s.Select(ctx, &hs, "SELECT DISTINCT toStartOfHour(at) AS hour FROM decisions"+suffix+
			" WHERE conversation_id IN ("+quoteAll(chunk)+")"); err != nil {
			return nil, fmt.Errorf("projections: erase: hours: %w", err)
		}
		for _, h := range hs {
			hours = append(hours, h.Hour.UTC())
		}
	}
	return hours, nil
}

// submitDeletions submits the deletions of the conversations' rows from those
// of tables (named with suffix) that hold some, and returns them.
func submitDeletions(ctx context.Context, s Store, ids []string, suffix string, tables []string) ([]string, error) {
	var submitted []string
	for _, chunk := range chunks(ids, 1000) {
		in := "conversation_id IN (" + quoteAll(chunk) + ")"
		for _, t := range tables {
			t += suffix
			n, err := count(ctx, s, t, in)
			if err != nil {
				return nil, fmt.Errorf("projections: erase: %w", err)
			}
			if n == 0 {
				continue
			}
			if err := s.Exec(ctx, "ALTER TABLE "+t+" DELETE WHERE "+in); err != nil {
				return nil, fmt.Errorf("projections: erase from %s: %w", t, err)
			}
			if !slices.Contains(submitted, t) {
				submitted = append(submitted, t)
			}
		}
	}
	return submitted, nil
}

// eraseLoop erases the conversations of the set as they join it, those erased
// before this process started first, until ctx is done. A failure is retried.
func (p *Projector) eraseLoop(ctx context.Context) {
	n := 0
	backoff := time.Second
	for {
		ids, next, changed := p.cfg.Erased.Since(n)
		if len(ids) > 0 {
			if err := p.erase(ctx, ids); err != nil {
				if ctx.Err() != nil {
					return
				}
				p.cfg.Logger.Warn("projector: erase, retrying", slog.Any("error", err), slog.Duration("backoff", backoff))
				if !sleep(ctx, backoff) {
					return
				}
				backoff = min(2*backoff, time.Minute)
				continue
			}
		}
		n, backoff = next, time.Second
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// waitMutations waits until no mutation of the tables is pending: ALTER TABLE …
// DELETE returns at once on a server, and its rows go in the background.
func waitMutations(ctx context.Context, s Store, tables []string) error {
	if len(tables) == 0 {
		return nil
	}
	for {
		var rows []struct {
			N uint64 `ch:"n"`
		}
		if err := s.Select(ctx, &rows, "SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND is_done = 0 AND table IN ("+
			quoteAll(tables)+")"); err != nil {
			return fmt.Errorf("projections: pending mutations: %w", err)
		}
		if len(rows) == 0 || rows[0].N == 0 {
			return nil
		}
		if !sleep(ctx, 50*time.Millisecond) {
			return ctx.Err()
		}
	}
}

// count returns the rows of table that match where.
func count(ctx context.Context, s Store, table, where string) (uint64, error) {
	var rows []struct {
		N uint64 `ch:"n"`
	}
	if err := s.Select(ctx, &rows, "SELECT count() AS n FROM "+table+" WHERE "+where); err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, nil
	}
	return rows[0].N, nil
}

// quoteAll returns the strings as a list of ClickHouse literals.
func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = Quote(s)
	}
	return strings.Join(q, ", ")
}

// chunks cuts ids into slices of at most n, to bound the size of a statement.
func chunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
