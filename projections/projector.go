package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
	var msgs []kafka.Message
	lag := newLagMeter()
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
			// Shutting down: what was fetched but not inserted is not committed,
			// and will be delivered again.
			return nil
		case errors.Is(err, context.DeadlineExceeded):
		default:
			p.cfg.Logger.Warn("projector: fetch", slog.Any("error", err))
			if !sleep(ctx, time.Second) {
				return nil
			}
		}
		if len(msgs) > 0 {
			if err := p.project(ctx, msgs); err != nil {
				if ctx.Err() != nil {
					return nil // shutting down mid-batch: nothing committed, redelivered at start
				}
				return err
			}
			if err := r.CommitMessages(ctx, msgs...); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				p.cfg.Logger.Warn("projector: commit offsets", slog.Any("error", err))
			}
			lagSeconds.Set(time.Since(msgs[len(msgs)-1].Time).Seconds())
			lag.committed(msgs, time.Now())
			msgs = msgs[:0]
		}
		lag.sweep(time.Now())
		deadline = time.Now().Add(p.cfg.Flush)
	}
}

// project decodes a batch, sends undecodable events to the dead-letter topic and
// inserts the rest but those of erased conversations, retrying with back-off
// while ClickHouse refuses or is down.
func (p *Projector) project(ctx context.Context, msgs []kafka.Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := Batch{}
	types := map[string]int{}
	touched := map[time.Time]bool{} // hours whose rollup changes
	type decoded struct {
		env     events.Envelope
		payload events.Payload
	}
	evs := make([]decoded, 0, len(msgs))
	for _, m := range msgs {
		env, payload, err := events.Decode(m.Value)
		if err != nil {
			p.cfg.Logger.Warn("projector: event sent to the dead-letter topic",
				slog.String("topic", m.Topic), slog.Int64("offset", m.Offset), slog.Any("error", err))
			for p.dl != nil {
				if derr := p.dl.DeadLetter(ctx, m, err.Error()); derr == nil {
					break
				} else if !sleep(ctx, time.Second) {
					return ctx.Err()
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
		b.Project(env, ev.payload)
		types[env.Type]++
		if env.Type == events.TypeBotDecision {
			touched[env.At.Truncate(time.Hour)] = true
		}
	}
	hours := make([]time.Time, 0, len(touched))
	for h := range touched {
		hours = append(hours, h)
	}
	backoff := 100 * time.Millisecond
	for {
		start := time.Now()
		err := b.Insert(ctx, p.store, "")
		if err == nil {
			err = rollUp(ctx, p.store, hours, "")
		}
		if err == nil {
			insertLatency.Observe(time.Since(start).Seconds())
			batchSize.Observe(float64(len(msgs)))
			for t, n := range types {
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
