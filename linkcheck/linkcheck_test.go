package linkcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/kb"
)

// TestPassFindsDeadLinks checks the links of answers against a local server:
// a page refusing HEAD but answering GET is alive; a missing page, a page too
// slow and a server that is gone are dead, each with the entries holding it;
// tel: links are never requested; a second pass within the period asks nothing.
func TestPassFindsDeadLinks(t *testing.T) {
	var mu sync.Mutex
	requests := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests[r.Method+" "+r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/ok":
		case "/no-head":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		case "/slow":
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	entries := []kb.Entry{
		{ID: "a", Answer: "Voir " + srv.URL + "/ok. Ou " + srv.URL + "/missing.", Links: []kb.Link{{Label: "Appeler", URL: "tel:0475000000"}}},
		{ID: "b", Answer: "Formulaire", Links: []kb.Link{{Label: "x", URL: srv.URL + "/no-head"}, {Label: "y", URL: srv.URL + "/missing"},
			{Label: "z", URL: srv.URL + "/slow"}, {Label: "w", URL: gone.URL + "/page"}}},
	}
	c := &Checker{Entries: func() []kb.Entry { return entries }, Client: &http.Client{Timeout: 300 * time.Millisecond}}
	tick := make(chan time.Time)
	close(tick) // no pacing in the test: every receive succeeds at once
	if err := c.Pass(context.Background(), tick); err != nil {
		t.Fatal(err)
	}
	dead := map[string][]string{}
	for _, r := range c.Dead() {
		dead[r.URL] = r.Entries
	}
	want := map[string][]string{srv.URL + "/missing": {"a", "b"}, srv.URL + "/slow": {"b"}, gone.URL + "/page": {"b"}}
	if len(dead) != len(want) {
		t.Fatalf("dead links %v, want %v", dead, want)
	}
	for u, ids := range want {
		if got := dead[u]; len(got) != len(ids) || got[0] != ids[0] {
			t.Errorf("%s held by %v, want %v", u, got, ids)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if requests["GET /no-head"] != 1 || requests["HEAD /no-head"] != 1 || requests["GET /ok"] != 0 {
		t.Errorf("requests %v: want HEAD then GET for /no-head, HEAD only for /ok", requests)
	}
	before := len(requests)
	n := 0
	for _, v := range requests {
		n += v
	}
	mu.Unlock()
	if err := c.Pass(context.Background(), tick); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	m := 0
	for _, v := range requests {
		m += v
	}
	if m != n || len(requests) != before {
		t.Errorf("a second pass within the period made %d requests", m-n)
	}
}
