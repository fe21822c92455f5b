package eventlog_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
)

// TestLeadOneAtATime: of three processes electing a leader, one works at a
// time; when it stops, another takes over, and never two at once.
func TestLeadOneAtATime(t *testing.T) {
	addr, _ := eventlogtest.Start(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var working, most atomic.Int32
	var mu sync.Mutex
	var leader int = -1
	cancels := make([]context.CancelFunc, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		ctx, cancel := context.WithCancel(context.Background())
		cancels[i] = cancel
		wg.Go(func() {
			eventlog.Lead(ctx, []string{addr}, "test-leader", events.TopicAudit, func(ctx context.Context) error {
				n := working.Add(1)
				defer working.Add(-1)
				if n > most.Load() {
					most.Store(n)
				}
				mu.Lock()
				leader = i
				mu.Unlock()
				<-ctx.Done()
				return nil
			}, log)
		})
	}
	defer func() {
		for _, c := range cancels {
			c()
		}
		wg.Wait()
	}()
	current := func() (int, error) {
		mu.Lock()
		defer mu.Unlock()
		if working.Load() != 1 {
			return -1, fmt.Errorf("%d processes working", working.Load())
		}
		return leader, nil
	}
	var first int
	poll(t, "a first leader", func() (err error) { first, err = current(); return err })
	cancels[first]()
	poll(t, "a second leader", func() error {
		l, err := current()
		if err == nil && l == first {
			err = fmt.Errorf("still led by the stopped process %d", l)
		}
		return err
	})
	if m := most.Load(); m != 1 {
		t.Errorf("%d processes worked at once", m)
	}
}

func poll(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
