package eventlog_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
)

// A process given three brokers starts while the first is down: the others
// answer (before, only the first one was asked, for 30 s, and the process
// exited).
func TestFollowStartsWhenTheFirstBrokerIsDown(t *testing.T) {
	addr, _ := eventlogtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		done <- eventlog.Follow(ctx, []string{"127.0.0.1:1", addr}, events.TopicKB,
			func(events.Envelope, events.Payload) {}, func() { once.Do(func() { close(ready) }) }, slog.Default())
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Follow stopped before reading the topic, the second broker up: %v", err)
	}
	cancel()
	<-done
}

// lockedBuffer is a log destination read while the follower writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// No broker answers: the log says so, and which ones, at once rather than after
// the 30 s of retries (`--kafka nowhere:9092` said nothing at all).
func TestFollowSaysWhichBrokersItWaitsFor(t *testing.T) {
	var buf lockedBuffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		eventlog.Follow(ctx, []string{"127.0.0.1:1"}, events.TopicKB, func(events.Envelope, events.Payload) {}, func() {}, log)
	}()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(buf.String(), "waiting for the Kafka broker"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("nothing logged while no broker answers: %q", buf.String())
		}
	}
	if !strings.Contains(buf.String(), "127.0.0.1:1") {
		t.Errorf("the log does not name the broker: %s", buf.String())
	}
}

// Readiness asks every broker: the first one down of two is not « broker Kafka
// injoignable ».
func TestPingAnswersWhenOneBrokerOfSeveralIsUp(t *testing.T) {
	addr, _ := eventlogtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := eventlog.Ping(ctx, []string{"127.0.0.1:1", addr}); err != nil {
		t.Errorf("the second broker answers, Ping says: %v", err)
	}
	if err := eventlog.Ping(ctx, []string{"127.0.0.1:1"}); err == nil {
		t.Error("no broker answers, Ping says all is well")
	}
}
