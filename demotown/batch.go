package demotown

import (
	"context"
	"time"

	"github.com/parvis-civic/parvis/events"
)

// batch is the log as the history's chat service, desk and kb writer see it:
// it takes their events as they come and hands them to the real log a few
// hundred at a time, in the same order. Nobody waits on a history's
// acknowledgement, and one produce request for hundreds of events is what makes
// months of history take seconds.
type batch struct {
	next Publisher
	now  func() time.Time
	buf  []events.Envelope
	sent int
}

const batchSize = 400

// Publish keeps the events for the next flush.
func (b *batch) Publish(_ context.Context, evs ...events.Envelope) error {
	b.buf = append(b.buf, evs...)
	return nil
}

// Emit dates a payload by the history's clock and keeps its event, as
// eventlog.Publisher.Emit does by the wall clock.
func (b *batch) Emit(_ context.Context, tenantID, conversationID string, p events.Payload) (events.Envelope, error) {
	env, err := events.New(tenantID, conversationID, b.now(), p)
	if err != nil {
		return env, err
	}
	b.buf = append(b.buf, env)
	return env, nil
}

// maybeFlush flushes once a batch is full.
func (b *batch) maybeFlush(ctx context.Context) error {
	if len(b.buf) < batchSize {
		return nil
	}
	return b.flush(ctx)
}

// flush hands every kept event to the log.
func (b *batch) flush(ctx context.Context) error {
	for len(b.buf) > 0 {
		n := min(len(b.buf), batchSize)
		if err := b.next.Publish(ctx, b.buf[:n]...); err != nil {
			return err
		}
		b.sent += n
		b.buf = b.buf[n:]
	}
	b.buf = nil
	return nil
}
