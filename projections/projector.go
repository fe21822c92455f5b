package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
)

// DeadLetterer sends an event that cannot be projected to the dead-letter topic.
type DeadLetterer interface {
	DeadLetter(ctx context.Context, m kafka.Message, reason string) error
}

// ProjectorConfig configures a [Projector].
type ProjectorConfig struct {
	Brokers []string
	Group   string        // consumer group; default "parvis-projector"
	Batch   int           // events per insert at most; default 1000
	Flush   time.Duration // a partial batch is inserted after this; default 200ms
	// Erased is the set of erased conversations, complete up to the audit log's
	// end before Run starts: their events are skipped, their rows deleted. Nil:
	// none.
	Erased *Erasures
	Logger *slog.Logger
}

// Projector consumes the log into the store. A batch is inserted into every table
// it feeds, and its offsets are committed only after ClickHouse has accepted it:
// a crash re-delivers the batch, and the tables' deduplication by event id makes
// that harmless.
type Projector struct {
	cfg   ProjectorConfig
	store Store
	dl    DeadLetterer

	mu sync.Mutex // held while a batch is being projected; Replay takes it
}

// NewProjector returns a projector; [Projector.Run] starts it.
func NewProjector(cfg ProjectorConfig, store Store, dl DeadLetterer) *Projector {
	if cfg.Group == "" {
		cfg.Group = "parvis-projector"
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 1000
	}
	if cfg.Flush <= 0 {
		cfg.Flush = 200 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Projector{cfg: cfg, store: store, dl: dl}
}

// Run consumes until ctx is done, then commits what it has inserted and returns.
// Meanwhile it erases the conversations of [ProjectorConfig.Erased] as they join
// the set, those erased before it started first.
func (p *Projector) Run(ctx context.Context) error {
	if p.cfg.Erased != nil {
		var wg sync.WaitGroup
		wg.Go(func() { p.eraseLoop(ctx) })
		defer wg.Wait()
	}
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers:        p.cfg.Brokers,
		GroupID:        p.cfg.Group,
		GroupTopics:    []string{events.TopicConversations, events.TopicKB, events.TopicAudit, events.TopicDemandes},
		MinBytes:       1,
		MaxBytes:       16 << 20,
		MaxWait:        100 * time.Millisecond,
		StartOffset:    kafka.FirstOffset,
		CommitInterval: 0, // commits are synchronous, after each insert
		Logger:         nil,
		ErrorLogger:    kafka.LoggerFunc(func(msg string, args ...any) { p.cfg.Logger.Debug(fmt.Sprintf(msg, args...)) }),
	})
	defer r.Close()
	// The work is in two halves of about the same cost, run at once: this
	// goroutine fetches and decodes a batch while insertLoop inserts and
	// commits the one before it. Batches are committed in the order fetched.
	lag := newLagMeter()
	batches := make(chan *prepared)
	failed := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Go(func() { failed <- p.insertLoop(ctx, r, batches, lag) })
	err := p.fetchLoop(ctx, r, batches, failed, lag)
	close(batches)
	wg.Wait()
	if err == nil {
		select {
		case err = <-failed:
		default:
		}
	}
	if ctx.Err() != nil {
		// Shutting down: what was fetched but not inserted is not committed,
		// and will be delivered again.
		return nil
	}
	return err
}

// fetchLoop gathers batches of up to cfg.Batch messages, or what came within
// cfg.Flush, and hands each, decoded, to insertLoop. It returns when ctx is done,
// or with insertLoop's error when that stopped.
func (p *Projector) fetchLoop(ctx context.Context, r *kafka.Reader, batches chan<- *prepared, failed <-chan error, lag *lagMeter) error {
	var msgs []kafka.Message
	deadline := time.Now().Add(p.cfg.Flush)
	for {
		fctx, cancel := context.WithDeadline(ctx, deadline)
		m, err := r.FetchMessage(fctx)
		cancel()
		switch {
		case err == nil:
			msgs = append(msgs, m)
			if len(msgs) < p.cfg.Batch {
				continue
			}
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, context.DeadlineExceeded):
		default:
			p.cfg.Logger.Warn("projector: fetch", slog.Any("error", err))
			if !sleep(ctx, time.Second) {
				return nil
			}
		}
		if len(msgs) > 0 {
			b, err := p.prepare(ctx, msgs)
			if err != nil {
				return nil // shutting down while sending a dead letter
			}
			select {
			case batches <- b:
			case err := <-failed:
				return err
			case <-ctx.Done():
				return nil
			}
			msgs = nil // b holds them
		}
		select {
		case err := <-failed:
			return err
		default:
		}
		lag.sweep(time.Now())
		deadline = time.Now().Add(p.cfg.Flush)
	}
}

// The hourly rollup (usage_hourly) is recomputed for the hours the batches
// inserted since touched once batches pause for rollupIdle, and at least every
// rollupEvery while they keep coming. Recomputing an hour reads all its
// decisions: done after every batch, in a busy hour, it was most of the
// projector's work. A batch's offsets are committed once a rollup that counts it
// is done: a crash before that has the batch delivered again (its rows
// deduplicated by event id) and its hours rolled up then.
const (
	rollupEvery = 2 * time.Second
	rollupIdle  = 100 * time.Millisecond
)

// insertLoop inserts the batches fetchLoop prepares and commits their offsets,
// in order, until batches is closed; then, on the way out, it rolls up and
// commits what it has inserted.
func (p *Projector) insertLoop(ctx context.Context, r *kafka.Reader, batches <-chan *prepared, lag *lagMeter) error {
	var (
		held    []kafka.Message // inserted, not committed yet
		hours   = map[time.Time]bool{}
		last    = time.Now() // the last rollup
		arrived time.Time    // the last batch
		tick    = time.NewTicker(rollupIdle / 2)
	)
	defer tick.Stop()
	// settle rolls up the hours touched, retrying with back-off while ClickHouse
	// refuses (the next batches wait, as behind a failing insert), then commits
	// the offsets of what it counts.
	settle := func(ctx context.Context) {
		backoff := 100 * time.Millisecond
		for len(hours) > 0 {
			err := p.rollUp(ctx, hours)
			if err == nil {
				clear(hours)
				last = time.Now()
				break
			}
			if ctx.Err() != nil {
				return // stopping: not committed, delivered again at the next start
			}
			insertFailures.Inc()
			p.cfg.Logger.Warn("projector: hourly rollup failed, retrying", slog.Any("error", err), slog.Duration("backoff", backoff))
			if !sleep(ctx, backoff) {
				return
			}
			backoff = min(2*backoff, 10*time.Second)
		}
		if err := r.CommitMessages(ctx, held...); err != nil {
			if ctx.Err() == nil {
				p.cfg.Logger.Warn("projector: commit offsets", slog.Any("error", err))
			}
		}
		lagSeconds.Set(time.Since(held[len(held)-1].Time).Seconds())
		lag.committed(held, time.Now())
		held = nil
	}
	for {
		select {
		case b, ok := <-batches:
			if !ok {
				if len(held) > 0 {
					// Stopping: what was inserted is rolled up and committed,
					// within a bound, or delivered again at the next start.
					stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
					settle(stop)
					cancel()
				}
				return nil
			}
			if err := p.insert(ctx, b); err != nil {
				return err
			}
			held = append(held, b.msgs...)
			for _, h := range b.hours {
				hours[h] = true
			}
			arrived = time.Now()
		case <-tick.C:
		}
		if len(held) > 0 && (len(hours) == 0 || time.Since(arrived) >= rollupIdle || time.Since(last) >= rollupEvery) {
			settle(ctx)
		}
	}
}

// prepared is a batch of messages decoded into the rows they make.
type prepared struct {
	msgs  []kafka.Message
	rows  Batch
	types map[string]int // events per type
	hours []time.Time    // the hours whose rollup changes
	// started lists the conversations the batch starts: their decisions
	// projected by earlier batches (the start came from another partition, or
	// another projector, after them) were rolled up without them, and their
	// hours change too. insert adds those hours to hours.
	started []string
	since   time.Time // the earliest of their starts
}

// rollUp recomputes the hourly rollup of the given hours.
func (p *Projector) rollUp(ctx context.Context, hours map[time.Time]bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return rollUp(ctx, p.store, slices.Collect(maps.Keys(hours)), "")
}

// prepare decodes a batch, sends undecodable events to the dead-letter topic and
// makes the rows of the rest but those of erased conversations.
func (p *Projector) prepare(ctx context.Context, msgs []kafka.Message) (*prepared, error) {
	b := &prepared{msgs: msgs, rows: Batch{}, types: map[string]int{}}
	touched := map[time.Time]bool{}
	type decoded struct {
		env     events.Envelope
		payload events.Payload
	}
	evs := make([]decoded, 0, len(msgs))
	for _, m := range msgs {
		env, payload, err := events.Decode(m.Value)
		if err != nil && env.ConversationID != "" && p.cfg.Erased.Has(env.ConversationID) {
			// An erased conversation's event is dropped, readable or not: a
			// dead letter is kept for ever.
			skippedErased.Inc()
			continue
		}
		if err != nil {
			p.cfg.Logger.Warn("projector: event sent to the dead-letter topic",
				slog.String("topic", m.Topic), slog.Int64("offset", m.Offset), slog.Any("error", err))
			for p.dl != nil {
				if derr := p.dl.DeadLetter(ctx, m, err.Error()); derr == nil {
					break
				} else if !sleep(ctx, time.Second) {
					return nil, ctx.Err()
				}
			}
			continue
		}
		// An erasure in this batch counts for the events before it in the batch.
		p.cfg.Erased.Apply(env, payload)
		evs = append(evs, decoded{env, payload})
	}
	for _, ev := range evs {
		env := ev.env
		if p.cfg.Erased.Has(env.ConversationID) {
			skippedErased.Inc()
			continue
		}
		b.rows.Project(env, ev.payload)
		b.types[env.Type]++
		switch pl := ev.payload.(type) {
		case *events.BotDecision:
			touched[env.At.Truncate(time.Hour)] = true
		case *events.ConversationStarted:
			if pl.Campaign == "" { // a campaign's conversations are not rolled up
				b.started = append(b.started, env.ConversationID)
				if b.since.IsZero() || env.At.Before(b.since) {
					b.since = env.At
				}
			}
		}
	}
	for h := range touched {
		b.hours = append(b.hours, h)
	}
	return b, nil
}

// insert inserts a prepared batch's rows (its hours are rolled up later, see
// rollupEvery), retrying with back-off while ClickHouse refuses or is down.
func (p *Projector) insert(ctx context.Context, b *prepared) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	backoff := 100 * time.Millisecond
	inserted := false
	for {
		start := time.Now()
		var err error
		if !inserted {
			err = b.rows.Insert(ctx, p.store, "")
			inserted = err == nil
		}
		if err == nil {
			// After the insert: a batch's own decisions are among those read.
			err = p.addLateStartHours(ctx, b)
		}
		if err == nil {
			insertLatency.Observe(time.Since(start).Seconds())
			batchSize.Observe(float64(len(b.msgs)))
			for t, n := range b.types {
				projected.WithLabelValues(t).Add(float64(n))
			}
			return nil
		}
		insertFailures.Inc()
		p.cfg.Logger.Warn("projector: insert failed, retrying", slog.Any("error", err), slog.Duration("backoff", backoff))
		if !sleep(ctx, backoff) {
			return fmt.Errorf("projections: stopped while retrying an insert: %w", err)
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

// addLateStartHours adds to b's hours those of the decisions already stored
// of the conversations b starts. The rollup joins an hour's decisions with the
// conversations known when it runs: without this, the questions asked before
// their conversation's start was projected were never in the trend, while the
// headline counted them.
func (p *Projector) addLateStartHours(ctx context.Context, b *prepared) error {
	seen := make(map[time.Time]bool, len(b.hours))
	for _, h := range b.hours {
		seen[h] = true
	}
	// A few hundred ids a statement keep it small on a busy batch. The
	// decisions table is ordered by event id, which sorts by time: the
	// decisions of a conversation come after its start (an hour's slack for
	// the clocks of other processes), and the range keeps this look-up, run
	// on most batches, off the rest of the table.
	const chunk = 500
	floor := Quote(events.IDFloor(b.since.Add(-time.Hour)))
	for i := 0; i < len(b.started); i += chunk {
		ids := b.started[i:min(i+chunk, len(b.started))]
		var rows []struct {
			Hour time.Time `ch:"hour"`
		}
		if err := p.store.Select(ctx, &rows, fmt.Sprintf(
			"SELECT DISTINCT toStartOfHour(at) AS hour FROM decisions WHERE event_id >= %s AND conversation_id IN (%s)", floor, quoteAll(ids))); err != nil {
			return fmt.Errorf("projections: hours of the conversations started: %w", err)
		}
		for _, r := range rows {
			if h := r.Hour.UTC(); !seen[h] {
				seen[h] = true
				b.hours = append(b.hours, h)
			}
		}
	}
	b.started = nil // looked up once, whatever retries follow
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
