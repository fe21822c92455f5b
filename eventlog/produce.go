package eventlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
	metadataAPI "github.com/segmentio/kafka-go/protocol/metadata"
	produceAPI "github.com/segmentio/kafka-go/protocol/produce"
)

// producer writes a group of messages to the log in one produce request per
// broker, each request holding one record batch per partition, as librdkafka
// does. kafka-go's Writer sends one request per partition, each after a
// metadata look-up of its own: a group spread over three partitions cost three
// requests, and on the embedded broker three rounds of fsyncs, where one does.
//
// A partition's share of a group is one record batch, which the broker appends
// whole or not at all (see commit.go). Messages go to the partitions kafka-go's
// Writer would choose ([kafka.Hash]: FNV-1a of the key), so a conversation
// stays on the partition it was on before.
type producer struct {
	addr      net.Addr
	transport *kafka.Transport
	balancer  kafka.Hash

	mu     sync.Mutex
	closed bool
}

// metadataTTL is how often the transport reads the cluster's layout again (its
// partitions and their leaders): a produce the broker refuses because its
// leader moved is sent again after it (see backoff), to the new leader.
const metadataTTL = time.Second

// produceAttempts sends a partition's batch again, after a backoff, when the
// broker says it may succeed later (a leader moving, a replica behind).
const produceAttempts = 3

// backoff is the wait before attempt (2 or 3). A refusal that says the
// layout changed (a leader moved or is being elected) waits for the
// transport's next reading of it: a quarter of metadataTTL, then longer than
// metadataTTL. Any other (a connection cut, a replica behind) waits 20 ms,
// then 40. The publisher's timeout (2 s) bounds the whole.
func backoff(attempt int, layoutChanged bool) time.Duration {
	switch {
	case !layoutChanged:
		return time.Duration(attempt-1) * 20 * time.Millisecond
	case attempt == 2:
		return metadataTTL / 4
	default:
		return metadataTTL + metadataTTL/4
	}
}

// layoutChanged tells whether err says the partition is now led elsewhere, or
// by nobody yet.
func layoutChanged(err error) bool {
	var routing *produceAPI.Error
	return errors.As(err, &routing) || errors.Is(err, kafka.NotLeaderForPartition) || errors.Is(err, kafka.LeaderNotAvailable) ||
		errors.Is(err, kafka.UnknownTopicOrPartition) || errors.Is(err, kafka.FencedLeaderEpoch) || errors.Is(err, kafka.UnknownLeaderEpoch)
}

var errProducerClosed = errors.New("eventlog: producer closed")

func newProducer(brokers []string) *producer {
	return &producer{
		addr:      kafka.TCP(brokers...),
		transport: &kafka.Transport{ClientID: "parvis", MetadataTTL: metadataTTL},
	}
}

// close closes the connections; a write after it fails, rather than open new
// ones that nothing would close.
func (p *producer) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.transport.CloseIdleConnections()
}

// write sends msgs and returns nil once every one is acknowledged by all
// in-sync replicas. Otherwise its error is the one error all failed with, or a
// [kafka.WriteErrors] that says, message by message, which were acknowledged
// (nil) and which were not.
func (p *producer) write(ctx context.Context, msgs []kafka.Message) error {
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return errProducerClosed
	}
	parts := make([]int, len(msgs))
	for i := range parts {
		parts[i] = -1 // chosen once, at the first layout read: a message sent again goes where it went
	}
	errs := make(kafka.WriteErrors, len(msgs))
	todo := make([]int, len(msgs))
	for i := range msgs {
		todo[i] = i
	}
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			moved := slices.ContainsFunc(todo, func(i int) bool { return layoutChanged(errs[i]) })
			select {
			case <-ctx.Done():
			case <-time.After(backoff(attempt, moved)):
			}
			for _, i := range todo {
				errs[i] = nil
			}
		}
		byLeader := p.assign(ctx, msgs, todo, parts, errs)
		p.send(ctx, msgs, byLeader, parts, errs)
		todo = slices.DeleteFunc(todo, func(i int) bool { return errs[i] == nil || !retriable(errs[i]) })
		if len(todo) == 0 || attempt == produceAttempts || ctx.Err() != nil {
			break
		}
	}
	return collapse(errs)
}

// collapse returns nil when errs holds none, the error when every message
// failed with the same one (what a log reader wants to see), or errs.
func collapse(errs kafka.WriteErrors) error {
	if errs.Count() == 0 {
		return nil
	}
	for _, e := range errs {
		if e == nil || e.Error() != errs[0].Error() {
			return errs
		}
	}
	return errs[0]
}

// retriable tells whether the broker, or the way to it, may take a message
// sent again: a temporary Kafka error, a connection cut, or a request the
// transport could not route because the layout changed under it (its
// produce.Error: a partition without a leader, leaders that differ now).
func retriable(err error) bool {
	var temp interface{ Temporary() bool }
	var routing *produceAPI.Error
	return errors.As(err, &temp) && temp.Temporary() || errors.As(err, &routing) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// assign gives each message of todo its partition, if it has none yet, and
// returns todo grouped by the broker leading it; a message whose topic or
// partition the layout cannot place gets its error instead.
func (p *producer) assign(ctx context.Context, msgs []kafka.Message, todo, parts []int, errs kafka.WriteErrors) map[int32][]int {
	byLeader := map[int32][]int{}
	layouts := map[string][]int32{}
	lists := map[string][]int{} // what the balancer is handed, per topic
	failed := map[string]error{}
	for _, i := range todo {
		m := msgs[i]
		leaders, ok := layouts[m.Topic]
		if err := failed[m.Topic]; err != nil {
			errs[i] = err
			continue
		}
		if !ok {
			var err error
			if leaders, err = p.layout(ctx, m.Topic); err != nil {
				failed[m.Topic], errs[i] = err, err
				continue
			}
			layouts[m.Topic], lists[m.Topic] = leaders, partitionList(len(leaders))
		}
		if parts[i] < 0 {
			parts[i] = p.balancer.Balance(m, lists[m.Topic]...)
		}
		switch {
		case parts[i] >= len(leaders):
			errs[i] = fmt.Errorf("eventlog: topic %s has %d partitions, fewer than before", m.Topic, len(leaders))
		case leaders[parts[i]] < 0:
			errs[i] = kafka.LeaderNotAvailable
		default:
			byLeader[leaders[parts[i]]] = append(byLeader[leaders[parts[i]]], i)
		}
	}
	return byLeader
}

// partitionList is 0..n-1, what kafka-go's Writer hands its balancer.
func partitionList(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// layout returns the leader of each of topic's partitions (-1: none now), as
// the transport knows them: from its cache, read again every metadataTTL.
func (p *producer) layout(ctx context.Context, topic string) ([]int32, error) {
	r, err := p.transport.RoundTrip(ctx, p.addr, &metadataAPI.Request{TopicNames: []string{topic}, AllowAutoTopicCreation: true})
	if err != nil {
		return nil, err
	}
	for _, t := range r.(*metadataAPI.Response).Topics {
		if t.Name != topic {
			continue
		}
		if t.ErrorCode != 0 {
			return nil, kafka.Error(t.ErrorCode)
		}
		leaders := make([]int32, len(t.Partitions))
		for _, part := range t.Partitions {
			if int(part.PartitionIndex) >= len(leaders) || part.PartitionIndex < 0 {
				return nil, fmt.Errorf("eventlog: topic %s: partition %d of %d", topic, part.PartitionIndex, len(t.Partitions))
			}
			leaders[part.PartitionIndex] = part.LeaderID
			if part.ErrorCode != 0 {
				leaders[part.PartitionIndex] = -1
			}
		}
		return leaders, nil
	}
	return nil, kafka.UnknownTopicOrPartition
}

// send sends one request per leader, at once, and sets errs for the messages
// sent.
func (p *producer) send(ctx context.Context, msgs []kafka.Message, byLeader map[int32][]int, parts []int, errs kafka.WriteErrors) {
	var wg sync.WaitGroup
	now := time.Now()
	for _, idx := range byLeader {
		wg.Go(func() {
			req, order := produceRequest(msgs, idx, parts, now)
			req.Timeout = 10_000 // Kafka's default, in ms, when ctx sets no deadline
			if d, ok := ctx.Deadline(); ok {
				req.Timeout = int32(max(time.Until(d).Milliseconds(), 1))
			}
			r, err := p.transport.RoundTrip(ctx, p.addr, req)
			if err != nil {
				for _, i := range idx {
					errs[i] = err
				}
				return
			}
			got := map[batchKey]error{}
			for _, t := range r.(*produceAPI.Response).Topics {
				for _, part := range t.Partitions {
					var err error
					if part.ErrorCode != 0 {
						err = kafka.Error(part.ErrorCode)
					}
					got[batchKey{t.Topic, part.Partition}] = err
				}
			}
			for key, members := range order {
				err, ok := got[key]
				if !ok {
					err = fmt.Errorf("eventlog: the broker did not answer for %s/%d", key.topic, key.partition)
				}
				for _, i := range members {
					errs[i] = err
				}
			}
		})
	}
	wg.Wait()
}

type batchKey struct {
	topic     string
	partition int32
}

// produceRequest makes the request of the messages idx: one batch per
// partition, the messages in their order. It returns which messages each batch
// holds.
func produceRequest(msgs []kafka.Message, idx, parts []int, now time.Time) (*produceAPI.Request, map[batchKey][]int) {
	order := map[batchKey][]int{}
	var keys []batchKey
	for _, i := range idx {
		k := batchKey{msgs[i].Topic, int32(parts[i])}
		if _, ok := order[k]; !ok {
			keys = append(keys, k)
		}
		order[k] = append(order[k], i)
	}
	req := &produceAPI.Request{Acks: int16(kafka.RequireAll)}
	for _, k := range keys {
		n := slices.IndexFunc(req.Topics, func(t produceAPI.RequestTopic) bool { return t.Topic == k.topic })
		if n < 0 {
			req.Topics = append(req.Topics, produceAPI.RequestTopic{Topic: k.topic})
			n = len(req.Topics) - 1
		}
		recs := make([]protocol.Record, len(order[k]))
		for j, i := range order[k] {
			m := msgs[i]
			recs[j] = protocol.Record{Offset: int64(j), Time: now, Key: bytesOrNil(m.Key), Value: bytesOrNil(m.Value), Headers: m.Headers}
		}
		req.Topics[n].Partitions = append(req.Topics[n].Partitions, produceAPI.RequestPartition{
			Partition: k.partition,
			RecordSet: protocol.RecordSet{Version: 2, Records: protocol.NewRecordReader(recs...)},
		})
	}
	return req, order
}

// bytesOrNil keeps a nil key or value null on the wire.
func bytesOrNil(b []byte) protocol.Bytes {
	if b == nil {
		return nil
	}
	return protocol.NewBytes(b)
}
