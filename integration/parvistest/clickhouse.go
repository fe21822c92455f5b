package parvistest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// ClickHouseServer is a ClickHouse server of the test's own (Debian's
// clickhouse-server), on loopback, in a scratch directory: a fault test may kill
// and restart it, which it cannot do to the server CI shares.
type ClickHouseServer struct {
	t    testing.TB
	dir  string
	port string
	cmd  *exec.Cmd
	DSN  string
}

// StartClickHouseServer starts a server and waits until it answers; the test is
// skipped, with the reason, when clickhouse-server is not installed.
func StartClickHouseServer(t testing.TB) *ClickHouseServer {
	t.Helper()
	if _, err := exec.LookPath("clickhouse-server"); err != nil {
		t.Skip("SKIP: clickhouse-server is not installed (apt-get install clickhouse-server); .ci/run installs it")
	}
	dir := t.TempDir()
	_, port, _ := net.SplitHostPort(FreePort(t))
	_, httpPort, _ := net.SplitHostPort(FreePort(t))
	for _, d := range []string{"data", "tmp", "user_files", "format_schemas"} {
		os.MkdirAll(filepath.Join(dir, d), 0o750)
	}
	config := fmt.Sprintf(`<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>%[1]s/server.log</log><errorlog>%[1]s/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>%[2]s</tcp_port>
  <http_port>%[3]s</http_port>
  <path>%[1]s/data/</path>
  <tmp_path>%[1]s/tmp/</tmp_path>
  <user_files_path>%[1]s/user_files/</user_files_path>
  <format_schema_path>%[1]s/format_schemas/</format_schema_path>
  <users_config>/etc/clickhouse-server/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>536870912</mark_cache_size>
</yandex>`, dir, port, httpPort)
	if err := os.WriteFile(filepath.Join(dir, "config.xml"), []byte(config), 0o640); err != nil {
		t.Fatal(err)
	}
	c := &ClickHouseServer{t: t, dir: dir, port: port, DSN: "clickhouse://default:@127.0.0.1:" + port + "/parvis_fault"}
	c.Restart()
	t.Cleanup(c.Kill)
	return c
}

// Restart starts the server again on the same data and waits until it listens.
func (c *ClickHouseServer) Restart() {
	c.t.Helper()
	c.cmd = exec.Command("clickhouse-server", "--config-file="+filepath.Join(c.dir, "config.xml"))
	if err := c.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if conn, err := net.DialTimeout("tcp", "127.0.0.1:"+c.port, time.Second); err == nil {
			conn.Close()
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(c.dir, "error.log"))
	c.t.Fatalf("clickhouse-server does not listen after 60 s:\n%s", log)
}

// Kill stops the server without a clean shutdown (SIGKILL).
func (c *ClickHouseServer) Kill() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Signal(syscall.SIGKILL)
		c.cmd.Wait()
		c.cmd = nil
	}
}
