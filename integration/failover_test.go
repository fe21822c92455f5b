package integration

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/integration/parvistest"
	"github.com/parvis-civic/parvis/projections"
)

// TestRolesAsProcessesFailover runs a deployment as production does, one
// process per role: a broker, two api processes, two projectors sharing the
// partitions, two miners, on one ClickHouse server. 500 conversations of two
// messages each alternate between the api processes; midway one projector is
// killed (SIGKILL), mid-batch as it may be. The other takes its partitions
// over, and overview counts every conversation and every message exactly
// once. Of the two miners one leads and the other stands by; when the leader
// is killed, the other takes over.
func TestRolesAsProcessesFailover(t *testing.T) {
	t.Parallel() // its processes wait on each other more than they work
	dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE")
	if dsn == "" {
		t.Skip("SKIP: PARVIS_TEST_CLICKHOUSE is not set (a ClickHouse server DSN); .ci/run starts one")
	}
	db := dsn[:strings.LastIndex(dsn, "/")+1] + fmt.Sprintf("parvis_failover_%d", time.Now().UnixNano())
	broker := parvistest.StartBroker(t, t.TempDir())
	role := func(r string, extra ...string) *parvistest.Server {
		return parvistest.StartRole(t, t.TempDir(), append([]string{"--role", r, "--kafka", broker.Addr, "--clickhouse", db}, extra...)...)
	}
	// The first api process publishes the demo knowledge base, which every
	// process waits for before it is ready.
	apis := []*parvistest.Server{role("api", "--demo")}
	apis = append(apis, role("api"))
	projectors := []*parvistest.Server{role("projector"), role("projector")}
	miners := []*parvistest.Server{role("miner"), role("miner")}

	const convs = 500
	var done atomic.Int32
	var wg sync.WaitGroup
	jobs := make(chan int)
	errs := make(chan string, convs)
	for range 8 {
		wg.Go(func() {
			for c := range jobs {
				first, other := apis[c%2], apis[(c+1)%2]
				id := first.StartConversation()
				for i, s := range []*parvistest.Server{other, first} {
					if r, gerrs := s.Send(id, questions[(2*c+i)%len(questions)]); len(gerrs) > 0 || r.Text == "" {
						errs <- fmt.Sprintf("conversation %d, message %d: %v", c, i, gerrs)
					}
				}
				done.Add(1)
			}
		})
	}
	killed := false
	for c := range convs {
		jobs <- c
		if !killed && done.Load() >= convs/2 {
			projectors[0].Kill()
			killed = true
			t.Logf("projector killed after %d conversations", done.Load())
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if !killed {
		t.Fatal("the projector was never killed")
	}
	// Conversations and messages are on partitions of their own: those the
	// killed projector held are taken over when the group notices, and one
	// count can be whole while the other waits for that.
	parvistest.Poll(t, "every conversation and every message in overview", 2*time.Minute, func() error {
		if got := apis[1].Overview(); got.Conversations != convs || got.Messages != 2*convs {
			return fmt.Errorf("overview = %+v, want %d conversations and %d messages, each once", got, convs, 2*convs)
		}
		return nil
	})

	// What the kill left in the tables: a batch inserted but not committed is
	// inserted again by the projector that takes the partition over; the
	// tables are deduplicated by event id, so it counts once (above).
	store, err := projections.OpenServer(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var rows []struct {
		Rows     uint64 `ch:"rows"`
		Distinct uint64 `ch:"distinct"`
	}
	if err := store.Select(context.Background(), &rows, "SELECT count() AS rows, uniqExact(event_id) AS distinct FROM messages"); err != nil {
		t.Fatal(err)
	}
	t.Logf("messages table: %d rows for %d events (%d inserted again after the kill)", rows[0].Rows, rows[0].Distinct, rows[0].Rows-rows[0].Distinct)
	// The hourly rollup, recomputed by both projectors for the hours their
	// batches touch, ends with every decision counted once too.
	parvistest.Poll(t, "usage_hourly", 30*time.Second, func() error {
		var sum []struct {
			N uint64 `ch:"n"`
		}
		if err := store.Select(context.Background(), &sum, "SELECT sum(messages) AS n FROM usage_hourly FINAL"); err != nil {
			return err
		}
		if len(sum) == 0 || sum[0].N != 2*convs {
			return fmt.Errorf("usage_hourly counts %v decisions, want %d", sum, 2*convs)
		}
		return nil
	})

	// One miner leads, the other stands by, and takes over when it dies. A
	// miner's state is its last word on the group: the first one to start led
	// alone until the second joined, and either may lead after that.
	var leader, standby *parvistest.Server
	parvistest.Poll(t, "one miner leading, the other standing by, in one generation", 60*time.Second, func() error {
		a, b := minerState(miners[0].Output()), minerState(miners[1].Output())
		switch {
		case a.generation != b.generation:
			return fmt.Errorf("generations %d and %d", a.generation, b.generation)
		case a.leading && !b.leading:
			leader, standby = miners[0], miners[1]
		case b.leading && !a.leading:
			leader, standby = miners[1], miners[0]
		default:
			return fmt.Errorf("leading: %v and %v in generation %d", a.leading, b.leading, a.generation)
		}
		return nil
	})
	leader.Kill()
	parvistest.Poll(t, "the standby miner taking over", 60*time.Second, func() error {
		if !minerState(standby.Output()).leading {
			return fmt.Errorf("the standby miner does not lead")
		}
		return nil
	})
}

// minerGroup is a miner's word on its group in its log.
var minerGroup = regexp.MustCompile(`msg="?(leading|standing by)[^"\n]*"? group=parvis-miner generation=(\d+)`)

type leadership struct {
	leading    bool
	generation int
}

// minerState is the last word of a miner's log on its group.
func minerState(log string) leadership {
	var l leadership
	for _, m := range minerGroup.FindAllStringSubmatch(log, -1) {
		l.leading = m[1] == "leading"
		l.generation, _ = strconv.Atoi(m[2])
	}
	return l
}
