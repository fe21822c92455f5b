package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/events"
)

// logClient is how a command reaches the event log of a running deployment:
// the brokers of --kafka, or the embedded broker of a running 'parvis serve'.
type logClient struct {
	brokers []string
}

// dialLog checks that a broker answers, with an error that says what to do.
func dialLog(ctx context.Context, brokers string) (logClient, error) {
	addrs := brokerList(brokers)
	if err := eventlog.Ping(ctx, addrs); err != nil {
		return logClient{}, fmt.Errorf("--kafka : aucun broker Kafka ne répond à %s (démarrez « parvis serve » ou donnez --kafka) : %v", brokers, err)
	}
	return logClient{brokers: addrs}, nil
}

// read applies a single-partition topic (the knowledge base, the audit log)
// from its beginning up to its end as it is now.
func (l logClient) read(ctx context.Context, topic string, apply func(events.Envelope, events.Payload)) error {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel() // the follower stops once the topic is read
	return followToEnd(rctx, l.brokers, topic, apply, nil, nilLogger(), func(follow func() error) { go follow() })
}

// followToEnd follows a single-partition topic with apply (and onChange after
// each batch) and returns once it has been read to its end as it was at start,
// or with an error when the follower stops before. The follower goes on until
// ctx ends; spawn runs it in the background (the server counts its loops).
func followToEnd(ctx context.Context, brokers []string, topic string, apply func(events.Envelope, events.Payload),
	onChange func(), log *slog.Logger, spawn func(func() error)) error {
	ready := make(chan struct{})
	stopped := make(chan error, 1)
	var once sync.Once
	spawn(func() error {
		err := eventlog.Follow(ctx, brokers, topic, apply, func() {
			if onChange != nil {
				onChange()
			}
			once.Do(func() { close(ready) })
		}, log)
		if err == nil {
			err = ctx.Err()
		}
		stopped <- err
		return err
	})
	select {
	case <-ready:
		return nil
	case err := <-stopped:
		select {
		case <-ready: // read to its end, then stopped with ctx
			return nil
		default:
		}
		if errors.Is(err, context.Canceled) {
			return err
		}
		return fmt.Errorf("read %s: %w", topic, err)
	}
}

// publish runs write with a publisher whose outbox is temporary: the command
// fails, saying so, unless the broker acknowledged every event.
func (l logClient) publish(ctx context.Context, write func(*eventlog.Publisher) error) error {
	dir, err := os.MkdirTemp("", "parvis-command-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	pub, err := eventlog.NewPublisher(eventlog.PublisherConfig{Brokers: l.brokers, OutboxDir: dir, Timeout: 10 * time.Second})
	if err != nil {
		return err
	}
	err = write(pub)
	pending := pub.Pending()
	if cerr := pub.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if pending > 0 {
		return fmt.Errorf("le broker n'a pas accusé réception de %d événements : rien n'est enregistré pour eux, relancez la commande", pending)
	}
	return nil
}
