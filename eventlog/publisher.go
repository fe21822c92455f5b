package eventlog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
)

// Publisher appends events to the log.
//
// The promise: when [Publisher.Publish] returns nil, every event it was given is
// either acknowledged by all in-sync replicas or, when the broker cannot be
// reached in time, stored durably in the local [Outbox], from which a background
// loop delivers it, in order, once the broker is back. Such an event is never
// lost, across crashes of the process or the machine included. It may reach the
// log more than once (a broker acknowledgement lost in a timeout, an outbox batch
// sent again after a crash): every event carries a unique id and consumers drop
// repeats. When Publish returns an error, the events were not accepted and the
// caller must say so (the citizen is told the message was not recorded).
//
// Concurrent calls share produce requests (group commit, see [Publisher.commitLoop]):
// while one group of calls waits for the broker, the next calls gather, and
// each call returns when the request carrying its own events is acknowledged.
//
// It is safe for concurrent use.
type Publisher struct {
	// producer writes the groups of calls (see commit.go), the outbox's
	// deliveries and the dead letters.
	producer *producer
	outbox   *Outbox
	timeout  time.Duration
	log      *slog.Logger
	wake     chan struct{}
	done     chan struct{}
	wg       sync.WaitGroup

	// queue takes the calls to [Publisher.Publish] to the commit loop; closed
	// (under the write lock of queueMu, so that no call sends on it after) by
	// Close.
	queueMu sync.RWMutex
	queue   chan *commitCall
	closing bool
}

// PublisherConfig configures a [Publisher].
type PublisherConfig struct {
	Brokers []string
	// OutboxDir is where the outbox lives (in the data directory).
	OutboxDir string
	// Timeout bounds how long a publish waits for the broker before it falls back
	// to the outbox.
	Timeout time.Duration
	Logger  *slog.Logger
}

// NewPublisher starts a publisher and its outbox delivery loop.
func NewPublisher(cfg PublisherConfig) (*Publisher, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("eventlog: no broker address")
	}
	ob, err := OpenOutbox(cfg.OutboxDir)
	if err != nil {
		return nil, err
	}
	return startPublisher(cfg, ob), nil
}

// startPublisher starts a publisher on an open outbox, which it then owns.
func startPublisher(cfg PublisherConfig, ob *Outbox) *Publisher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	p := &Publisher{
		producer: newProducer(cfg.Brokers),
		outbox:   ob,
		timeout:  cfg.Timeout,
		log:      cfg.Logger,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		queue:    make(chan *commitCall, 4096),
	}
	outboxDepth.Set(float64(ob.Pending()))
	p.wg.Add(2)
	go p.deliverLoop()
	go p.commitLoop()
	return p
}

// Publish appends events, in order, and returns nil once they are accepted as
// [Publisher] describes. When the broker cannot be reached and the outbox cannot
// store the events either, the error says so and wraps the cause
// (errors.Is(err, syscall.ENOSPC) for a full disk). ctx does not cut the wait
// for the broker short (the publisher's timeout bounds it): once sent, the
// events are either acknowledged or kept in the outbox before Publish returns.
// An event larger than [MaxEventBytes] is refused (ErrEventTooLarge, naming
// it), the call's other events with it: no broker would take it.
func (p *Publisher) Publish(ctx context.Context, evs ...events.Envelope) error {
	if len(evs) == 0 {
		return nil
	}
	msgs := make([]kafka.Message, len(evs))
	recs := make([][]byte, len(evs))
	for i, e := range evs {
		b, err := e.Marshal()
		if err != nil {
			return fmt.Errorf("eventlog: encode %s: %w", e.Type, err)
		}
		recs[i] = b
		msgs[i] = kafka.Message{Topic: e.Topic(), Key: e.Key(), Value: b}
		if n := messageBytes(msgs[i]); n > MaxEventBytes {
			return fmt.Errorf("%w: %s %s is %d bytes, the log takes up to %d", ErrEventTooLarge, e.Type, e.ID, n, MaxEventBytes)
		}
	}
	// While older events wait in the outbox, newer ones queue behind them so that
	// a conversation's events reach the log in order. A call larger than a group
	// goes in parts, each once the one before is acknowledged: once a part is
	// kept in the outbox, the rest follows it there.
send:
	for len(msgs) > 0 && p.outbox.Pending() == 0 {
		n := groupable(msgs)
		r := p.commit(msgs[:n])
		if r.err != nil && !errors.Is(r.err, errPublisherClosed) {
			return r.err // neither acknowledged nor kept: the outbox failed too
		}
		if r.err == nil {
			msgs, recs = msgs[n:], recs[n:]
		}
		if r.err != nil || r.stored {
			break send // closed, or kept in the outbox: the rest goes there
		}
	}
	if len(recs) == 0 {
		return nil
	}
	if err := p.outbox.Append(recs...); err != nil {
		return err // "eventlog: outbox could not store N events: ..."
	}
	outboxDepth.Set(float64(p.outbox.Pending()))
	select {
	case p.wake <- struct{}{}:
	default:
	}
	return nil
}

// groupable returns how many of msgs, from the first, fit in one group.
func groupable(msgs []kafka.Message) int {
	n, size := 0, 0
	for n < len(msgs) && n < maxGroup && size+messageBytes(msgs[n]) <= maxBatchBytes {
		size += messageBytes(msgs[n])
		n++
	}
	return max(n, 1)
}

// Emit wraps a payload in a new envelope, publishes it, and returns the
// envelope: how an administrator's or an expert's action becomes an event.
func (p *Publisher) Emit(ctx context.Context, tenant, conversationID string, payload events.Payload) (events.Envelope, error) {
	env, err := events.New(tenant, conversationID, time.Now(), payload)
	if err != nil {
		return env, err
	}
	return env, p.Publish(ctx, env)
}

func (p *Publisher) write(ctx context.Context, msgs []kafka.Message) error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	if err := p.producer.write(ctx, msgs); err != nil {
		publishFailures.Inc()
		return err
	}
	produceLatency.Observe(time.Since(start).Seconds())
	for _, m := range msgs {
		published.WithLabelValues(m.Topic).Inc()
	}
	return nil
}

// deliverLoop sends the outbox to the broker, oldest first, backing off while the
// broker is down.
func (p *Publisher) deliverLoop() {
	defer p.wg.Done()
	backoff := 100 * time.Millisecond
	for {
		if p.outbox.Pending() == 0 {
			select {
			case <-p.done:
				return
			case <-p.wake:
			case <-time.After(time.Second):
			}
			continue
		}
		recs, pos, err := p.outbox.Peek(500)
		if err == nil && len(recs) > 0 {
			msgs := make([]kafka.Message, 0, len(recs))
			for _, r := range recs {
				var e events.Envelope
				if jerr := json.Unmarshal(r, &e); jerr != nil {
					// Cannot happen for records we wrote; keep them on the log's
					// dead-letter topic rather than lose them.
					msgs = append(msgs, kafka.Message{Topic: events.TopicDeadLetter, Value: r})
					continue
				}
				m := kafka.Message{Topic: e.Topic(), Key: e.Key(), Value: r}
				if messageBytes(m) > MaxEventBytes {
					// Kept by a version that did not refuse it: no broker takes
					// it, and it would hold back every event behind it for ever.
					p.log.Error("outbox: event too large for the log, dropped", slog.String("id", e.ID), slog.String("type", e.Type), slog.Int("bytes", len(r)))
					continue
				}
				msgs = append(msgs, m)
			}
			// In parts that each go in one batch per partition, one after the
			// other, stopping at the first that fails: what reaches the log is
			// a prefix, and the records are handed out again from the first.
			for rest := msgs; len(rest) > 0 && err == nil; {
				n := groupable(rest)
				err = p.write(context.Background(), rest[:n])
				rest = rest[n:]
			}
			if err == nil {
				err = p.outbox.Ack(pos, len(recs))
				outboxDepth.Set(float64(p.outbox.Pending()))
				backoff = 100 * time.Millisecond
				if err == nil {
					p.log.Info("outbox delivered", slog.Int("events", len(recs)), slog.Int("pending", p.outbox.Pending()))
					continue
				}
				// Delivered all the same; a restart may send them again.
				p.log.Warn("outbox position not saved", slog.Any("error", err))
			}
		}
		if err != nil {
			p.log.Debug("outbox delivery failed", slog.Any("error", err))
		}
		select {
		case <-p.done:
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// Pending returns the number of events waiting in the outbox.
func (p *Publisher) Pending() int { return p.outbox.Pending() }

// DeadLetter sends a raw message that could not be decoded to the dead-letter
// topic, with the reason and where it came from in its headers. A message so
// large that the headers would take it over the log's limit goes without its
// value (its size in an "omitted" header): the broker would refuse it at every
// attempt, and the projector, which waits for its dead letter, would stop
// there; the message itself stays where the headers say.
func (p *Publisher) DeadLetter(ctx context.Context, m kafka.Message, reason string) error {
	dl := kafka.Message{
		Topic: events.TopicDeadLetter, Key: m.Key, Value: m.Value,
		Headers: []kafka.Header{
			{Key: "reason", Value: []byte(reason)},
			{Key: "topic", Value: []byte(m.Topic)},
			{Key: "partition", Value: fmt.Appendf(nil, "%d", m.Partition)},
			{Key: "offset", Value: fmt.Appendf(nil, "%d", m.Offset)},
		},
	}
	if messageBytes(dl) > MaxEventBytes {
		dl.Value = nil
		dl.Headers = append(dl.Headers, kafka.Header{Key: "omitted", Value: fmt.Appendf(nil, "%d bytes", len(m.Value))})
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	if err := p.producer.write(ctx, []kafka.Message{dl}); err != nil {
		return fmt.Errorf("eventlog: dead-letter: %w", err)
	}
	deadLettered.Inc()
	return nil
}

// Close stops the delivery loop, flushes the writer and closes the outbox. Events
// still in the outbox stay there for the next start.
func (p *Publisher) Close() error {
	p.queueMu.Lock()
	if !p.closing {
		p.closing = true
		close(p.queue) // the commit loop sends what it holds, then returns
		close(p.done)
	}
	p.queueMu.Unlock()
	p.wg.Wait()
	p.producer.close()
	return p.outbox.Close()
}
