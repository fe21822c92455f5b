// Package eventlogtest starts the real parts of the event log for tests and
// benchmarks: an embedded broker on a free loopback port and a publisher to it.
// Production code never imports it.
package eventlogtest

import (
	"errors"
	"net"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/parvis-civic/parvis/eventlog"
)

// Start starts an embedded broker and a publisher, both closed when the test
// ends, and returns the broker's address.
func Start(t testing.TB) (string, *eventlog.Publisher) {
	t.Helper()
	dir := t.TempDir()
	addr, broker := StartBroker(t, filepath.Join(dir, "kafka"))
	pub, err := eventlog.NewPublisher(eventlog.PublisherConfig{Brokers: []string{addr}, OutboxDir: filepath.Join(dir, "outbox")})
	if err != nil {
		broker.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close(); broker.Close() })
	return addr, pub
}

// StartBroker starts an embedded broker in dir on a free loopback port and
// returns its address; closing it is the caller's. A port found free may be
// taken before the broker binds it (by any connection of the machine's tests
// running beside): another is tried then.
func StartBroker(t testing.TB, dir string) (string, *eventlog.Embedded) {
	t.Helper()
	var err error
	for range 5 {
		addr := FreeAddr(t)
		var broker *eventlog.Embedded
		if broker, err = eventlog.StartEmbedded(dir, addr); err == nil {
			return addr, broker
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	t.Fatal(err)
	return "", nil
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
