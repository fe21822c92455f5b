package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// server answers startConversation and sendMessage as Parvis's API does, each
// fifth message with RATE_LIMITED, and keeps what it was sent.
type server struct {
	mu        sync.Mutex
	audiences []string
	convs     map[string][]string // conversation → its messages
	messages  int
	limited   int
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case strings.Contains(req.Query, "startConversation"):
		id := fmt.Sprintf("conv-%d", len(s.convs))
		s.convs[id] = nil
		s.audiences = append(s.audiences, req.Variables["a"].(string))
		fmt.Fprintf(w, `{"data":{"startConversation":{"id":%q}}}`, id)
	case strings.Contains(req.Query, "sendMessage"):
		id := req.Variables["c"].(string)
		s.convs[id] = append(s.convs[id], req.Variables["t"].(string))
		if s.messages++; s.messages%5 == 0 {
			s.limited++
			fmt.Fprint(w, `{"errors":[{"message":"trop de messages","extensions":{"code":"RATE_LIMITED"}}],"data":null}`)
			return
		}
		fmt.Fprint(w, `{"data":{"sendMessage":{"text":"…","outcome":"ANSWERED","confidence":0.9}}}`)
	default:
		fmt.Fprint(w, `{"data":{"__typename":"Query"}}`)
	}
}

func TestRunSendsConversationsOfDemoPhrasingsAndCountsErrors(t *testing.T) {
	srv := &server{convs: map[string][]string{}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var progress []Progress
	res, err := Run(context.Background(), Config{URL: ts.URL, Clients: 4, Messages: 60,
		Progress: func(p Progress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if srv.messages != 60 || res.Sent+res.Failed != 60 {
		t.Errorf("server got %d messages, the result says %d sent and %d failed: want 60 in all", srv.messages, res.Sent, res.Failed)
	}
	if res.Failed != srv.limited || res.Errors["RATE_LIMITED"] != srv.limited || res.Outcomes["ANSWERED"] != res.Sent {
		t.Errorf("failed %d, errors %v, outcomes %v: want the %d RATE_LIMITED apart", res.Failed, res.Errors, res.Outcomes, srv.limited)
	}
	if len(res.Latencies) != res.Sent || res.Percentile(0.5) > res.Percentile(0.99) || res.Rate() <= 0 {
		t.Errorf("%d latencies for %d sent, p50 %s, p99 %s, rate %.0f", len(res.Latencies), res.Sent, res.Percentile(0.5), res.Percentile(0.99), res.Rate())
	}
	if res.Conversations != len(srv.convs) || len(srv.convs) < 60/5 {
		t.Errorf("%d conversations counted, %d started: want at least one per 5 messages", res.Conversations, len(srv.convs))
	}
	known := map[string]bool{}
	tr := newTraffic(2, 5)
	for _, entries := range tr.byAudience {
		for _, phrasings := range entries {
			for _, p := range phrasings {
				known[p] = true
			}
		}
	}
	for _, m := range append(courtesies, offTopic...) {
		known[m] = true
	}
	for id, msgs := range srv.convs {
		if len(msgs) > 5 {
			t.Errorf("%s: %d messages, want 5 at most", id, len(msgs))
		}
		for _, m := range msgs {
			if !known[m] {
				t.Errorf("%s: %q is none of the demo phrasings", id, m)
			}
		}
	}
	for _, a := range srv.audiences {
		if a != "PARTICULIER" && a != "ENTREPRISE" && a != "ASSOCIATION" {
			t.Errorf("audience %q", a)
		}
	}
	if len(progress) == 0 || progress[len(progress)-1].Sent != res.Sent {
		t.Errorf("progress %v: want a last report of %d sent", progress, res.Sent)
	}
	var out strings.Builder
	res.WriteSummary(&out)
	for _, want := range []string{fmt.Sprintf("envoyés : %d messages", res.Sent), "p99", "RATE_LIMITED", "--chat-rate-limit 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

// Noop sends the request the same stack answers doing nothing, no conversation.
func TestRunNoop(t *testing.T) {
	srv := &server{convs: map[string][]string{}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	res, err := Run(context.Background(), Config{URL: ts.URL + "/graphql", Clients: 3, Messages: 30, Noop: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 30 || res.Failed != 0 || len(srv.convs) != 0 || srv.messages != 0 {
		t.Errorf("sent %d, failed %d, conversations %d, messages %d: want 30 no-op requests only", res.Sent, res.Failed, len(srv.convs), srv.messages)
	}
}

// A server that does not answer GraphQL is counted by HTTP status, and a run
// bounded by a duration ends.
func TestRunCountsHTTPErrors(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "bad gateway", http.StatusBadGateway)
	}))
	defer ts.Close()
	res, err := Run(context.Background(), Config{URL: ts.URL, Clients: 2, Duration: 200 * time.Millisecond, Rate: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 0 || res.Failed == 0 || res.Errors["HTTP_502"] != res.Failed {
		t.Errorf("sent %d, failed %d, errors %v: want every request counted as HTTP_502", res.Sent, res.Failed, res.Errors)
	}
	// No conversation was opened: the report must not claim some (a server
	// killed under load read « 247 messages (412 conversations) », 80 opened).
	if res.Conversations != 0 {
		t.Errorf("%d conversations counted, none opened by the server", res.Conversations)
	}
}

// A server that is down is not hammered: as fast as the answers come (rate 0),
// 2 clients for 300 ms used to send tens of thousands of requests to an
// address where nothing listens; each now waits a moment after such an error.
func TestRunPausesOnAServerDown(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL + "/graphql"
	ts.Close() // nothing listens there now
	res, err := Run(context.Background(), Config{URL: url, Clients: 2, Duration: 300 * time.Millisecond, Rate: 0})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed == 0 || res.Errors["TRANSPORT"] != res.Failed {
		t.Fatalf("failed %d, errors %v: want transport errors only", res.Failed, res.Errors)
	}
	// 2 clients, 300 ms, one request every 100 ms at most each: 8 at most.
	if res.Failed > 8 {
		t.Errorf("%d requests in 300 ms to a server that is down, want at most 8", res.Failed)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{URL: "http://127.0.0.1:8080/graphql", Clients: 1, Duration: time.Second}
	tests := []struct {
		name string
		edit func(*Config)
		want string // in the error; "" for none
	}{
		{"valid", func(*Config) {}, ""},
		// In French, naming the flag of parvis loadgen: what an operator reads.
		{"no scheme", func(c *Config) { c.URL = "127.0.0.1:8080" }, `--url : "127.0.0.1:8080" ; attendu : une adresse comme http://HÔTE:PORT/graphql`},
		{"negative rate", func(c *Config) { c.Rate = -1 }, "--rate : -1 ; attendu : 0 (au rythme des réponses) ou plus"},
		{"no end", func(c *Config) { c.Duration = 0 }, "--duration : 0s et --messages : 0 ; attendu : une durée ou un nombre de messages"},
		{"no client", func(c *Config) { c.Clients = 0 }, "--clients : 0 ; attendu : 1 ou plus"},
		{"turns upside down", func(c *Config) { c.MinTurns, c.MaxTurns = 4, 2 }, "messages par conversation : de 4 à 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want an error about %q", err, tt.want)
			}
		})
	}
}

func TestResultMerge(t *testing.T) {
	a := &Result{Sent: 2, Failed: 1, Elapsed: time.Second, Latencies: []time.Duration{3, 5}, Errors: map[string]int{"HTTP_502": 1}}
	b := &Result{Sent: 1, Elapsed: time.Second, Latencies: []time.Duration{4}, Outcomes: map[string]int{"ANSWERED": 1}}
	var r Result
	r.Merge(a)
	r.Merge(b)
	if r.Sent != 3 || r.Failed != 1 || r.Rate() != 1.5 || r.Percentile(0.5) != 4 || r.Errors["HTTP_502"] != 1 || r.Outcomes["ANSWERED"] != 1 {
		t.Errorf("merged %+v", r)
	}
}
