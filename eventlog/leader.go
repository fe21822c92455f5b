package eventlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"
)

// Lead runs work in one process at a time among all those that call Lead with
// the same group: Kafka's group coordinator elects the leader. Every caller
// joins consumer group `group` on the single-partition topic `topic`
// (nothing is read or committed); the member assigned its partition runs work
// until its generation ends, when a member joins or leaves (one stopped, or
// silent for the session timeout, 10 s), and ctx is cancelled. The others
// wait for the next generation. A process that crashes is replaced within the
// session timeout. In a rebalance the old leader's work has returned before
// it rejoins, and the coordinator hands the partition out only once the
// members have rejoined, so two leaders never overlap; but a process frozen
// longer than the session timeout (evicted meanwhile) runs on for up to a
// heartbeat (1 s) once it wakes: work must tolerate that brief overlap.
// Work that returns early is run again after a pause, while leadership holds.
// Lead returns when ctx is done.
func Lead(ctx context.Context, brokers []string, group, topic string, work func(context.Context) error, log *slog.Logger) error {
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID: group, Brokers: brokers, Topics: []string{topic},
		SessionTimeout: 10 * time.Second, RebalanceTimeout: 10 * time.Second, HeartbeatInterval: time.Second,
		JoinGroupBackoff: time.Second,
		ErrorLogger:      kafka.LoggerFunc(func(msg string, args ...any) { log.Debug(fmt.Sprintf(msg, args...)) }),
	})
	if err != nil {
		return fmt.Errorf("eventlog: leader election %s: %w", group, err)
	}
	defer cg.Close()
	for {
		gen, err := cg.Next(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, kafka.ErrGroupClosed):
			return nil
		case err != nil:
			log.Warn("eventlog: leader election", slog.String("group", group), slog.Any("error", err))
			if !pause(ctx, time.Second) {
				return nil
			}
			continue
		}
		if len(gen.Assignments[topic]) == 0 {
			log.Info("standing by: another process leads", slog.String("group", group), slog.Int("generation", int(gen.ID)))
			continue
		}
		log.Info("leading", slog.String("group", group), slog.Int("generation", int(gen.ID)))
		gen.Start(func(ctx context.Context) {
			for {
				err := work(ctx)
				if ctx.Err() != nil {
					return
				}
				log.Warn("eventlog: led work stopped, starting it again", slog.String("group", group), slog.Any("error", err))
				if !pause(ctx, 10*time.Second) {
					return
				}
			}
		})
	}
}

// pause waits d or until ctx is done, and says whether it waited.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
