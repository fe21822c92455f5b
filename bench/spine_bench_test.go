// Package bench holds the benchmarks of the spine, each measured against what the
// machine allows in the same run: our publishing against kcat producing the
// same messages to the same broker, our projection against chDB's own bulk
// insert of the same rows, sendMessage under 50 concurrent clients (package
// loadgen's traffic) against a request the same HTTP stack answers doing
// nothing, the server's peak memory, and the freshness of the counts. Run them
// with `make bench` (or `make bench-short`, the spine alone); they write
// results.json and print a table of figures, limits and ratios.
package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/integration/parvistest"
	"github.com/parvis-civic/parvis/loadgen"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/projections/projectionstest"
)

func TestMain(m *testing.M) { parvistest.Main(m, "../cmd/parvis", printTable) }

// sampleEvents makes n conversation events of a realistic size (~450 bytes).
func sampleEvents(b *testing.B, n int) []events.Envelope {
	out := make([]events.Envelope, 0, n)
	now := time.Now()
	for i := 0; len(out) < n; i++ {
		conv := fmt.Sprintf("conv-%06d", i)
		u, _ := events.New("montclar", conv, now, events.UtteranceReceived{Text: "bonjour, je voudrais savoir quels sont les horaires de la mairie le samedi matin svp"})
		d, _ := events.New("montclar", conv, now, events.BotDecision{UtteranceID: u.ID, Outcome: "ANSWERED", Confidence: 0.93,
			EntryID: "horaires_mairie", KBVersion: "01J", LatencyMs: 0.1, Reply: "L'hôtel de ville est ouvert du lundi au vendredi.",
			Candidates: []events.Candidate{{EntryID: "horaires_mairie", Score: 0.9}, {EntryID: "piscine", Score: 0.4}}})
		out = append(out, u, d)
	}
	return out[:n]
}

// BenchmarkPublishVsKcat publishes the same messages with our Publisher (64
// concurrent callers, each waiting for the acknowledgement of a message's
// utterance and decision, published in one call as the chat path does) and with
// kcat (acks=all), to the same embedded broker. The three take turns over
// several rounds, each long enough that kcat's start (a process, the broker's
// metadata) weighs little: on a machine shared with other work, all three meet
// the same moments of its load, and each figure is its rounds' events over
// their time.
func BenchmarkPublishVsKcat(b *testing.B) {
	publishers := 64
	if v := os.Getenv("PUBLISHERS"); v != "" {
		fmt.Sscan(v, &publishers)
	}
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		b.Skip("SKIP: kcat is not installed (apt-get install kcat)")
	}
	const n, rounds = 40000, 3
	dir := b.TempDir()
	addr, pub := eventlogtest.Start(b)
	evs := sampleEvents(b, n)

	// kcat: key<TAB>value lines from a file.
	file := filepath.Join(dir, "messages.txt")
	f, _ := os.Create(file)
	w := bufio.NewWriter(f)
	for _, e := range evs {
		v, _ := e.Marshal()
		fmt.Fprintf(w, "%s\t%s\n", e.Key(), v)
	}
	w.Flush()
	f.Close()
	ctx := context.Background()
	pub.Publish(ctx, evs[0]) // connect

	var kcatTime, chatTime, bulkTime time.Duration
	for range rounds {
		start := time.Now()
		out, err := exec.Command(kcat, "-P", "-b", addr, "-t", "parvis.bench-kcat", "-K", "\t", "-X", "acks=all", "-l", file).CombinedOutput()
		if err != nil {
			b.Fatalf("kcat: %v\n%s", err, out)
		}
		kcatTime += time.Since(start)
		chatTime += publishAll(b, pub, evs, publishers, 2)
		// Bulk: calls of 500 from 4 callers, as the outbox delivery and the
		// knowledge base import publish.
		bulkTime += publishAll(b, pub, evs, 4, 500)
	}
	if pub.Pending() > 0 {
		b.Errorf("%d events fell back to the outbox", pub.Pending())
	}
	rate := func(d time.Duration) float64 { return float64(n*rounds) / d.Seconds() }
	kcatRate, chatRate, bulkRate := rate(kcatTime), rate(chatTime), rate(bulkTime)
	b.ReportMetric(bulkRate, "events/s")
	b.ReportMetric(chatRate, "chat-events/s")
	b.ReportMetric(kcatRate, "kcat-events/s")
	b.ReportMetric(bulkRate/kcatRate, "ratio")
	fmt.Printf("publish, same %d events %d times, same broker, acks=all: kcat %.0f events/s; parvis bulk (4 callers × 500) %.0f events/s, ratio %.2f; parvis chat path (%d callers × 2 events, each waiting) %.0f events/s, ratio %.2f\n",
		n, rounds, kcatRate, bulkRate, bulkRate/kcatRate, publishers, chatRate, chatRate/kcatRate)
	record("publish", "events/s", chatRate, kcatRate)
	record("publishBulk", "events/s", bulkRate, kcatRate)
}

// publishAll publishes evs from callers goroutines, size events a call, each
// call waiting for its acknowledgement, and returns the time it took.
func publishAll(b *testing.B, pub *eventlog.Publisher, evs []events.Envelope, callers, size int) time.Duration {
	ctx := context.Background()
	start := time.Now()
	var wg sync.WaitGroup
	work := make(chan []events.Envelope, 1024)
	for range callers {
		wg.Go(func() {
			for c := range work {
				if err := pub.Publish(ctx, c...); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := 0; i < len(evs); i += size {
		work <- evs[i:min(len(evs), i+size)]
	}
	close(work)
	wg.Wait()
	return time.Since(start)
}

// BenchmarkProjectionVsBulkInsert projects events from the log into chDB with the
// projector, and compares with one bulk insert of the same rows.
func BenchmarkProjectionVsBulkInsert(b *testing.B) {
	const n = 50000
	dir := b.TempDir()
	store, err := projections.OpenChDB(filepath.Join(dir, "clickhouse"))
	if err != nil {
		b.Skip("SKIP: ", err)
	}
	defer store.Close()
	ctx := context.Background()
	if err := projections.Migrate(ctx, store); err != nil {
		b.Fatal(err)
	}
	addr, pub := eventlogtest.Start(b)
	evs := sampleEvents(b, n)
	for i := 0; i < n; i += 1000 {
		if err := pub.Publish(ctx, evs[i:min(n, i+1000)]...); err != nil {
			b.Fatal(err)
		}
	}

	// Bulk: the same rows, one insert per table in chDB's own TabSeparated
	// input, into fresh tables: the statement is made before the clock starts,
	// so the limit is chDB's work alone.
	if err := projections.CreateFresh(ctx, store, "_bulk"); err != nil {
		b.Fatal(err)
	}
	inserts := projectionstest.TabSeparated(projectionstest.Rows(evs), "_bulk")
	start := time.Now()
	for table, sql := range inserts {
		if err := store.Exec(ctx, sql); err != nil {
			b.Fatalf("bulk insert into %s: %v", table, err)
		}
	}
	bulkTime := time.Since(start)
	var bulkRows []struct {
		N uint64 `ch:"n"`
	}
	if err := store.Select(ctx, &bulkRows, "SELECT count() AS n FROM events_bulk"); err != nil || bulkRows[0].N != n {
		b.Fatalf("bulk insert: %v rows in events_bulk, want %d (%v)", bulkRows, n, err)
	}

	// The bulk insert's parts are merged in the background: let that end
	// before the projector's clock starts, so that it does not pay for it.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var merging []struct {
			N uint64 `ch:"n"`
		}
		if err := store.Select(ctx, &merging, "SELECT count() AS n FROM system.merges"); err != nil || merging[0].N == 0 {
			break
		}
	}

	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := projections.NewProjector(projections.ProjectorConfig{Brokers: []string{addr}, Group: "bench", Batch: 5000}, store, pub)
	start = time.Now()
	done := make(chan error, 1)
	go func() { done <- p.Run(pctx) }()
	defer func() { cancel(); <-done }()
	for {
		var rows []struct {
			N uint64 `ch:"n"`
		}
		if err := store.Select(ctx, &rows, "SELECT count() AS n FROM events"); err != nil {
			b.Fatal(err)
		}
		if rows[0].N >= n {
			break
		}
		if time.Since(start) > 5*time.Minute {
			b.Fatalf("projected %d of %d events in 5 minutes", rows[0].N, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	projTime := time.Since(start)
	ours, limit := n/projTime.Seconds(), n/bulkTime.Seconds()
	b.ReportMetric(ours, "events/s")
	b.ReportMetric(limit, "bulk-events/s")
	b.ReportMetric(ours/limit, "ratio")
	fmt.Printf("projection: parvis %.0f events/s (consume, decode, insert, commit), chDB's bulk insert of the same rows (TabSeparated) %.0f events/s: ratio %.2f\n", ours, limit, ours/limit)
	record("projection", "events/s", ours, limit)
}

// BenchmarkSendMessage50Clients measures sendMessage through HTTP and GraphQL with
// 50 concurrent clients (realistic conversations from package loadgen) on the
// embedded default, every role in one process (the API beside the broker, the
// projector, chDB and the miner), against the same clients sending a request
// that the same stack answers without doing anything; then the server's peak
// memory, and the freshness of the counts: the time from sendMessage to
// overview counting it.
func BenchmarkSendMessage50Clients(b *testing.B) {
	s := parvistest.Start(b, b.TempDir())
	idle, load := sendAgainstNoop(b, "sendMessage", "every role in one process", s)
	fmt.Printf("serve peak RSS (VmHWM): %.0f MB idle, %.0f MB after the load\n", idle, load)
	record("rssIdle", "MB", idle, 0)
	record("rssLoad", "MB", load, 0)

	// Freshness, one message at a time.
	base := s.Overview().Messages
	id := s.StartConversation()
	var fresh []time.Duration
	for i := range 50 {
		t0 := time.Now()
		if _, errs := s.Send(id, "horaires de la piscine"); len(errs) > 0 {
			b.Fatal(errs)
		}
		for s.Overview().Messages < base+i+1 {
			if time.Since(t0) > 30*time.Second {
				b.Fatal("message not counted after 30 s")
			}
			time.Sleep(5 * time.Millisecond)
		}
		fresh = append(fresh, time.Since(t0))
	}
	slices.Sort(fresh)
	f50, f99 := fresh[len(fresh)/2], fresh[int(float64(len(fresh)-1)*0.99+0.5)]
	b.ReportMetric(float64(f99.Milliseconds()), "freshness-p99-ms")
	record("freshnessP99", "ms", float64(f99.Milliseconds()), 2000)
	fmt.Printf("freshness (sendMessage → counted by overview): p50 %d ms, p99 %d ms (aim ≤ 2000 ms)\n", f50.Milliseconds(), f99.Milliseconds())
}

// BenchmarkSendMessageAPIRole50Clients measures sendMessage as production runs
// it: `serve --role api` in a process of its own, against `parvis broker` in
// another and a ClickHouse server; the projector and the miner run elsewhere
// (here: not at all), so that the figure is the API's. Its limit is the same
// api process answering the no-op request. It needs a ClickHouse server
// (PARVIS_TEST_CLICKHOUSE, as the integration tests).
func BenchmarkSendMessageAPIRole50Clients(b *testing.B) {
	dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE")
	if dsn == "" {
		b.Skip("SKIP: PARVIS_TEST_CLICKHOUSE is not set (a ClickHouse server DSN, see .ci/run)")
	}
	db := dsn[:strings.LastIndex(dsn, "/")+1] + fmt.Sprintf("parvis_bench_%d", time.Now().UnixNano())
	broker := parvistest.StartBroker(b, b.TempDir())
	api := parvistest.StartRole(b, b.TempDir(), "--role", "api", "--demo", "--kafka", broker.Addr, "--clickhouse", db)
	idle, load := sendAgainstNoop(b, "sendMessageAPI", "api process alone, broker in its own process", api)
	fmt.Printf("api process peak RSS (VmHWM): %.0f MB idle, %.0f MB after the load\n", idle, load)
	record("rssIdleAPI", "MB", idle, 0)
	record("rssLoadAPI", "MB", load, 0)
}

// sendAgainstNoop measures a server's sendMessage against its no-op limit and
// reports them under name, and returns its peak memory before and after (MB).
func sendAgainstNoop(b *testing.B, name, what string, s *parvistest.Server) (idle, load float64) {
	idle = peakRSS(b, s.PID())
	send, noop := sendAndNoop(b, s.Addr)
	load = peakRSS(b, s.PID())
	report(b, name, what, send, noop)
	return idle, load
}

// sendAndNoop runs 50 clients' conversations, then the no-op request, in
// slices one after the other: on a machine shared with other work, both meet
// the same moments of its load.
func sendAndNoop(b *testing.B, addr string) (send, noop loadgen.Result) {
	const clients, messages = 50, 2000
	gen := func(op bool, n int) *loadgen.Result {
		res, err := loadgen.Run(context.Background(), loadgen.Config{URL: "http://" + addr + "/graphql", Clients: clients, Messages: n, Noop: op})
		if err != nil {
			b.Fatal(err)
		}
		if res.Failed > 0 {
			b.Fatalf("%d errors (%v), the first: %s", res.Failed, res.Errors, res.FirstError)
		}
		return res
	}
	gen(false, 300) // warm-up: connections, the engine's caches
	for range 4 {
		send.Merge(gen(false, messages/4))
		noop.Merge(gen(true, messages/4))
	}
	return send, noop
}

// report prints and records sendMessage's figures against the no-op's.
func report(b *testing.B, name, how string, send, noop loadgen.Result) {
	rate, p50, p99 := send.Rate(), send.Percentile(0.5), send.Percentile(0.99)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(p50), "p50-ms")
	b.ReportMetric(ms(p99), "p99-ms")
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(noop.Rate(), "noop-requests/s")
	fmt.Printf("%s (%s), 50 concurrent clients, %d messages in %d conversations: p50 %.1f ms, p99 %.1f ms, %.0f messages/s; no-op request on the same stack %.0f requests/s (p99 %.1f ms), ratio %.2f\n",
		name, how, send.Sent, send.Conversations, ms(p50), ms(p99), rate, noop.Rate(), ms(noop.Percentile(0.99)), rate/noop.Rate())
	record(name, "msg/s", rate, noop.Rate())
	record(name+"P99", "ms", ms(p99), 50)
}

// peakRSS returns the peak resident memory of process pid in MB (VmHWM).
func peakRSS(b *testing.B, pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(raw)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
			return kb / 1024
		}
	}
	b.Fatal("no VmHWM in /proc/PID/status")
	return 0
}
