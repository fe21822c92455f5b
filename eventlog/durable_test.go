package eventlog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
)

// syncProbe records what was fsync'd and each file's size when it was.
type syncProbe struct {
	mu     sync.Mutex
	synced map[string]int64
}

func (p *syncProbe) fsync(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.synced[path] = info.Size()
	p.mu.Unlock()
	return fsyncPath(path)
}

func (p *syncProbe) size(path string) (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n, ok := p.synced[path]
	return n, ok
}

// TestAcknowledgedEventsAreSynced: when Publish returns, the segment file that
// holds the event, and the directory that names it, have been fsync'd with the
// event in them, whatever the partition.
func TestAcknowledgedEventsAreSynced(t *testing.T) {
	dir, addr := filepath.Join(t.TempDir(), "kafka"), freeAddr(t)
	probe := &syncProbe{synced: map[string]int64{}}
	b, err := StartEmbedded(dir, addr, func(o *options) { o.fsync = probe.fsync })
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := NewPublisher(PublisherConfig{Brokers: []string{addr}, OutboxDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for i := range 12 {
		e, _ := events.New("montclar", "conv-"+strings.Repeat("x", i), time.Now(), events.UtteranceReceived{Text: "bonjour"})
		if err := p.Publish(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		segments, _ := filepath.Glob(filepath.Join(dir, "partitions", events.TopicConversations+"-*", "*.dat"))
		if len(segments) == 0 {
			t.Fatal("no segment file after a publish")
		}
		for _, seg := range segments {
			info, err := os.Stat(seg)
			if err != nil {
				t.Fatal(err)
			}
			if n, ok := probe.size(seg); !ok || n < info.Size() {
				t.Errorf("event %d acknowledged while %s holds %d bytes, %d of them fsync'd", i, seg, info.Size(), n)
			}
			if _, ok := probe.size(filepath.Dir(seg)); !ok {
				t.Errorf("event %d acknowledged before the directory of %s was fsync'd", i, seg)
			}
		}
	}
}

// TestSyncerRounds: a wait returns once the files written before it, and only
// those changed, are fsync'd, including a file created in a new directory.
func TestSyncerRounds(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	var synced []string
	s := newLogSyncer(dir, func(path string) error {
		mu.Lock()
		synced = append(synced, path)
		mu.Unlock()
		return nil
	})
	defer s.close()
	took := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := synced
		synced = nil
		return out
	}
	if err := s.wait(); err != nil { // the first round syncs what is there
		t.Fatal(err)
	}
	took()

	sub := filepath.Join(dir, "partitions", "t-0")
	if err := os.MkdirAll(sub, 0o750); err != nil {
		t.Fatal(err)
	}
	seg := filepath.Join(sub, "0.dat")
	if err := os.WriteFile(seg, []byte("batch 1"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := s.wait(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(took(), " ")
	for _, want := range []string{seg, sub, filepath.Join(dir, "partitions")} {
		if !strings.Contains(got, want) {
			t.Errorf("after a new segment in a new directory, synced %q, want %s among them", got, want)
		}
	}

	// An append to the segment and its index: the round syncs the segment
	// alone, the index waits for the close.
	idx := filepath.Join(sub, "0.idx")
	if err := os.WriteFile(idx, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := s.wait(); err != nil {
		t.Fatal(err)
	}
	took()
	for _, name := range []string{seg, idx} {
		f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("batch 2"))
		f.Close()
	}
	if err := s.wait(); err != nil {
		t.Fatal(err)
	}
	if got := took(); len(got) != 1 || got[0] != seg {
		t.Errorf("after an append, synced %q, want the segment alone", got)
	}
	if err := s.wait(); err != nil {
		t.Fatal(err)
	}
	if got := took(); len(got) != 0 {
		t.Errorf("with nothing written, synced %q", got)
	}
	s.close()
	if got := took(); !slices.Contains(got, idx) {
		t.Errorf("as the broker closed, synced %q, want the index %s among them", got, idx)
	}
}

// TestIndexCutShortByACrash: a broker whose index files lost their end (what a
// power cut leaves of files the rounds do not sync) serves every event of its
// segments after a restart, takes new ones, and serves them all again after
// the next.
func TestIndexCutShortByACrash(t *testing.T) {
	dir, addr := filepath.Join(t.TempDir(), "kafka"), freeAddr(t)
	var sent []events.Envelope
	cut := func() {
		idx, _ := filepath.Glob(filepath.Join(dir, "partitions", events.TopicConversations+"-*", "*.idx"))
		if len(idx) == 0 {
			t.Fatal("no index file")
		}
		for _, f := range idx {
			info, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(f, info.Size()/2); err != nil {
				t.Fatal(err)
			}
		}
	}
	for start := range 3 {
		b, err := StartEmbedded(dir, addr)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPublisher(PublisherConfig{Brokers: []string{addr}, OutboxDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		read := map[string]bool{}
		for _, e := range readAll(t, []string{addr}, len(sent)) {
			read[e.ID] = true
		}
		for _, e := range sent {
			if !read[e.ID] {
				t.Fatalf("start %d: event %s acknowledged before, not read now", start, e.ID)
			}
		}
		if start == 2 {
			p.Close()
			b.Close()
			break
		}
		for i := range 10 {
			evs := utterances(t, fmt.Sprintf("conv-%d-%d", start, i), 2)
			if err := p.Publish(context.Background(), evs...); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, evs...)
		}
		p.Close()
		b.Close()
		cut()
	}
}
