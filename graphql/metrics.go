package graphql

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	operations = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "graphql", Name: "operations_total",
		Help: "GraphQL operations executed (queries and mutations).",
	})
	errorsByCode = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "graphql", Name: "errors_total",
		Help: "Errors returned to GraphQL callers, by extensions.code (INTERNAL: a fault of Parvis or of a server it uses).",
	}, []string{"code"})
)

func init() {
	// Every code from the start, at zero: an alert's rate over a code never
	// seen yet is a rate over nothing, which never fires.
	for _, c := range []string{CodeUnauthenticated, CodeForbidden, CodeBadUserInput, CodeRateLimited, CodeInternal} {
		errorsByCode.WithLabelValues(c)
	}
}

// countOperations counts the operations that run, the denominator of the
// error rate.
func countOperations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	operations.Inc()
	return next(ctx)
}
