package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/parvis-civic/parvis/tenant"
)

// DemandeFigure counts the demandes of one kind in one status, filed in a
// period, with how long the closed ones took against their announced time.
type DemandeFigure struct {
	Kind   string `ch:"kind"`
	Status string `ch:"status"`
	Count  uint64 `ch:"n"`
	// Closed are those done or refused; InTime those closed by their due date.
	Closed uint64 `ch:"closed"`
	InTime uint64 `ch:"in_time"`
	// ClosedSeconds is the sum of the closed ones' processing times.
	ClosedSeconds float64 `ch:"closed_seconds"`
}

// DemandeFigures returns the demandes filed in [from, to) by kind and current
// status, of the tenants of the scope (ErrNoScope for the zero one). A status
// is the latest change's (event ids sort by time).
func (q *Queries) DemandeFigures(ctx context.Context, scope tenant.Scope, from, to time.Time) ([]DemandeFigure, error) {
	where, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	var out []DemandeFigure
	// One join a level and no qualified names after USING: version-neutral SQL.
	sql := fmt.Sprintf(`SELECT kind, last_status AS status, count() AS n,
			sum(closed_at > toDateTime(0)) AS closed,
			sum(closed_at > toDateTime(0) AND closed_at <= due) AS in_time,
			toFloat64(sum(if(closed_at > toDateTime(0), toInt64(closed_at) - toInt64(filed_at), 0))) AS closed_seconds
		FROM (SELECT tracking_code, kind, filed_at, due FROM demandes FINAL WHERE filed_at >= %s AND filed_at < %s AND %s) AS d
		ANY LEFT JOIN (
			SELECT tracking_code, argMax(status, event_id) AS last_status,
				minIf(at, status IN ('TRAITEE', 'REJETEE')) AS closed_at
			FROM demande_changes FINAL GROUP BY tracking_code
		) AS c USING tracking_code
		GROUP BY kind, last_status
		ORDER BY kind, last_status`, TimeLit(from), TimeLit(to), where)
	if err := q.s.Select(ctx, &out, sql); err != nil {
		return nil, fmt.Errorf("projections: demande figures: %w", err)
	}
	return out, nil
}
