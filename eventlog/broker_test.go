package eventlog

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
)

// firstOffsets returns the first offset of partition 0 of each topic.
func firstOffsets(t *testing.T, addr string, topics ...string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, topic := range topics {
		conn, err := kafka.DialLeader(context.Background(), "tcp", addr, topic, 0)
		if err != nil {
			t.Fatal(err)
		}
		first, _, err := conn.ReadOffsets()
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[topic] = first
	}
	return out
}

// TestRetention: with a retention of a day, the conversations' events older than
// that leave the log when the broker applies retention; the knowledge base and
// the audit log, as old, stay. The setting survives a restart and follows a
// changed period.
func TestRetention(t *testing.T) {
	dir, addr := filepath.Join(t.TempDir(), "kafka"), freeAddr(t)
	b, err := StartEmbedded(dir, addr, Retention(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { b.Close() }()
	old := time.Now().Add(-48 * time.Hour)
	w := &kafka.Writer{Addr: kafka.TCP(addr), Balancer: &kafka.Hash{}, BatchTimeout: time.Millisecond}
	defer w.Close()
	var msgs []kafka.Message
	for _, topic := range []string{events.TopicConversations, events.TopicKB, events.TopicAudit} {
		msgs = append(msgs, kafka.Message{Topic: topic, Key: []byte("k"), Value: []byte("{}"), Time: old})
	}
	// One recent event on the same partition as the old one.
	msgs = append(msgs, kafka.Message{Topic: events.TopicConversations, Key: []byte("k"), Value: []byte("{}"), Time: time.Now()})
	for _, m := range msgs {
		if err := w.WriteMessages(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	conv := kafka.Message{Topic: events.TopicConversations, Key: []byte("k")}
	part := (&kafka.Hash{}).Balance(conv, 0, 1, 2)

	b.cluster.ApplyRetention()
	conn, err := kafka.DialLeader(context.Background(), "tcp", addr, events.TopicConversations, part)
	if err != nil {
		t.Fatal(err)
	}
	first, last, err := conn.ReadOffsets()
	conn.Close()
	if err != nil || first != 1 || last != 2 {
		t.Errorf("conversations partition %d holds offsets [%d, %d) (%v), want the recent event only, [1, 2)", part, first, last, err)
	}
	if got := firstOffsets(t, addr, events.TopicKB, events.TopicAudit); got[events.TopicKB] != 0 || got[events.TopicAudit] != 0 {
		t.Errorf("knowledge base and audit log lost their old events: first offsets %v", got)
	}

	b.Close()
	if b, err = StartEmbedded(dir, addr); err != nil { // no retention: for ever
		t.Fatal(err)
	}
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&kafka.Client{Addr: kafka.TCP(addr), Transport: tr}).DescribeConfigs(context.Background(), &kafka.DescribeConfigsRequest{
		Resources: []kafka.DescribeConfigRequestResource{{ResourceType: kafka.ResourceTypeTopic, ResourceName: events.TopicConversations, ConfigNames: []string{"retention.ms"}}},
	})
	if err != nil || len(resp.Resources) != 1 || len(resp.Resources[0].ConfigEntries) != 1 || resp.Resources[0].ConfigEntries[0].ConfigValue != "-1" {
		t.Errorf("retention.ms after a restart without retention: %+v %v", resp, err)
	}
}
