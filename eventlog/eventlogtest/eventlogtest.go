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
	addr := FreeAddr(t)
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

// FreeAddr returns a local address where nothing listens: for a broker to
// start on, or for one that is down.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
