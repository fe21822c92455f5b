package eventlog

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/segmentio/kafka-go"
)

// The group commit's bounds. A group's share of a partition goes in one record
// batch (see produce.go), which the broker appends whole or not at all: then
// the events of a conversation (one partition) in a call are all acknowledged
// or all failed, never the later ones on the log with the earlier ones left to
// the outbox. So no group holds more bytes than a batch takes; a call larger
// than that goes in several groups, one after the other (see
// [Publisher.Publish]).
const (
	// maxInFlight groups are written at once: while one waits for the broker,
	// the next is sent. Groups in flight share no partition key, so a
	// conversation's calls still reach the log one after the other.
	maxInFlight = 2
	// maxGroup bounds the messages of a group, so that a request stays a size
	// any broker reads at once.
	maxGroup = 1024
	// maxBatchBytes is the most a group holds, counted as kafka-go counts a
	// message (see messageBytes), which is more than a record takes in a
	// batch. The broker measures a batch, its header included, against
	// message.max.bytes (1 MB and 12 bytes by default): a group of 1 MB
	// exactly was refused, and kept in the outbox to be refused again at
	// every delivery, holding back every event behind it.
	maxBatchBytes = 1<<20 - batchHeader
	// batchHeader is the size of a record batch's header (format v2).
	batchHeader = 61
	// MaxEventBytes is the largest event the log takes: a batch's framing must
	// fit beside it under the broker's limit (message.max.bytes, 1 MB).
	MaxEventBytes = 1<<20 - 1024
)

// ErrEventTooLarge is the error of a Publish given an event larger than
// [MaxEventBytes]: no broker would take it, it is refused, not kept.
var ErrEventTooLarge = errors.New("eventlog: event too large for the log")

// messageBytes is the size of m as kafka-go counts it in a batch.
func messageBytes(m kafka.Message) int {
	n := 22 + len(m.Key) + len(m.Value)
	for _, h := range m.Headers {
		n += 10 + len(h.Key) + len(h.Value)
	}
	return n
}

// commitCall is one call to [Publisher.Publish] (or one part of a large call)
// waiting for its group's outcome.
type commitCall struct {
	msgs   []kafka.Message
	bytes  int
	queued time.Time
	done   chan commitResult // buffered: the commit loop never waits for the caller
}

// commitResult is how a call fared: acknowledged (stored false, err nil), kept
// in the outbox (stored), or neither (err).
type commitResult struct {
	stored bool
	err    error
}

// group is calls written together, in one request per broker.
type group struct {
	calls []*commitCall
	msgs  []kafka.Message
	bytes int
	keys  []string
	err   error
}

var (
	errPublisherClosed = errors.New("eventlog: publisher closed")
	errOutboxFirst     = errors.New("eventlog: older events wait in the outbox")
)

// commit hands msgs to the commit loop and waits for their outcome. The wait is
// bounded by the publisher's timeout, whatever the caller's context: the
// messages are on their way, and end acknowledged or in the outbox.
func (p *Publisher) commit(msgs []kafka.Message) commitResult {
	c := &commitCall{msgs: msgs, queued: time.Now(), done: make(chan commitResult, 1)}
	for _, m := range msgs {
		c.bytes += messageBytes(m)
	}
	p.queueMu.RLock()
	if p.closing {
		p.queueMu.RUnlock()
		return commitResult{err: errPublisherClosed}
	}
	p.queue <- c
	p.queueMu.RUnlock()
	r := <-c.done
	publishLatency.Observe(time.Since(c.queued).Seconds())
	return r
}

// partitionKey names what decides a message's partition: calls holding the same
// one are never in flight together.
func partitionKey(m kafka.Message) string { return m.Topic + "\x00" + string(m.Key) }

// commitLoop is the group commit: it takes the calls queued, in order, into a
// group (within the bounds above) and has the group written while it gathers
// the next, up to maxInFlight groups at once. A group arriving while others are
// in flight grows with the broker's latency: the slower each request, the more
// calls share it. A call whose partition key is in a group in flight waits for
// that group to land, and the calls behind it wait with it: calls keep their
// order, so the events of a conversation published one call after the other
// reach a partition in order.
func (p *Publisher) commitLoop() {
	defer p.wg.Done()
	var (
		held     *commitCall        // the next call, waiting for room in flight or for its key
		open     = true             // the queue is not closed
		busy     = map[string]int{} // the keys of the groups in flight
		inFlight = 0
		finished = make(chan *group, maxInFlight)
	)
	conflicts := func(c *commitCall) bool {
		return slices.ContainsFunc(c.msgs, func(m kafka.Message) bool { return busy[partitionKey(m)] > 0 })
	}
	land := func(g *group) {
		for _, k := range g.keys {
			if busy[k]--; busy[k] == 0 {
				delete(busy, k)
			}
		}
		p.answer(g)
		inFlight--
	}
	for {
		if held == nil || inFlight == maxInFlight || conflicts(held) {
			switch {
			case held == nil && open && inFlight < maxInFlight:
				select {
				case c, ok := <-p.queue:
					held, open = c, ok
				case g := <-finished:
					land(g)
				}
			case inFlight > 0:
				land(<-finished)
			default: // nothing in flight, nothing held, the queue closed
				return
			}
			continue
		}
		g := &group{}
		inFlight++
		g.add(held)
		held = nil
	gather:
		for open {
			select {
			case c, ok := <-p.queue:
				if !ok {
					open = false
					break gather
				}
				if len(g.msgs)+len(c.msgs) > maxGroup || g.bytes+c.bytes > maxBatchBytes || conflicts(c) {
					held = c
					break gather
				}
				g.add(c)
			default:
				break gather
			}
		}
		for _, k := range g.keys {
			busy[k]++
		}
		// Calls gathered while an earlier group failed into the outbox go there
		// too, behind it, rather than wait for the broker in turn.
		if p.outbox.Pending() > 0 {
			g.err = errOutboxFirst
			land(g)
			continue
		}
		go func() {
			g.err = p.write(context.Background(), g.msgs)
			finished <- g
		}()
	}
}

func (g *group) add(c *commitCall) {
	g.calls = append(g.calls, c)
	g.msgs = append(g.msgs, c.msgs...)
	g.bytes += c.bytes
	for _, m := range c.msgs {
		if k := partitionKey(m); !slices.Contains(g.keys, k) {
			g.keys = append(g.keys, k)
		}
	}
}

// answer tells each call of a group how its messages fared. With the writer's
// per-message errors, a call whose messages were all acknowledged succeeds even
// when others of its group failed. The calls that failed are kept in the outbox,
// in their order, before any is answered: a later call of the same conversation
// finds them there and queues behind them.
func (p *Publisher) answer(g *group) {
	errs := make([]error, len(g.calls))
	var perMsg kafka.WriteErrors
	if g.err != nil && errors.As(g.err, &perMsg) && len(perMsg) == len(g.msgs) {
		i := 0
		for n, c := range g.calls {
			mine := perMsg[i : i+len(c.msgs)]
			i += len(c.msgs)
			if k := slices.IndexFunc(mine, func(e error) bool { return e != nil }); k >= 0 {
				errs[n] = mine[k]
			}
		}
	} else if g.err != nil {
		for n := range errs {
			errs[n] = g.err
		}
	}
	var recs [][]byte
	for n, c := range g.calls {
		if errs[n] != nil {
			for _, m := range c.msgs {
				recs = append(recs, m.Value)
			}
		}
	}
	var kept error
	if len(recs) > 0 {
		if !errors.Is(g.err, errOutboxFirst) {
			p.log.Warn("events not acknowledged by the broker, kept in the outbox", slog.Any("error", g.err), slog.Int("events", len(recs)))
		}
		if kept = p.outbox.Append(recs...); kept == nil {
			outboxDepth.Set(float64(p.outbox.Pending()))
			select {
			case p.wake <- struct{}{}:
			default:
			}
		}
	}
	for n, c := range g.calls {
		switch {
		case errs[n] == nil:
			c.done <- commitResult{}
		case kept == nil:
			c.done <- commitResult{stored: true}
		default:
			c.done <- commitResult{err: kept} // "eventlog: outbox could not store N events: ..."
		}
	}
}
