// Package parvistest runs the parvis binary as a user would, for the end-to-end
// tests and the benchmarks: built once, started with its real parts (embedded
// broker, embedded ClickHouse, or a ClickHouse server), driven over HTTP, killed
// and restarted. Production code never imports it.
package parvistest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
)

var binary string

// Main builds the binary from cmdDir (the path from the test's package to
// cmd/parvis), runs the tests, calls each of after (a benchmark's table), and
// cleans up. Call it from TestMain.
func Main(m *testing.M, cmdDir string, after ...func()) {
	dir, err := os.MkdirTemp("", "parvis-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "parvis")
	out, err := exec.Command("go", "build", "-o", binary, cmdDir).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build parvis: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	for _, f := range after {
		f()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// Binary returns the path of the parvis binary the tests run.
func Binary() string { return binary }

// AdminToken is the PARVIS_ADMIN_TOKEN of the servers started here.
const AdminToken = "test-admin-token-of-at-least-32-characters"

// FreePort returns a free loopback address.
func FreePort(t testing.TB) string {
	t.Helper()
	return eventlogtest.FreeAddr(t)
}

// Server is a running `parvis serve`.
type Server struct {
	t      testing.TB
	cmd    *exec.Cmd
	Addr   string // HTTP
	Broker string // embedded Kafka broker
	args   []string
	log    *output
}

// Start starts `parvis serve --demo` on data, with extra flags, and waits until it
// is ready. The process is killed when the test ends. The demo's history is
// left out, so that a test counts what it sends: give "--demo-history", "90"
// to have it.
func Start(t testing.TB, data string, extra ...string) *Server {
	t.Helper()
	s := &Server{t: t, Addr: FreePort(t), Broker: FreePort(t)}
	s.args = append([]string{"serve", "--data", data, "--addr", s.Addr, "--broker-listen", s.Broker, "--demo",
		"--demo-history", "0", "--chat-rate-limit", "0", "--token-rate-limit", "0"}, extra...)
	s.Restart()
	return s
}

// StartRole starts `parvis serve` on data with only the flags given (a role of a
// deployment: --role, --kafka, --clickhouse...), rate limits off, and waits until
// it is ready. The process is killed when the test ends.
func StartRole(t testing.TB, data string, flags ...string) *Server {
	t.Helper()
	s := &Server{t: t, Addr: FreePort(t)}
	// No demo history unless asked for: a role given --demo counts what its
	// test sends, like Start.
	s.args = append([]string{"serve", "--data", data, "--addr", s.Addr, "--demo-history", "0", "--chat-rate-limit", "0", "--token-rate-limit", "0"}, flags...)
	s.Restart()
	return s
}

// Restart starts the process again on the same data and waits until it is ready.
func (s *Server) Restart() {
	s.t.Helper()
	s.log = &output{}
	s.cmd = exec.Command(binary, s.args...)
	s.cmd.Env = append(os.Environ(), "PARVIS_ADMIN_TOKEN="+AdminToken)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() {
		s.Kill()
		if s.t.Failed() {
			out := s.log.String()
			s.t.Logf("parvis serve said (last 4 KB):\n%s", out[max(0, len(out)-4096):])
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.Addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("parvis not ready after 60 s:\n%s", s.log.String())
}

// Output returns what the process has written so far (its log).
func (s *Server) Output() string { return s.log.String() }

// output is the process's output, read while the process writes it.
type output struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// PID returns the process id of the running server (its /proc/PID/status tells
// its memory).
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Kill stops the process without a clean shutdown (SIGKILL).
func (s *Server) Kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGKILL)
		s.cmd.Wait()
		s.cmd = nil
	}
}

// GQLError is one error of a GraphQL answer.
type GQLError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// GQL runs a GraphQL request and decodes its data into out.
func (s *Server) GQL(token, query string, vars map[string]any, out any) []GQLError {
	s.t.Helper()
	errs, err := s.TryGQL(token, query, vars, out)
	if err != nil {
		s.t.Fatal(err)
	}
	return errs
}

// TryGQL is GQL for callers that expect the server to go away (a goroutine of a
// fault test): a failed request is an error, not the end of the test.
func (s *Server) TryGQL(token, query string, vars map[string]any, out any) ([]GQLError, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.Addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []GQLError      `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("decode answer: %w", err)
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			return nil, err
		}
	}
	return r.Errors, nil
}

// Overview holds the figures of the overview query.
type Overview struct {
	Conversations, Messages, Answered, Unanswered int
}

// Overview reads the overview of the last day.
func (s *Server) Overview() Overview {
	s.t.Helper()
	var out struct{ Overview Overview }
	from := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	to := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if errs := s.GQL(AdminToken, `query($from: Time!, $to: Time!) { overview(from: $from, to: $to) { conversations messages answered unanswered } }`,
		map[string]any{"from": from, "to": to}, &out); len(errs) > 0 {
		s.t.Fatalf("overview: %v", errs)
	}
	return out.Overview
}

// WaitMessages polls overview until it counts want messages, and returns it.
func (s *Server) WaitMessages(want int, within time.Duration) Overview {
	s.t.Helper()
	var o Overview
	Poll(s.t, "overview", within, func() error {
		if o = s.Overview(); o.Messages != want {
			return fmt.Errorf("messages = %d, want %d", o.Messages, want)
		}
		return nil
	})
	return o
}

// Poll calls check until it returns nil, and fails the test with its last error
// when within has passed: what the server does in the background is waited for,
// never slept on.
func Poll(t testing.TB, what string, within time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s after %s: %v", what, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// StartConversation starts a conversation and returns its id.
func (s *Server) StartConversation() string {
	s.t.Helper()
	var out struct{ StartConversation struct{ ID string } }
	if errs := s.GQL("", `mutation { startConversation(audience: PARTICULIER, channel: "test") { id } }`, nil, &out); len(errs) > 0 {
		s.t.Fatalf("startConversation: %v", errs)
	}
	return out.StartConversation.ID
}

// Reply is the answer to sendMessage.
type Reply struct {
	Text       string
	Outcome    string
	Confidence float64
	Entry      *struct{ ID, Source string }
}

// Send sends a citizen message.
func (s *Server) Send(conv, text string) (Reply, []GQLError) {
	s.t.Helper()
	var out struct{ SendMessage Reply }
	errs := s.GQL("", `mutation($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { text outcome confidence entry { id source } } }`,
		map[string]any{"c": conv, "t": text}, &out)
	return out.SendMessage, errs
}

// Run runs another parvis command and returns its output.
func (s *Server) Run(args ...string) string {
	s.t.Helper()
	cmd := exec.CommandContext(context.Background(), binary, args...)
	cmd.Env = append(os.Environ(), "PARVIS_ADMIN_TOKEN="+AdminToken)
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("parvis %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// CreateAccount creates a local account with the admin token.
func (s *Server) CreateAccount(login, name, role, password string) {
	s.t.Helper()
	if errs := s.GQL(AdminToken, `mutation($l: String!, $n: String!, $r: Role!, $p: String!) { createAccount(login: $l, name: $n, role: $r, password: $p) { id } }`,
		map[string]any{"l": login, "n": name, "r": role, "p": password}, nil); len(errs) > 0 {
		s.t.Fatalf("createAccount: %v", errs)
	}
}

// DemoPasswords reads the demo accounts' passwords the server printed at its
// last start: login → password.
func (s *Server) DemoPasswords() map[string]string {
	s.t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(s.log.String(), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && demoPassword.MatchString(f[1]) {
			out[f[0]] = f[1]
		}
	}
	if len(out) == 0 {
		s.t.Fatalf("no demo account printed:\n%s", s.log)
	}
	return out
}

var demoPassword = regexp.MustCompile(`^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$`)
