package mining

import (
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/mining/miningtest"
)

// BenchmarkRegroupMillion groups 10^6 synthetic unanswered questions (fiche
// titles rephrased with noise, 3,000 topics) on this machine, reports time,
// memory and quality against the known topics, and the cost of assigning one new
// question. Targets: ≤ 60 s, ≤ 1 GB, ≤ 1 ms. The CPU time is printed beside the
// wall time: on a machine shared with other work, it tells the two apart.
func BenchmarkRegroupMillion(b *testing.B) {
	const n, topics = 1_000_000, 2800
	qs := miningtest.Titles(11, n, topics)
	items := make([]Item, n)
	truth := make([]int, n)
	for i, q := range qs {
		items[i], truth[i] = Item{Text: q.Text}, q.Topic
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := before.HeapAlloc
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()
	g := NewGrouper(0)
	cpu0 := cpuTime()
	start := time.Now()
	res := g.Regroup(items)
	took := time.Since(start)
	cpu := cpuTime() - cpu0
	close(stop)
	heapMB := float64(peak-before.HeapAlloc) / (1 << 20)

	fresh := miningtest.Titles(12, 2000, topics)
	lat := make([]time.Duration, len(fresh))
	for i, q := range fresh {
		t0 := time.Now()
		g.Assign(q.Text)
		lat[i] = time.Since(t0)
	}
	slices.Sort(lat)
	p99 := lat[len(lat)*99/100]
	purity, ari := miningtest.Purity(res.Of, truth), miningtest.AdjustedRand(res.Of, truth)
	b.ReportMetric(took.Seconds(), "regroup-s")
	b.ReportMetric(cpu.Seconds(), "regroup-cpu-s")
	b.ReportMetric(heapMB, "heap-MB")
	b.ReportMetric(float64(p99.Microseconds())/1000, "assign-p99-ms")
	b.ReportMetric(purity, "purity")
	b.ReportMetric(ari, "ARI")
	fmt.Printf("mining: %d questions (%d topics) regrouped in %.1f s (target ≤ 60, ratio %.2f; CPU %.1f s on %d cores), heap +%.0f MB (≤ 1024, ratio %.2f), %d groups, purity %.3f, adjusted Rand %.3f; assigning one new question p99 %.3f ms (≤ 1, ratio %.2f)\n",
		n, topics, took.Seconds(), took.Seconds()/60, cpu.Seconds(), runtime.GOMAXPROCS(0), heapMB, heapMB/1024, len(res.Groups), purity, ari,
		float64(p99.Microseconds())/1000, float64(p99.Microseconds())/1000)
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
