package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestCorpusLeaksNothing sends every message of the redaction corpus through
// GraphQL, each in its own conversation, with a feedback comment too: none of its
// personal data reaches the conversation's events on the log (every parvis.*
// topic is read) or anything ClickHouse holds about the conversation (its export:
// start, events, messages, decisions, feedback, the questions mining keeps).
// Each conversation is searched for its own message's data: the same words may
// stand elsewhere on purpose (a street asked about as a public place, a name in
// the town's own answers).
func TestCorpusLeaksNothing(t *testing.T) {
	f, err := os.Open("../ingest/redact/testdata/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type sample struct {
		Text string   `json:"text"`
		PII  []string `json:"pii"`
	}
	var corpus []sample
	pieces := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		var c sample
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		corpus = append(corpus, c)
		pieces += len(c.PII)
	}
	if pieces < 100 {
		t.Fatalf("only %d pieces of personal data in the corpus", pieces)
	}

	s := parvistest.Start(t, t.TempDir())
	ids := make([]string, len(corpus))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, c := range corpus {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			var out struct{ StartConversation struct{ ID string } }
			if errs, err := s.TryGQL("", `mutation { startConversation { id } }`, nil, &out); err != nil || len(errs) > 0 {
				t.Errorf("start: %v %v", err, errs)
				return
			}
			ids[i] = out.StartConversation.ID
			if r, errs := s.Send(ids[i], c.Text); len(errs) > 0 {
				t.Errorf("send %q: %v", c.Text, errs)
			} else if r.Outcome == "ANSWERED" {
				// The citizen says why the answer did not help, repeating the data.
				s.TryGQL("", `mutation($c: ID!, $m: String) { giveFeedback(conversationId: $c, helpful: false, comment: $m) }`,
					map[string]any{"c": ids[i], "m": "pas utile, " + c.Text}, nil)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	s.WaitMessages(len(corpus), 60*time.Second)

	piiOf := map[string][]string{} // conversation → its message's personal data
	for i, id := range ids {
		piiOf[id] = corpus[i].PII
	}
	leaks := func(where string, pii []string, doc any) {
		t.Helper()
		walkStrings(doc, func(v string) {
			for _, p := range pii {
				if strings.Contains(v, p) {
					t.Errorf("%s holds %q in %.160q", where, p, v)
				}
			}
		})
	}
	for _, id := range ids {
		var out struct{ ExportConversation string }
		if errs := s.GQL(parvistest.AdminToken, `query($id: ID!) { exportConversation(id: $id) }`, map[string]any{"id": id}, &out); len(errs) > 0 {
			t.Fatalf("export %s: %v", id, errs)
		}
		var doc any
		if err := json.Unmarshal([]byte(out.ExportConversation), &doc); err != nil {
			t.Fatalf("export of %s is not JSON: %v", id, err)
		}
		leaks("ClickHouse (export of "+id+")", piiOf[id], doc)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := kafka.DialContext(ctx, "tcp", s.Broker)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := conn.ReadPartitions()
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, p := range parts {
		if !strings.HasPrefix(p.Topic, "parvis.") {
			continue
		}
		leader, err := kafka.DialLeader(ctx, "tcp", s.Broker, p.Topic, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		first, last, err := leader.ReadOffsets()
		leader.Close()
		if err != nil || last <= first {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{s.Broker}, Topic: p.Topic, Partition: p.ID, MaxWait: 100 * time.Millisecond})
		r.SetOffset(first)
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				t.Fatalf("read %s/%d: %v", p.Topic, p.ID, err)
			}
			var doc any
			if json.Unmarshal(m.Value, &doc) != nil {
				doc = string(m.Value)
			}
			// Events are keyed by their conversation; the knowledge base's and
			// the audit log's hold no citizen's words.
			leaks("topic "+p.Topic, piiOf[string(m.Key)], doc)
			read++
			if m.Offset >= last-1 {
				break
			}
		}
		r.Close()
	}
	if read < 2*len(corpus) {
		t.Errorf("read %d events from the log, want at least %d", read, 2*len(corpus))
	}
	t.Logf("%d messages, %d pieces of personal data, %d events read back", len(corpus), pieces, read)
}

// walkStrings calls fn with every string in a decoded JSON document.
func walkStrings(doc any, fn func(string)) {
	switch v := doc.(type) {
	case string:
		fn(v)
	case []any:
		for _, x := range v {
			walkStrings(x, fn)
		}
	case map[string]any:
		for k, x := range v {
			fn(k)
			walkStrings(x, fn)
		}
	}
}
