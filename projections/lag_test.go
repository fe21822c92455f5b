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
	if got := testutil.ToFloat64(consumerLag.WithLabelValues("parvis.lagtest", "0")); got != 0 {
		t.Errorf("lag of partition 0 = %v, want 0", got)
	}
	// The gauge is shared with the other tests of the package: look at this
	// test's topic only.
	if consumerLag.DeleteLabelValues("parvis.lagtest", "2") {
		t.Error("partition 2 is still reported after it went quiet")
	}
	if !consumerLag.DeleteLabelValues("parvis.lagtest", "0") {
		t.Error("partition 0, read 40 s ago, is no longer reported")
	}
}
