package eventlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
)

// Follow reads a single-partition topic (the knowledge base, the audit log) from
// its beginning, applying each valid event, and keeps following it. onChange is
// called once the topic has been read up to its end as it was at start (ready),
// then after each batch of changes: once the topic has been quiet for a read's
// wait (150 ms), so that events published in a burst (a file imported, the
// demo's knowledge base) make one change, not one per produce request.
func Follow(ctx context.Context, brokers []string, topic string, apply func(events.Envelope, events.Payload), onChange func(), log *slog.Logger) error {
	end, err := topicEnd(ctx, brokers, topic, log)
	if err != nil {
		return err
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: 0,
		MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(kafka.FirstOffset); err != nil {
		return err
	}
	caughtUp := end == 0
	if caughtUp {
		onChange()
	}
	dirty := false
	for {
		fctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
		m, err := r.ReadMessage(fctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				log.Warn("eventlog: read "+topic, slog.Any("error", err))
				time.Sleep(time.Second)
			}
			if dirty && caughtUp {
				onChange()
				dirty = false
			}
			continue
		}
		env, p, err := events.Decode(m.Value)
		if err == nil {
			apply(env, p)
			dirty = true
		} else {
			log.Warn("eventlog: invalid event skipped", slog.String("topic", topic), slog.Int64("offset", m.Offset), slog.Any("error", err))
		}
		if !caughtUp && m.Offset >= end-1 {
			caughtUp = true
			onChange() // ready: what the topic held at start is applied
			dirty = false
		}
	}
}

// topicEnd returns the end offset of partition 0 of topic. It asks each broker
// in turn, so that one broker down of three does not stop a process from
// starting, and says in the log, at the first failure and every ten seconds,
// which brokers it waits for: a process that cannot reach any would otherwise
// wait its 30 s in silence.
func topicEnd(ctx context.Context, brokers []string, topic string, log *slog.Logger) (int64, error) {
	var lastErr error
	for attempt := 0; attempt < 30; attempt++ {
		for _, b := range brokers {
			conn, err := kafka.DialLeader(ctx, "tcp", b, topic, 0)
			if err != nil {
				lastErr = fmt.Errorf("%s: %w", b, err)
				continue
			}
			_, last, err := conn.ReadOffsets()
			conn.Close()
			if err == nil {
				return last, nil
			}
			lastErr = fmt.Errorf("%s: %w", b, err)
		}
		if attempt%10 == 0 {
			log.Warn("eventlog: waiting for the Kafka broker", slog.String("topic", topic),
				slog.String("brokers", strings.Join(brokers, ",")), slog.Int("attempt", attempt+1), slog.Any("error", lastErr))
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return 0, fmt.Errorf("eventlog: end of %s: no broker answered in 30 s (%s): %w", topic, strings.Join(brokers, ","), lastErr)
}
