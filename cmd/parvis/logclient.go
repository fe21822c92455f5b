package main

import (
	"context"
	"fmt"
	"os"
	"strings"
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
	addrs := strings.Split(brokers, ",")
	if err := eventlog.Ping(ctx, addrs); err != nil {
		return logClient{}, fmt.Errorf("no Kafka broker at %s (start 'parvis serve' or give --kafka): %v", brokers, err)
	}
	return logClient{brokers: addrs}, nil
}

// read applies a single-partition topic (the knowledge base, the audit log)
// from its beginning up to its end as it is now.
func (l logClient) read(ctx context.Context, topic string, apply func(events.Envelope, events.Payload)) error {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- eventlog.Follow(rctx, l.brokers, topic, apply, func() {
			select {
			case <-ready:
			default:
				close(ready)
			}
		}, nilLogger())
	}()
	select {
	case <-ready:
		return nil
	case err := <-done:
		return fmt.Errorf("read %s: %v", topic, err)
	case <-ctx.Done():
		return ctx.Err()
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
		return fmt.Errorf("the broker did not acknowledge %d events: nothing was recorded for them, run the command again", pending)
	}
	return nil
}
