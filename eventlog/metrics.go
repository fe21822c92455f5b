package eventlog

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	published = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "events", Name: "published_total",
		Help: "Events acknowledged by the broker, by topic.",
	}, []string{"topic"})
	publishFailures = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "events", Name: "publish_failures_total",
		Help: "Publish attempts the broker did not acknowledge (the events went to the outbox).",
	})
	publishLatency = promauto.NewHistogram(prometheus.HistogramOpts{
		Namespace: "parvis", Subsystem: "events", Name: "publish_duration_seconds",
		Help:    "Time a publish waits for its events to be acknowledged (or kept in the outbox), its wait in the group commit's queue included.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
	})
	produceLatency = promauto.NewHistogram(prometheus.HistogramOpts{
		Namespace: "parvis", Subsystem: "events", Name: "produce_duration_seconds",
		Help:    "Time for the broker to acknowledge one group of events (the produce requests alone, without the queue).",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
	})
	outboxDepth = promauto.NewGauge(prometheus.GaugeOpts{
		Namespace: "parvis", Subsystem: "events", Name: "outbox_depth",
		Help: "Events waiting in the local outbox for the broker.",
	})
	deadLettered = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "events", Name: "deadlettered_total",
		Help: "Malformed events sent to the dead-letter topic.",
	})
)
