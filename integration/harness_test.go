// Package integration runs the parvis binary as a user would: built, started with
// its real parts (embedded broker, embedded ClickHouse, or a ClickHouse server
// given by PARVIS_TEST_CLICKHOUSE), driven over HTTP, killed and restarted.
package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "parvis-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "parvis")
	out, err := exec.Command("go", "build", "-o", binary, "../cmd/parvis").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build parvis: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const adminToken = "test-admin-token"

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// server is a running `parvis serve`.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string
	broker string
	data   string
	args   []string
	log    *bytes.Buffer
}

func startServer(t *testing.T, data string, extra ...string) *server {
	t.Helper()
	s := &server{t: t, addr: freePort(t), broker: freePort(t), data: data}
	s.args = append([]string{"serve", "--data", data, "--addr", s.addr, "--broker-listen", s.broker, "--demo",
		"--chat-rate-limit", "0"}, extra...)
	s.start()
	return s
}

func (s *server) start() {
	s.t.Helper()
	s.log = &bytes.Buffer{}
	s.cmd = exec.Command(binary, s.args...)
	s.cmd.Env = append(os.Environ(), "PARVIS_ADMIN_TOKEN="+adminToken)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { s.kill() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("parvis not ready after 60 s:\n%s", s.log)
}

// kill stops the process without a clean shutdown.
func (s *server) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGKILL)
		s.cmd.Wait()
		s.cmd = nil
	}
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// gql runs a GraphQL request and decodes data into out.
func (s *server) gql(token, query string, vars map[string]any, out any) []gqlError {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		s.t.Fatalf("decode answer: %v", err)
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			s.t.Fatal(err)
		}
	}
	return r.Errors
}

type overview struct {
	Conversations, Messages, Answered, Unanswered int
}

func (s *server) overview() overview {
	s.t.Helper()
	var out struct{ Overview overview }
	from := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	to := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if errs := s.gql(adminToken, `query($from: Time!, $to: Time!) { overview(from: $from, to: $to) { conversations messages answered unanswered } }`,
		map[string]any{"from": from, "to": to}, &out); len(errs) > 0 {
		s.t.Fatalf("overview: %v", errs)
	}
	return out.Overview
}

// waitMessages polls overview until it counts want messages, and returns it.
func (s *server) waitMessages(want int, within time.Duration) overview {
	s.t.Helper()
	deadline := time.Now().Add(within)
	var o overview
	for time.Now().Before(deadline) {
		if o = s.overview(); o.Messages == want {
			return o
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("overview.messages = %d after %s, want %d", o.Messages, within, want)
	return o
}

func (s *server) startConversation() string {
	s.t.Helper()
	var out struct{ StartConversation struct{ ID string } }
	if errs := s.gql("", `mutation { startConversation(audience: PARTICULIER, channel: "test") { id } }`, nil, &out); len(errs) > 0 {
		s.t.Fatalf("startConversation: %v", errs)
	}
	return out.StartConversation.ID
}

type reply struct {
	Text       string
	Outcome    string
	Confidence float64
	Entry      *struct{ ID, Source string }
}

func (s *server) send(conv, text string) (reply, []gqlError) {
	s.t.Helper()
	var out struct{ SendMessage reply }
	errs := s.gql("", `mutation($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { text outcome confidence entry { id source } } }`,
		map[string]any{"c": conv, "t": text}, &out)
	return out.SendMessage, errs
}

func (s *server) run(args ...string) string {
	s.t.Helper()
	cmd := exec.CommandContext(context.Background(), binary, args...)
	cmd.Env = append(os.Environ(), "PARVIS_ADMIN_TOKEN="+adminToken)
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("parvis %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
