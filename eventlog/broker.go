// Package eventlog is the event log on Kafka, transport only: the embedded
// Kafka-protocol broker that `parvis serve` runs by default, the [Publisher] that
// appends events (through a durable local [Outbox] when the broker cannot be
// reached), [Follow] to read a single-partition topic (the knowledge base, the
// audit log) into a state of the caller's, and the dead-letter path. What the
// events mean belongs to the packages that apply them (kb, auth, projections).
// Producers and consumers speak the Kafka protocol through kafka-go, against the
// embedded broker or a real cluster alike.
package eventlog

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/parvis-civic/parvis/events"
)

// Embedded is an in-process Kafka-protocol broker persisted in a directory. Any
// Kafka client (kcat, another parvis role) can use it at [Embedded.Addr].
type Embedded struct {
	cluster *kfake.Cluster
	addr    string
}

// Partitions of the conversations topic: enough for a few projector instances.
const conversationPartitions = 3

// StartEmbedded starts the broker listening on listen (HOST:PORT), its log and
// group offsets persisted (and fsync'd on every write) under dir.
func StartEmbedded(dir, listen string) (*Embedded, error) {
	host, portStr, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, fmt.Errorf("eventlog: broker address %q: %w", listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("eventlog: broker port %q: %w", portStr, err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.Ports(port),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			return net.Listen(network, listen)
		}),
		kfake.DataDir(dir),
		kfake.SyncWrites(),
		kfake.SeedTopics(conversationPartitions, events.TopicConversations),
		kfake.SeedTopics(1, events.TopicKB, events.TopicAudit, events.TopicDeadLetter),
		kfake.AllowAutoTopicCreation(),
		kfake.ClusterID("parvis"),
	)
	if err != nil {
		return nil, fmt.Errorf("eventlog: start embedded broker on %s: %w", listen, err)
	}
	addr := listen
	if host == "" || host == "0.0.0.0" {
		addr = net.JoinHostPort("127.0.0.1", portStr)
	}
	if port == 0 {
		addr = c.ListenAddrs()[0]
	}
	return &Embedded{cluster: c, addr: addr}, nil
}

// Addr returns the address clients connect to.
func (e *Embedded) Addr() string { return e.addr }

// Close stops the broker and flushes its log.
func (e *Embedded) Close() { e.cluster.Close() }

// Ping checks that a broker answers with the cluster's metadata.
func Ping(ctx context.Context, brokers []string) error {
	var d kafka.Dialer
	conn, err := d.DialContext(ctx, "tcp", brokers[0])
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	_, err = conn.Brokers()
	return err
}
