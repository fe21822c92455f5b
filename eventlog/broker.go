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
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/parvis-civic/parvis/events"
)

// Embedded is an in-process Kafka-protocol broker persisted in a directory. Any
// Kafka client (kcat, another parvis role) can use it at [Embedded.Addr].
type Embedded struct {
	cluster *kfake.Cluster
	syncer  *logSyncer
	addr    string
}

// Partitions of the conversations topic: enough for a few projector instances.
const conversationPartitions = 3

// Option configures the embedded broker.
type Option func(*options)

type options struct {
	retention time.Duration
	fsync     func(path string) error // tests watch the broker's fsyncs
}

// Retention keeps the conversations' events for d on the log (0, the default:
// for ever). The knowledge base, the audit log and the dead letters are kept for
// ever: they are the town's content and its administrators' record, and the
// erasures that replays need.
func Retention(d time.Duration) Option {
	return func(o *options) { o.retention = d }
}

// StartEmbedded starts the broker listening on listen (HOST:PORT), its log and
// group offsets persisted under dir, each response sent once what was written
// before it is fsync'd (see durable.go). The topics'
// retention is set as it starts (again at each start, so that a changed period
// applies to a log created before); the broker applies it every hour.
func StartEmbedded(dir, listen string, opts ...Option) (*Embedded, error) {
	o := options{fsync: fsyncPath}
	for _, opt := range opts {
		opt(&o)
	}
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
	syncer := newLogSyncer(dir, o.fsync)
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.Ports(port),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			l, err := net.Listen(network, listen)
			if err != nil {
				return nil, err
			}
			return durableListener{Listener: l, s: syncer}, nil
		}),
		kfake.DataDir(dir),
		// No kfake.SyncWrites: the syncer makes the log durable before the
		// broker answers, in rounds shared by every request.
		kfake.SeedTopics(conversationPartitions, events.TopicConversations),
		kfake.SeedTopics(1, events.TopicKB, events.TopicAudit, events.TopicDeadLetter, events.TopicDemandes),
		kfake.AllowAutoTopicCreation(),
		kfake.ClusterID("parvis"),
		// Kafka's default keeps a topic 7 days: here a topic that says nothing
		// (one created by a client) is kept for ever.
		kfake.BrokerConfigs(map[string]string{"log.retention.ms": "-1"}),
	)
	if err != nil {
		syncer.close()
		return nil, fmt.Errorf("eventlog: start embedded broker on %s: %w", listen, err)
	}
	addr := listen
	if host == "" || host == "0.0.0.0" {
		addr = net.JoinHostPort("127.0.0.1", portStr)
	}
	if port == 0 {
		addr = c.ListenAddrs()[0]
	}
	keep := map[string]time.Duration{events.TopicConversations: o.retention, events.TopicKB: 0, events.TopicAudit: 0, events.TopicDeadLetter: 0,
		// Demandes are followed from their start; their contact details are
		// erased by destroying their key, not by expiring the log.
		events.TopicDemandes: 0}
	e := &Embedded{cluster: c, syncer: syncer, addr: addr}
	if err := setRetention(addr, keep); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// setRetention sets the retention.ms of topics (-1, for ever, for 0).
func setRetention(addr string, topics map[string]time.Duration) error {
	req := &kafka.AlterConfigsRequest{}
	for topic, d := range topics {
		ms := "-1"
		if d > 0 {
			ms = strconv.FormatInt(d.Milliseconds(), 10)
		}
		req.Resources = append(req.Resources, kafka.AlterConfigRequestResource{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic,
			Configs: []kafka.AlterConfigRequestConfig{{Name: "retention.ms", Value: ms}}})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// A transport of its own: the default one keeps connections to an address,
	// which a broker restarted on the same address has closed.
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&kafka.Client{Addr: kafka.TCP(addr), Transport: tr}).AlterConfigs(ctx, req)
	if err == nil {
		for _, e := range resp.Errors {
			if e != nil {
				err = e
			}
		}
	}
	if err != nil {
		return fmt.Errorf("eventlog: set the retention of the topics: %w", err)
	}
	return nil
}

// Addr returns the address clients connect to.
func (e *Embedded) Addr() string { return e.addr }

// Close stops the broker and flushes its log to disk.
func (e *Embedded) Close() {
	e.cluster.Close()
	e.syncer.close()
}

// Ping checks that a broker answers with the cluster's metadata. One broker
// that answers is enough: with three, one down, the cluster works, and /readyz
// must not say otherwise (it asked the first one only).
func Ping(ctx context.Context, brokers []string) error {
	var errs []error
	for _, b := range brokers {
		err := ping(ctx, b)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func ping(ctx context.Context, broker string) error {
	var d kafka.Dialer
	conn, err := d.DialContext(ctx, "tcp", broker)
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
