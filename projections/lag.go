package projections

import (
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// lagForget is how long a partition this projector no longer reads keeps its
// consumer lag series: after a rebalance, another projector of the group
// reports it.
const lagForget = time.Minute

type partitionKey struct {
	topic     string
	partition int
}

// lagMeter keeps parvis_projector_consumer_lag_messages: per partition, the
// events on the log after the last one projected and committed. A projector
// stuck on ClickHouse never sweeps, so its last figures stay visible.
type lagMeter struct {
	mu   sync.Mutex // the fetching and the inserting goroutines both use it
	seen map[partitionKey]time.Time
}

func newLagMeter() *lagMeter { return &lagMeter{seen: map[partitionKey]time.Time{}} }

// committed records the lag of each partition of a committed batch, from the
// high-water mark the broker sent with its last message.
func (l *lagMeter) committed(msgs []kafka.Message, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	last := map[partitionKey]kafka.Message{}
	for _, m := range msgs {
		last[partitionKey{m.Topic, m.Partition}] = m
	}
	for k, m := range last {
		consumerLag.WithLabelValues(k.topic, strconv.Itoa(k.partition)).Set(float64(max(0, m.HighWaterMark-m.Offset-1)))
		l.seen[k] = now
	}
}

// sweep forgets the partitions not read for a while: this projector may no
// longer hold them, and an idle partition has nothing to report.
func (l *lagMeter) sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, at := range l.seen {
		if now.Sub(at) > lagForget {
			consumerLag.DeleteLabelValues(k.topic, strconv.Itoa(k.partition))
			delete(l.seen, k)
		}
	}
}
