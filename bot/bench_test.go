package bot

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/kb"
)

// largeKB returns about 3,500 entries: the demo town, the service-public.fr
// questions, and one entry per service-public.fr fiche title.
func largeKB() []kb.Entry {
	entries := append(kb.Demo(), kb.ServicePublic()...)
	for i, t := range kb.ServicePublicTitles() {
		entries = append(entries, kb.Entry{ID: fmt.Sprintf("title-%d", i), Question: t,
			Answer: "Voir la fiche « " + t + " ».", Kind: kb.KindAnswer, National: true})
	}
	return entries
}

// BenchmarkEngine3000 builds the index of a ~3,500-entry knowledge base and
// decides on the dev set's messages and on fiche titles, on one core. Targets:
// build ≤ 2 s, memory ≤ 200 MB, decision p99 ≤ 5 ms.
func BenchmarkEngine3000(b *testing.B) {
	entries := largeKB()
	lang := NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix := NewIndex(entries, lang)
	build := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	heapMB := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)

	e := &Engine{cfg: DefaultConfig(), lang: lang}
	e.cur.Store(&snapshot{ix: ix, version: "bench"})
	f, err := os.Open("testdata/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	cases, err := ReadCases(f, nil)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, c := range cases {
		texts = append(texts, c.Text)
	}
	for i, t := range kb.ServicePublicTitles() {
		if i%5 == 0 {
			texts = append(texts, t)
		}
	}
	var lat []time.Duration
	for range 3 {
		for _, t := range texts {
			d := e.Decide(t, "")
			lat = append(lat, d.Latency)
		}
	}
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(heapMB, "index-MB")
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	fmt.Printf("engine, %d entries, one core: index build %.2f s (target ≤ 2), index memory %.0f MB (≤ 200), decision p50 %.2f ms, p99 %.2f ms (≤ 5) over %d messages\n",
		ix.Len(), build.Seconds(), heapMB, float64(p50.Microseconds())/1000, float64(p99.Microseconds())/1000, len(lat))
}
