package eventlog

import (
	"context"
	"errors"
	"slices"

	"github.com/segmentio/kafka-go"
)

// maxGroup bounds the messages of one group commit: past it, the calls still
// queued wait for the next produce request.
const maxGroup = 2000

// commitCall is one call to [Publisher.Publish] waiting for its group's
// acknowledgement.
type commitCall struct {
	msgs []kafka.Message
	done chan error // buffered: the commit loop never waits for the caller
}

var (
	errPublisherClosed = errors.New("eventlog: publisher closed")
	errOutboxFirst     = errors.New("eventlog: older events wait in the outbox")
)

// commit hands msgs to the commit loop and waits for the broker's answer for
// them: nil once every one is acknowledged. The wait is bounded by the
// publisher's timeout, whatever the caller's context: the messages are on their
// way, and the caller must know whether to keep them in the outbox.
func (p *Publisher) commit(msgs []kafka.Message) error {
	c := &commitCall{msgs: msgs, done: make(chan error, 1)}
	p.queueMu.RLock()
	if p.closing {
		p.queueMu.RUnlock()
		return errPublisherClosed
	}
	p.queue <- c
	p.queueMu.RUnlock()
	return <-c.done
}

// commitLoop is the group commit: it takes every call queued (up to maxGroup
// messages) and writes their messages in one call to the writer, which sends
// them in one produce request per partition; then it answers each call. A call
// arriving while a group is in flight waits for the next group, which grows
// with the broker's latency: the slower each request, the more calls share it.
// Calls keep their order within a group and across groups, so the events of a
// conversation published one call after the other reach a partition in order.
func (p *Publisher) commitLoop() {
	defer p.wg.Done()
	var group []*commitCall
	var msgs []kafka.Message
	for {
		c, ok := <-p.queue
		if !ok {
			return
		}
		group = append(group[:0], c)
		msgs = append(msgs[:0], c.msgs...)
	gather:
		for len(msgs) < maxGroup {
			select {
			case c, ok := <-p.queue:
				if !ok {
					break gather
				}
				group = append(group, c)
				msgs = append(msgs, c.msgs...)
			default:
				break gather
			}
		}
		// Calls queued while an earlier group failed into the outbox go there
		// too, behind it, rather than wait for the broker in turn.
		err := errOutboxFirst
		if p.outbox.Pending() == 0 {
			err = p.write(context.Background(), msgs)
		}
		answer(group, err)
		clear(group) // let the answered calls go
		clear(msgs)
	}
}

// answer tells each call of a group how its messages fared: with the writer's
// per-message errors, a call whose messages were all acknowledged succeeds even
// when others of its group failed.
func answer(group []*commitCall, err error) {
	total := 0
	for _, c := range group {
		total += len(c.msgs)
	}
	var perMsg kafka.WriteErrors
	if !errors.As(err, &perMsg) || len(perMsg) != total {
		for _, c := range group {
			c.done <- err
		}
		return
	}
	i := 0
	for _, c := range group {
		mine := perMsg[i : i+len(c.msgs)]
		i += len(c.msgs)
		if n := slices.IndexFunc(mine, func(e error) bool { return e != nil }); n >= 0 {
			c.done <- mine[n]
		} else {
			c.done <- nil
		}
	}
}
