// Package eventlogtest starts the real parts of the event log for tests and
// benchmarks: an embedded broker on a free loopback port and a publisher to it.
// Production code never imports it.
package eventlogtest

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/parvis-civic/parvis/eventlog"
)

// Start starts an embedded broker and a publisher, both closed when the test
// ends, and returns the broker's address.
func Start(t testing.TB) (string, *eventlog.Publisher) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	broker, err := eventlog.StartEmbedded(filepath.Join(dir, "kafka"), addr)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := eventlog.NewPublisher(eventlog.PublisherConfig{Brokers: []string{addr}, OutboxDir: filepath.Join(dir, "outbox")})
	if err != nil {
		broker.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close(); broker.Close() })
	return addr, pub
}
