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
	topics map[string]topicLayout
}

// topicLayout is a topic's partitions and the broker leading each.
type topicLayout struct {
	leaders []int32 // by partition
	fetched time.Time
}

const (
	// layoutTTL bounds how long a topic's partitions are taken from memory; a
	// refusal that says the layout changed fetches it at once. The transport
	// keeps the cluster's metadata itself and refreshes it on its own timer.
	layoutTTL = time.Second
	// produceAttempts sends a partition's batch again, after a backoff, when
	// the broker says it may succeed later (a leader moving, a replica behind).
	produceAttempts = 3
)

func newProducer(brokers []string) *producer {
	return &producer{
		addr:      kafka.TCP(brokers...),
		transport: &kafka.Transport{ClientID: "parvis"},
		topics:    map[string]topicLayout{},
	}
}

// close closes the connections.
func (p *producer) close() { p.transport.CloseIdleConnections() }

// write sends msgs and returns nil once every one is acknowledged by all
// in-sync replicas. Otherwise its error is the one error all failed with, or a
// [kafka.WriteErrors] that says, message by message, which were acknowledged
// (nil) and which were not.
func (p *producer) write(ctx context.Context, msgs []kafka.Message) error {
	parts := make([]int, len(msgs))
	errs := make(kafka.WriteErrors, len(msgs))
	todo := make([]int, len(msgs))
	for i := range msgs {
		todo[i] = i
	}
	for attempt := 1; ; attempt++ {
		sent, err := p.assign(ctx, msgs, todo, parts, attempt > 1)
		if err != nil {
			for _, i := range todo {
				errs[i] = err
			}
		} else {
			p.send(ctx, msgs, sent, parts, errs)
		}
		todo = slices.DeleteFunc(todo, func(i int) bool { return errs[i] == nil || !retriable(errs[i]) })
		if len(todo) == 0 || attempt == produceAttempts || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(attempt) * 20 * time.Millisecond):
		}
		for _, i := range todo {
			errs[i] = nil
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
// sent again.
func retriable(err error) bool {
	var temp interface{ Temporary() bool }
	return errors.As(err, &temp) && temp.Temporary() ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// assign gives each message of todo its partition (once: a message sent again
// goes where it went) and returns todo grouped by the broker leading it.
func (p *producer) assign(ctx context.Context, msgs []kafka.Message, todo, parts []int, again bool) (map[int32][]int, error) {
	byLeader := map[int32][]int{}
	for _, i := range todo {
		m := msgs[i]
		layout, err := p.layout(ctx, m.Topic, again)
		if err != nil {
			return nil, err
		}
		if !again {
			parts[i] = p.balancer.Balance(m, partitionList(len(layout.leaders))...)
		}
		if parts[i] >= len(layout.leaders) {
			return nil, fmt.Errorf("eventlog: topic %s has %d partitions, fewer than before", m.Topic, len(layout.leaders))
		}
		leader := layout.leaders[parts[i]]
		byLeader[leader] = append(byLeader[leader], i)
	}
	return byLeader, nil
}

// partitionList is 0..n-1, what kafka-go's Writer hands its balancer.
func partitionList(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// layout returns topic's partitions, from memory unless stale or refresh.
func (p *producer) layout(ctx context.Context, topic string, refresh bool) (topicLayout, error) {
	p.mu.Lock()
	l, ok := p.topics[topic]
	p.mu.Unlock()
	if ok && !refresh && time.Since(l.fetched) < layoutTTL {
		return l, nil
	}
	if ok && refresh && time.Since(l.fetched) < 10*time.Millisecond {
		return l, nil // fetched by another message of this attempt
	}
	r, err := p.transport.RoundTrip(ctx, p.addr, &metadataAPI.Request{TopicNames: []string{topic}, AllowAutoTopicCreation: true})
	if err != nil {
		return l, err
	}
	for _, t := range r.(*metadataAPI.Response).Topics {
		if t.Name != topic {
			continue
		}
		if t.ErrorCode != 0 {
			return l, kafka.Error(t.ErrorCode)
		}
		l = topicLayout{leaders: make([]int32, len(t.Partitions)), fetched: time.Now()}
		for _, part := range t.Partitions {
			if int(part.PartitionIndex) >= len(l.leaders) {
				return l, fmt.Errorf("eventlog: topic %s: partition %d of %d", topic, part.PartitionIndex, len(t.Partitions))
			}
			l.leaders[part.PartitionIndex] = part.LeaderID
		}
		p.mu.Lock()
		p.topics[topic] = l
		p.mu.Unlock()
		return l, nil
	}
	return l, kafka.UnknownTopicOrPartition
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
