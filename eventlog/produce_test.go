package eventlog

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/parvis-civic/parvis/events"
)

// A group spread over every partition of a topic goes in one produce request,
// one batch per partition, and each message on the partition kafka-go's Writer
// chose for its key: the conversations published before keep their partition.
func TestGroupGoesInOneRequestPerBroker(t *testing.T) {
	dir, addr, broker := startBroker(t)
	var mu sync.Mutex
	var requests [][]int32 // the conversations partitions of each produce request
	broker.cluster.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		var parts []int32
		for _, t := range req.(*kmsg.ProduceRequest).Topics {
			for _, p := range t.Partitions {
				if t.Topic == events.TopicConversations {
					parts = append(parts, p.Partition)
				}
			}
		}
		mu.Lock()
		requests = append(requests, parts)
		mu.Unlock()
		return nil, nil, false // observed, handled as usual
	})
	_, sent := publishConversations(t, addr, dir, 30)
	mu.Lock()
	got := requests
	mu.Unlock()
	if len(got) != 1 || len(got[0]) != conversationPartitions {
		t.Fatalf("produce requests (their partitions): %v, want one request holding the %d partitions", got, conversationPartitions)
	}

	checkPartitions(t, addr, len(sent))
}

// checkPartitions reads the conversations topic and checks that it holds n
// messages, each on the partition kafka-go's Writer chooses for its key.
func checkPartitions(t *testing.T, addr string, n int) {
	t.Helper()
	var balancer kafka.Hash
	read := 0
	for p := range conversationPartitions {
		for _, m := range partitionMessages(t, addr, p) {
			if want := balancer.Balance(kafka.Message{Key: m.Key}, 0, 1, 2); want != p {
				t.Errorf("key %s on partition %d, kafka-go's Writer puts it on %d", m.Key, p, want)
			}
			read++
		}
	}
	if read != n {
		t.Errorf("read %d events, want %d", read, n)
	}
}

// A group whose one topic the broker cannot place yet (Kafka answers
// LEADER_NOT_AVAILABLE while it creates a topic) has that topic's message sent
// again, and the others acknowledged on their own partitions.
func TestTopicWithoutLeaderIsSentAgain(t *testing.T) {
	_, addr, broker := startBroker(t)
	const fresh = "parvis.fresh" // not seeded: created by the first write
	refused := make(chan struct{})
	broker.cluster.ControlKey(int16(kmsg.Metadata), func(req kmsg.Request) (kmsg.Response, error, bool) {
		mr := req.(*kmsg.MetadataRequest)
		for _, rt := range mr.Topics {
			if rt.Topic != nil && *rt.Topic == fresh {
				resp := mr.ResponseKind().(*kmsg.MetadataResponse)
				tp := kmsg.NewMetadataResponseTopic()
				tp.Topic, tp.ErrorCode = kmsg.StringPtr(fresh), 5 // LEADER_NOT_AVAILABLE
				resp.Topics = append(resp.Topics, tp)
				close(refused)
				return resp, nil, true // once
			}
		}
		return nil, nil, false
	})
	p := newProducer([]string{addr})
	defer p.close()
	msgs := []kafka.Message{{Topic: fresh, Key: []byte("x"), Value: []byte("first")}}
	for c := range 8 {
		k := fmt.Sprintf("conv-%d", c)
		msgs = append(msgs, kafka.Message{Topic: events.TopicConversations, Key: []byte(k), Value: []byte(k)})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := p.write(ctx, msgs); err != nil {
		t.Fatalf("write: %v", err)
	}
	select {
	case <-refused:
	default:
		t.Fatal("the broker refused nothing")
	}
	checkPartitions(t, addr, 8)
}

// When a partition's leader moves to another broker of the cluster, the
// batches follow it within the publisher's timeout: the refusal waits for the
// transport's next reading of the layout, and a request never mixes
// partitions of two leaders.
func TestLeaderMoveIsFollowed(t *testing.T) {
	const topic = "moving"
	c, err := kfake.NewCluster(kfake.NumBrokers(3), kfake.SeedTopics(3, topic))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p := newProducer(c.ListenAddrs())
	defer p.close()
	var msgs []kafka.Message
	for i := range 12 {
		msgs = append(msgs, kafka.Message{Topic: topic, Key: []byte(fmt.Sprintf("conv-%d", i)), Value: []byte("v")})
	}
	for _, to := range []int32{0, 1, 2} {
		for part := range int32(3) {
			if err := c.MoveTopicPartition(topic, part, (to+part)%3); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		start := time.Now()
		err := p.write(ctx, msgs)
		cancel()
		if err != nil {
			t.Fatalf("after the leaders moved, in %v: %v", time.Since(start), err)
		}
	}
}

// A partition's batch the broker refuses for now (its leader moving) is sent
// again: the call is acknowledged, nothing waits in the outbox, and every event
// is on the log once.
func TestRetriableRefusalIsSentAgain(t *testing.T) {
	dir, addr, broker := startBroker(t)
	refused := make(chan struct{})
	broker.cluster.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		pr := req.(*kmsg.ProduceRequest)
		if len(pr.Topics) == 0 || pr.Topics[0].Topic != events.TopicConversations {
			return nil, nil, false
		}
		resp := pr.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range pr.Topics {
			t := kmsg.NewProduceResponseTopic()
			t.Topic = rt.Topic
			for _, rp := range rt.Partitions {
				p := kmsg.NewProduceResponseTopicPartition()
				p.Partition = rp.Partition
				p.ErrorCode = 6 // NOT_LEADER_OR_FOLLOWER: retriable
				t.Partitions = append(t.Partitions, p)
			}
			resp.Topics = append(resp.Topics, t)
		}
		close(refused)
		return resp, nil, true // handled: this function is dropped
	})
	pub, sent := publishConversations(t, addr, dir, 10)
	select {
	case <-refused:
	default:
		t.Fatal("the broker refused nothing")
	}
	if n := pub.Pending(); n != 0 {
		t.Fatalf("%d events went to the outbox: the refused batches were not sent again", n)
	}
	readAll(t, []string{addr}, len(sent))
}

// publishConversations starts a publisher to addr (its outbox under dir) and
// publishes, in one call, two events of each of n conversations.
func publishConversations(t *testing.T, addr, dir string, n int) (*Publisher, []events.Envelope) {
	t.Helper()
	pub, err := NewPublisher(PublisherConfig{Brokers: []string{addr}, OutboxDir: filepath.Join(dir, "outbox")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close() })
	var sent []events.Envelope
	for c := range n {
		sent = append(sent, utterances(t, fmt.Sprintf("conv-%d", c), 2)...)
	}
	if err := pub.Publish(context.Background(), sent...); err != nil {
		t.Fatal(err)
	}
	return pub, sent
}
