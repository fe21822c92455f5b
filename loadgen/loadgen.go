// Package loadgen sends realistic citizen traffic to a running Parvis through
// its GraphQL API, as `parvis loadgen` and the benchmarks do: simulated
// citizens (the clients) each start a conversation with an audience, send a few
// messages drawn from the demo knowledge base's phrasings (with rephrasings,
// thanks and off-topic lines), then start another, paced to a rate of messages
// a second for a duration. It measures what a citizen waits for each answer and
// counts the errors by code.
//
// The server limits each client address's messages (serve --chat-rate-limit,
// 120 a minute by default, and --token-rate-limit): every simulated citizen
// comes from the same address, so a load test runs against a server started
// with --chat-rate-limit 0, or it measures the limiter (RATE_LIMITED errors).
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Config is what to send, where, how fast and for how long.
type Config struct {
	// URL is the server's GraphQL endpoint (http://HOST:PORT/graphql); a URL
	// without a path gets /graphql.
	URL string
	// Rate is the messages a second, all clients together; 0: as fast as the
	// clients get their answers.
	Rate float64
	// Duration is how long messages are sent; the answers awaited then still
	// count. 0: until Messages are sent.
	Duration time.Duration
	// Messages stops after this many messages (0: until Duration).
	Messages int
	// Clients is the number of simulated citizens talking at once.
	Clients int
	// Tenant is the commune or intercommunalité the conversations are held
	// with ("": the server's default).
	Tenant string
	// MinTurns and MaxTurns bound the messages of a conversation (default 2 and
	// 5).
	MinTurns, MaxTurns int
	// Noop sends `{ __typename }` instead of conversations: a request that the
	// same HTTP and GraphQL stack answers without doing anything, the ceiling
	// that sendMessage is measured against.
	Noop bool
	// Seed makes the traffic reproducible (0: a fixed default).
	Seed uint64
	// Progress, when set, is called about every second and once at the end.
	Progress func(Progress)
}

// Validate says which setting cannot run, in French and by the flag of
// `parvis loadgen` that sets it: the operator reads it.
func (c *Config) Validate() error {
	var errs []error
	if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--url : %q ; attendu : une adresse comme http://HÔTE:PORT/graphql", c.URL))
	}
	if c.Rate < 0 {
		errs = append(errs, fmt.Errorf("--rate : %g ; attendu : 0 (au rythme des réponses) ou plus", c.Rate))
	}
	if c.Duration < 0 || c.Messages < 0 || c.Duration == 0 && c.Messages == 0 {
		errs = append(errs, fmt.Errorf("--duration : %s et --messages : %d ; attendu : une durée ou un nombre de messages", c.Duration, c.Messages))
	}
	if c.Clients < 1 {
		errs = append(errs, fmt.Errorf("--clients : %d ; attendu : 1 ou plus", c.Clients))
	}
	if c.MinTurns < 0 || c.MaxTurns < 0 || c.MaxTurns > 0 && c.MaxTurns < c.MinTurns {
		errs = append(errs, fmt.Errorf("messages par conversation : de %d à %d ; attendu : 1 ≤ minimum ≤ maximum", c.MinTurns, c.MaxTurns))
	}
	return errors.Join(errs...)
}

// Progress is where a run stands.
type Progress struct {
	Elapsed, Duration time.Duration
	Sent, Errors      int
	Messages          int // the Config's, 0 without
}

// Run sends the traffic and returns what it measured. It returns early, with
// what was measured so far, when ctx ends. A message that fails counts as an
// error, never stops the run.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MinTurns == 0 {
		cfg.MinTurns = 2
	}
	if cfg.MaxTurns == 0 {
		cfg.MaxTurns = max(5, cfg.MinTurns)
	}
	if cfg.Seed == 0 {
		cfg.Seed = 2026
	}
	endpoint, _ := url.Parse(cfg.URL)
	if endpoint.Path == "" || endpoint.Path == "/" {
		endpoint.Path = "/graphql"
	}
	c := &client{
		url: endpoint.String(),
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: cfg.Clients, MaxIdleConnsPerHost: cfg.Clients, IdleConnTimeout: time.Minute,
		}},
	}
	defer c.http.CloseIdleConnections()

	r := &run{cfg: cfg, c: c, traffic: newTraffic(cfg.MinTurns, cfg.MaxTurns), res: &Result{Errors: map[string]int{}, Outcomes: map[string]int{}}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	r.deadline = start.Add(cfg.Duration)
	if cfg.Rate > 0 {
		r.tokens = make(chan struct{})
		go r.pace(ctx, start)
	}
	var wg sync.WaitGroup
	for i := range cfg.Clients {
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		wg.Go(func() { r.citizen(ctx, rng) })
	}
	stopProgress := r.report(start)
	wg.Wait()
	r.res.Elapsed = time.Since(start)
	stopProgress()
	slices.Sort(r.res.Latencies)
	return r.res, nil
}

// run is one load run's shared state.
type run struct {
	cfg      Config
	c        *client
	traffic  *traffic
	deadline time.Time
	tokens   chan struct{} // one per message allowed, when paced
	reserved atomic.Int64  // messages taken, against cfg.Messages
	sent     atomic.Int64
	failed   atomic.Int64

	mu  sync.Mutex
	res *Result
}

// pace hands out one token per message at the configured rate. Clients all
// busy waiting for answers make it fall behind: the rate is then what the
// server allows, and the summary says so.
func (r *run) pace(ctx context.Context, start time.Time) {
	interval := time.Duration(float64(time.Second) / r.cfg.Rate)
	for i := 0; ; i++ {
		next := start.Add(time.Duration(i) * interval)
		if d := time.Until(next); d > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		}
		select {
		case <-ctx.Done():
			return
		case r.tokens <- struct{}{}:
		}
	}
}

// next waits for the turn to send one more message and says whether the run
// goes on.
func (r *run) next(ctx context.Context) bool {
	if ctx.Err() != nil || r.cfg.Duration > 0 && !time.Now().Before(r.deadline) {
		return false
	}
	if r.cfg.Messages > 0 && r.reserved.Add(1) > int64(r.cfg.Messages) {
		return false
	}
	if r.tokens == nil {
		return true
	}
	var timeout <-chan time.Time
	if r.cfg.Duration > 0 {
		timeout = time.After(time.Until(r.deadline))
	}
	select {
	case <-r.tokens:
		return true
	case <-timeout:
		return false
	case <-ctx.Done():
		return false
	}
}

// citizen talks until the run ends: one conversation after the other.
func (r *run) citizen(ctx context.Context, rng *rand.Rand) {
	for {
		if r.cfg.Noop {
			if !r.next(ctx) {
				return
			}
			t0 := time.Now()
			err := r.c.noop(ctx)
			r.record(time.Since(t0), err)
			backOff(ctx, err)
			continue
		}
		conv := r.traffic.conversation(rng)
		if !r.next(ctx) {
			return
		}
		id, err := r.c.start(ctx, conv.audience, r.cfg.Tenant)
		if err != nil {
			r.record(0, fmt.Errorf("startConversation: %w", err))
			backOff(ctx, err)
			continue
		}
		// Only a conversation the server opened counts: the figure is compared
		// with the server's own (overview, parvis_chat_conversations_started_total).
		r.mu.Lock()
		r.res.Conversations++
		r.mu.Unlock()
		for i, text := range conv.messages {
			if i > 0 && !r.next(ctx) {
				return
			}
			t0 := time.Now()
			outcome, err := r.c.send(ctx, id, text)
			r.record(time.Since(t0), err)
			if err == nil {
				r.mu.Lock()
				r.res.Outcomes[outcome]++
				r.mu.Unlock()
			}
			backOff(ctx, err)
		}
	}
}

// transportPause is how long a simulated citizen waits after a request that
// reached no server: a server down or restarting is not sent tens of thousands
// of requests a second by clients that go as fast as the answers come.
const transportPause = 100 * time.Millisecond

// backOff waits transportPause after a transport error, or until ctx ends.
func backOff(ctx context.Context, err error) {
	if err == nil || errorCode(err) != "TRANSPORT" {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(transportPause):
	}
}

// record counts one message: its latency when answered, its error otherwise.
func (r *run) record(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.failed.Add(1)
		r.res.Failed++
		r.res.Errors[errorCode(err)]++
		if r.res.FirstError == "" {
			r.res.FirstError = err.Error()
		}
		return
	}
	r.sent.Add(1)
	r.res.Sent++
	r.res.Latencies = append(r.res.Latencies, d)
}

// report calls Progress every second until the returned function is called,
// which reports once more.
func (r *run) report(start time.Time) (stop func()) {
	if r.cfg.Progress == nil {
		return func() {}
	}
	now := func() Progress {
		return Progress{Elapsed: time.Since(start), Duration: r.cfg.Duration, Sent: int(r.sent.Load()),
			Errors: int(r.failed.Load()), Messages: r.cfg.Messages}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				r.cfg.Progress(now())
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		r.cfg.Progress(now())
	}
}
