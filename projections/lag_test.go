package projections

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
)

// TestConsumerLag: the lag of a partition is what the broker holds after the
// last committed event; a partition not read for a while (moved to another
// projector of the group) is no longer reported by this one.
func TestConsumerLag(t *testing.T) {
	l := newLagMeter()
	now := time.Now()
	l.committed([]kafka.Message{
		{Topic: "parvis.lagtest", Partition: 0, Offset: 3, HighWaterMark: 10},
		{Topic: "parvis.lagtest", Partition: 0, Offset: 4, HighWaterMark: 10},
		{Topic: "parvis.lagtest", Partition: 2, Offset: 7, HighWaterMark: 8},
	}, now)
	if got := testutil.ToFloat64(consumerLag.WithLabelValues("parvis.lagtest", "0")); got != 5 {
		t.Errorf("lag of partition 0 = %v, want 5 (offsets 5 to 9 not projected)", got)
	}
	if got := testutil.ToFloat64(consumerLag.WithLabelValues("parvis.lagtest", "2")); got != 0 {
		t.Errorf("lag of partition 2 = %v, want 0 (caught up)", got)
	}
	l.committed([]kafka.Message{{Topic: "parvis.lagtest", Partition: 0, Offset: 9, HighWaterMark: 10}}, now.Add(50*time.Second))
	l.sweep(now.Add(90 * time.Second))
	if n := testutil.CollectAndCount(consumerLag, "parvis_projector_consumer_lag_messages"); n != 1 {
		t.Errorf("%d partitions reported after partition 2 went quiet, want 1", n)
	}
	if got := testutil.ToFloat64(consumerLag.WithLabelValues("parvis.lagtest", "0")); got != 0 {
		t.Errorf("lag of partition 0 = %v, want 0", got)
	}
}
