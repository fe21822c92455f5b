package projections

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	projected = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "projector", Name: "events_total",
		Help: "Events projected into ClickHouse, by type.",
	}, []string{"type"})
	batchSize = promauto.NewHistogram(prometheus.HistogramOpts{
		Namespace: "parvis", Subsystem: "projector", Name: "batch_events",
		Help:    "Events per projected batch.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 12),
	})
	insertLatency = promauto.NewHistogram(prometheus.HistogramOpts{
		Namespace: "parvis", Subsystem: "projector", Name: "insert_duration_seconds",
		Help:    "Time to insert one batch into every table it feeds.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
	})
	insertFailures = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "projector", Name: "insert_failures_total",
		Help: "Batch inserts and hourly rollups that ClickHouse refused or did not answer (retried).",
	})
	erased = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "projector", Name: "erased_conversations_total",
		Help: "Conversations erased from the projections at a citizen's request.",
	})
	skippedErased = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "projector", Name: "skipped_erased_events_total",
		Help: "Events not projected because their conversation is erased.",
	})
	consumerLag = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "parvis", Subsystem: "projector", Name: "consumer_lag_messages",
		Help: "Events on the log after the last one projected, per partition this projector reads (as of its last commit).",
	}, []string{"topic", "partition"})
	lagSeconds = promauto.NewGauge(prometheus.GaugeOpts{
		Namespace: "parvis", Subsystem: "projector", Name: "lag_seconds",
		Help: "Age of the newest projected event when its batch was committed.",
	})
)
