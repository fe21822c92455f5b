package demandes

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	filed = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "demandes", Name: "filed_total",
		Help: "Demandes filed, by kind.",
	}, []string{"kind"})
	deliveries = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "demandes", Name: "deliveries_total",
		Help: "Deliveries to a service platform, by result (delivered, retry, dead).",
	}, []string{"result"})
)

func init() {
	// Every result from the start, at zero, so that an alert on dead
	// deliveries has a series to watch before the first one.
	for _, r := range []string{"delivered", "retry", "dead"} {
		deliveries.WithLabelValues(r)
	}
}
