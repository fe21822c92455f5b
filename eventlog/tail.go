package eventlog

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

// Tail follows every partition of a topic from its end as it is at start, so
// that a process sees the events other processes append from then on (an API
// process the conversations another one started). [Tail.CaughtUp] waits until
// it has applied everything the topic held when called: what a client was told
// is logged elsewhere is then known here.
type Tail struct {
	client *kafka.Client
	topic  string

	mu   sync.Mutex
	cond *sync.Cond
	pos  map[int]int64 // partition → next offset to apply
	err  error         // set when the tail stopped
}

// StartTail starts following topic from its current end; it stops when ctx
// ends. apply is called for each valid event, from one goroutine per
// partition.
func StartTail(ctx context.Context, brokers []string, topic string, apply func(events.Envelope, events.Payload), log *slog.Logger) (*Tail, error) {
	t := &Tail{client: &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}, topic: topic, pos: map[int]int64{}}
	t.cond = sync.NewCond(&t.mu)
	ends, err := t.ends(ctx)
	if err != nil {
		return nil, err
	}
	for p, end := range ends {
		t.pos[p] = end
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: p,
			MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 20 * time.Millisecond})
		if err := r.SetOffset(end); err != nil {
			r.Close()
			return nil, err
		}
		go t.run(ctx, r, p, apply, log)
	}
	return t, nil
}

func (t *Tail) run(ctx context.Context, r *kafka.Reader, p int, apply func(events.Envelope, events.Payload), log *slog.Logger) {
	defer r.Close()
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				t.mu.Lock()
				t.err = ctx.Err()
				t.cond.Broadcast()
				t.mu.Unlock()
				return
			}
			log.Warn("eventlog: tail "+t.topic, slog.Any("error", err))
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if env, pl, err := events.Decode(m.Value); err == nil {
			apply(env, pl)
		} else {
			log.Warn("eventlog: invalid event skipped", slog.String("topic", t.topic), slog.Int64("offset", m.Offset), slog.Any("error", err))
		}
		t.mu.Lock()
		t.pos[p] = m.Offset + 1
		t.cond.Broadcast()
		t.mu.Unlock()
	}
}

// CaughtUp returns once every event the topic held at the call has been
// applied, or with ctx's error.
func (t *Tail) CaughtUp(ctx context.Context) error {
	ends, err := t.ends(ctx)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() {
		t.mu.Lock()
		t.cond.Broadcast()
		t.mu.Unlock()
	})
	defer stop()
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		behind := false
		for p, end := range ends {
			if pos, ok := t.pos[p]; ok && pos < end {
				behind = true
			}
		}
		switch {
		case !behind:
			return nil
		case t.err != nil:
			return t.err
		case ctx.Err() != nil:
			return ctx.Err()
		}
		t.cond.Wait()
	}
}

// ends returns the end offset of every partition of the topic.
func (t *Tail) ends(ctx context.Context) (map[int]int64, error) {
	return topicEnds(ctx, t.client, t.topic)
}

// Appended returns how many events the topic has ever been given, over all
// its partitions (retention deletes old ones, not their offsets): zero tells
// a log that never held anything, a fresh deployment.
func Appended(ctx context.Context, brokers []string, topic string) (int64, error) {
	ends, err := topicEnds(ctx, &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}, topic)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, end := range ends {
		n += end
	}
	return n, nil
}

// topicEnds returns the end offset of every partition of a topic.
func topicEnds(ctx context.Context, client *kafka.Client, topic string) (map[int]int64, error) {
	meta, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("eventlog: partitions of %s: %w", topic, err)
	}
	if len(meta.Topics) != 1 || meta.Topics[0].Error != nil {
		err := errors.New("no such topic")
		if len(meta.Topics) == 1 {
			err = meta.Topics[0].Error
		}
		return nil, fmt.Errorf("eventlog: partitions of %s: %w", topic, err)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range meta.Topics[0].Partitions {
		reqs = append(reqs, kafka.LastOffsetOf(p.ID))
	}
	res, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("eventlog: end of %s: %w", topic, err)
	}
	ends := map[int]int64{}
	for _, po := range res.Topics[topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("eventlog: end of %s/%d: %w", topic, po.Partition, po.Error)
		}
		ends[po.Partition] = po.LastOffset
	}
	return ends, nil
}
