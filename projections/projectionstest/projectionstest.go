// Package projectionstest fills projection tables for the tests and benchmarks
// of the projections and what reads them: the rows the projector makes of a set
// of events, for a bulk insert to measure the projector against, and months of
// synthetic traffic for the dashboards' queries. Production code never imports
// it.
package projectionstest

import (
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/projections"
)

// Rows maps events to the rows of every table, as the projector does; inserted
// with [projections.Batch.Insert], it is the reference that the projector's
// speed is measured against. Events that do not decode are left out.
func Rows(evs []events.Envelope) projections.Batch {
	b := projections.Batch{}
	for _, e := range evs {
		raw, err := e.Marshal()
		if err != nil {
			continue
		}
		if env, p, err := events.Decode(raw); err == nil {
			b.Project(env, p)
		}
	}
	return b
}
