package parvistest

import (
	"net"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Broker is a running `parvis broker`: the embedded broker as its own process,
// which the roles of a deployment share.
type Broker struct {
	cmd  *exec.Cmd
	Addr string
}

// StartBroker starts `parvis broker` on data and waits until it listens. The
// process is killed when the test ends.
func StartBroker(t testing.TB, data string) *Broker {
	t.Helper()
	b := &Broker{Addr: FreePort(t)}
	out := &output{}
	b.cmd = exec.Command(binary, "broker", "--data", data, "--listen", b.Addr)
	b.cmd.Stdout, b.cmd.Stderr = out, out
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.cmd.Process.Signal(syscall.SIGKILL)
		b.cmd.Wait()
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if conn, err := net.DialTimeout("tcp", b.Addr, time.Second); err == nil {
			conn.Close()
			return b
		}
	}
	t.Fatalf("parvis broker does not listen after 30 s:\n%s", out.String())
	return nil
}
