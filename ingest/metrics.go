package ingest

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	conversationsStarted = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "chat", Name: "conversations_started_total",
		Help: "Conversations started.",
	})
	messages = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "chat", Name: "messages_total",
		Help: "Citizen messages decided, by outcome.",
	}, []string{"outcome"})
	decisionLatency = promauto.NewHistogram(prometheus.HistogramOpts{
		Namespace: "parvis", Subsystem: "bot", Name: "decision_duration_seconds",
		Help:    "Time for the understanding engine to decide on a message.",
		Buckets: prometheus.ExponentialBuckets(0.00005, 2, 14),
	})
	rateLimited = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "chat", Name: "rate_limited_total",
		Help: "Messages refused because their client sent too fast.",
	})
	redactions = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "ingest", Name: "redactions_total",
		Help: "Personal data replaced by placeholders before logging, by kind.",
	}, []string{"kind"})
	retried = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "chat", Name: "messages_retried_total",
		Help: "Messages sent again by their client (same message id), answered with their first reply and not logged again.",
	})
	tracked = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "chat", Name: "demandes_tracked_total",
		Help: "Messages answered with where a filed demande stands.",
	})
)
