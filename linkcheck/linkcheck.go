// Package linkcheck checks, in the background, the links of the published
// knowledge base answers, so that the experts learn of a dead link before a
// citizen does.
//
// A [Checker] walks the links of the published entries (their link list and the
// addresses written in their answers), checks each at most once per period
// (HEAD, then GET when the server refuses HEAD), never more than a set number a
// minute, each with a timeout, and keeps the last result of every address in
// memory: [Checker.Dead] lists those that failed, with the entries that hold
// them. It runs only when `serve --check-links` asks for it.
package linkcheck

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/parvis-civic/parvis/kb"
)

// Result is the last check of an address.
type Result struct {
	URL       string
	Status    int    // HTTP status; 0 when no answer
	Err       string // why there was no answer
	CheckedAt time.Time
	Entries   []string // ids of the published entries holding it
}

// Dead reports whether the link is broken: no answer, or an error status.
func (r Result) Dead() bool { return r.Status == 0 || r.Status >= 400 }

// Checker checks the links of the published entries. Its fields are set before
// Run; it is safe for concurrent use once running.
type Checker struct {
	// Entries returns the published entries (kb.State.Published).
	Entries func() []kb.Entry
	// Client makes the requests; its Timeout bounds each one (default 10 s).
	Client *http.Client
	// PerMinute is the most requests a minute (default 30).
	PerMinute int
	// Every is how long a result stands before the address is checked again
	// (default 24 h).
	Every time.Duration

	mu      sync.Mutex
	results map[string]Result
}

// urlInText finds the http(s) addresses written in an answer, as the answer
// format links them.
var urlInText = regexp.MustCompile(`https?://[^\s<>()\]]+[^\s<>().,;:!?'"»\]]`)

// links returns every http(s) address of the published entries with the
// entries that hold it, in a stable order.
func links(entries []kb.Entry) (map[string][]string, []string) {
	by := map[string][]string{}
	add := func(u, id string) {
		if !slices.Contains(by[u], id) {
			by[u] = append(by[u], id)
		}
	}
	for _, e := range entries {
		for _, l := range e.Links {
			if kb.SafeURL(l.URL) && !isTel(l.URL) {
				add(l.URL, e.ID)
			}
		}
		for _, u := range urlInText.FindAllString(e.Answer, -1) {
			add(u, e.ID)
		}
	}
	order := make([]string, 0, len(by))
	for u := range by {
		order = append(order, u)
	}
	sort.Strings(order)
	return by, order
}

func isTel(u string) bool { return len(u) >= 4 && (u[:4] == "tel:" || u[:4] == "TEL:") }

// Run checks links until ctx ends: a pass over every address not checked for
// Every, paced to PerMinute, then a pause of a minute before the next pass.
func (c *Checker) Run(ctx context.Context) {
	per := c.PerMinute
	if per <= 0 {
		per = 30
	}
	pace := time.NewTicker(time.Minute / time.Duration(per))
	defer pace.Stop()
	for {
		if err := c.Pass(ctx, pace.C); err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Minute):
		}
	}
}

// Pass checks once every address due, waiting for a tick before each request;
// it returns ctx's error when ctx ends.
func (c *Checker) Pass(ctx context.Context, tick <-chan time.Time) error {
	by, order := links(c.Entries())
	every := c.Every
	if every <= 0 {
		every = 24 * time.Hour
	}
	c.mu.Lock()
	if c.results == nil {
		c.results = map[string]Result{}
	}
	for u := range c.results { // addresses no longer in any answer
		if _, ok := by[u]; !ok {
			delete(c.results, u)
		}
	}
	c.mu.Unlock()
	for _, u := range order {
		c.mu.Lock()
		r, seen := c.results[u]
		c.mu.Unlock()
		if seen && time.Since(r.CheckedAt) < every {
			c.setEntries(u, by[u])
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick:
		}
		r = c.check(ctx, u)
		r.Entries = by[u]
		c.mu.Lock()
		c.results[u] = r
		c.mu.Unlock()
	}
	return nil
}

func (c *Checker) setEntries(u string, ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.results[u]
	r.Entries = ids
	c.results[u] = r
}

// check asks for an address with HEAD, then with GET when HEAD is refused or
// fails (some servers answer HEAD with 405 or 403, or not at all).
func (c *Checker) check(ctx context.Context, u string) Result {
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	r := Result{URL: u, CheckedAt: time.Now()}
	status, err := request(ctx, client, http.MethodHead, u)
	if err != nil || status >= 400 {
		status, err = request(ctx, client, http.MethodGet, u)
	}
	r.Status = status
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

func request(ctx context.Context, client *http.Client, method, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, fmt.Errorf("linkcheck: %w", err)
	}
	req.Header.Set("User-Agent", "Parvis-linkcheck (vérification des liens des réponses)")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	return resp.StatusCode, nil
}

// Dead returns the broken links found so far, by address.
func (c *Checker) Dead() []Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Result
	for _, r := range c.results {
		if r.Dead() {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out
}
