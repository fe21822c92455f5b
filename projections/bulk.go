package projections

import (
	"context"

	"github.com/parvis-civic/parvis/events"
)

// Rows maps events to the rows of every table, as the projector does; with
// [InsertRows] it is the reference that the projector's speed is measured
// against.
func Rows(evs []events.Envelope) map[string][][]any {
	b := batch{}
	for _, e := range evs {
		raw, err := e.Marshal()
		if err != nil {
			continue
		}
		if env, p, err := events.Decode(raw); err == nil {
			b.project(env, p)
		}
	}
	return b
}

// InsertRows inserts rows made by [Rows] into the tables named with suffix.
func InsertRows(ctx context.Context, s Store, rows map[string][][]any, suffix string) error {
	return insertBatch(ctx, s, batch(rows), suffix)
}

// CreateFresh (re)creates empty projection tables named with suffix.
func CreateFresh(ctx context.Context, s Store, suffix string) error {
	for _, t := range Tables {
		if err := s.Exec(ctx, "DROP TABLE IF EXISTS "+t+suffix); err != nil {
			return err
		}
	}
	return migrate(ctx, s, suffix, false)
}
