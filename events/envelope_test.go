package events

import (
	"testing"
	"time"
)

// TestIDFloor: every id made at or after t is at least IDFloor(t), every id
// made before it is less: a range over a table ordered by event id.
func TestIDFloor(t *testing.T) {
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	floor := IDFloor(at)
	for range 100 {
		if id := NewID(at); id < floor {
			t.Fatalf("an id made at the floor's time: %s < %s", id, floor)
		}
		if id := NewID(at.Add(-time.Millisecond)); id >= floor {
			t.Fatalf("an id made before: %s >= %s", id, floor)
		}
	}
}
