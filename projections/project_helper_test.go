package projections

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
)

// projectAsTheProjector projects evs as the projector does a batch of them:
// insert the batch, then roll up the hours it touched.
func projectAsTheProjector(t *testing.T, ctx context.Context, p *Projector, evs []events.Envelope) {
	t.Helper()
	var ms []kafka.Message
	for _, e := range evs {
		raw, err := e.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, kafka.Message{Value: raw})
	}
	b, err := p.prepare(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.insert(ctx, b); err != nil {
		t.Fatal(err)
	}
	hours := map[time.Time]bool{}
	for _, h := range b.hours {
		hours[h] = true
	}
	if err := p.rollUp(ctx, hours); err != nil {
		t.Fatal(err)
	}
}
