package eventlog

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// The embedded broker's durability, group-committed.
//
// kfake can fsync each batch it appends (its SyncWrites option), but it does so
// on its single request goroutine: two fsyncs per partition batch, one after the
// other, while every other client's request waits. Here kfake writes without
// syncing and the broker's connections hold each response back until a sync
// round that began after the response was ready has made the log's files
// durable: a producer is acknowledged only once its batch is on disk, as with
// SyncWrites, but the broker goes on taking requests meanwhile, and the batches
// of all the requests written during one round share its fsyncs.
//
// The guarantee: an event a producer sees acknowledged was written by the broker
// (write(2)) before the acknowledgement was ready, and fsync'd before it was
// sent. It survives the broker process being killed and the machine losing
// power. Every response waits for a round (not only the produce ones), so a
// consumer never reads an event that a crash could take back, nor a committed
// offset that could go back.
//
// The rounds leave out kfake's index files (*.idx, one 15-byte entry per batch
// beside each segment), synced only when the broker closes: each fsync costs a
// round about as much as a segment's (a round of six files takes twice one of
// three here), and the index holds nothing that a crash could lose. kfake
// rebuilds a partition from its segment files; of an index entry it keeps the
// leader epoch and the transaction flag, and reads a missing entry as epoch 0,
// not transactional: what every batch of this broker has (one broker, whose
// leaders never change; the publisher writes no transactions). An index cut
// short by a crash only has later entries land at earlier places, which hold
// the same values.

// logSyncer makes the files under a directory durable in rounds: [logSyncer.wait]
// returns once a round that started after it was called, and every round before
// it, have fsync'd the files written before they started. Up to maxRounds run
// at once.
type logSyncer struct {
	dir     string
	changes changeWatch
	sync    func(path string) error // fsync; a probe in tests

	mu        sync.Mutex
	cond      *sync.Cond
	requested uint64          // the highest round a waiter needs
	started   uint64          // the rounds started
	finished  uint64          // every round up to this one has finished
	ahead     map[uint64]bool // rounds finished past finished
	running   int
	failed    uint64 // the last round that failed, and its error
	err       error
	retry     []string        // the files a failed round could not fsync
	lazy      map[string]bool // the index files written, synced as the broker closes
	closed    bool
	done      chan struct{}
}

// maxRounds bounds the rounds running at once. A request written during a round
// starts its own rather than wait for that one's end: its fsyncs overlap the
// round's, and the file system's journal commits them together where it can.
// Measured with the api role against the broker in its own process (a loaded
// 2-core machine): a produce acknowledged in 17-19 ms with 4, 20-25 ms with 1.
const maxRounds = 4

// changeWatch tells which files and directories under a directory were written
// since its last call (all: it cannot tell, every one is to be synced). The
// kernel records a write before write(2) returns, so a call made after a write
// reports it.
type changeWatch interface {
	changed() (paths []string, all bool)
	close()
}

func newLogSyncer(dir string, fsync func(path string) error) *logSyncer {
	s := &logSyncer{dir: dir, changes: watchChanges(dir), sync: fsync, ahead: map[uint64]bool{}, lazy: map[string]bool{}, done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	go s.loop()
	return s
}

// wait returns once everything written under the directory before it was
// called is durable, or an error if a round meanwhile failed.
func (s *logSyncer) wait() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errBrokerClosed
	}
	from := s.finished
	want := s.started + 1 // a round running may have taken the changes already
	if s.requested < want {
		s.requested = want
		s.cond.Broadcast()
	}
	for s.finished < want && !s.closed {
		s.cond.Wait()
	}
	switch {
	case s.finished < want:
		return errBrokerClosed
	case s.failed > from:
		return s.err
	}
	return nil
}

var errBrokerClosed = errors.New("eventlog: broker closed")

// loop starts the rounds the waiters need; the changes are taken under the lock,
// so that round n holds every change reported before round n+1's.
func (s *logSyncer) loop() {
	defer close(s.done)
	s.mu.Lock()
	for {
		for (s.requested <= s.started || s.running >= maxRounds) && !s.closed {
			s.cond.Wait()
		}
		if s.closed {
			for s.running > 0 {
				s.cond.Wait()
			}
			paths, all := s.changes.changed()
			paths = append(s.retry, paths...)
			for p := range s.lazy {
				paths = append(paths, p)
			}
			s.mu.Unlock()
			s.round(paths, all) // what the broker wrote as it closed
			s.changes.close()
			return
		}
		s.started++
		s.running++
		round := s.started
		paths, all := s.changes.changed()
		paths, s.retry = s.postpone(append(s.retry, paths...), all), nil
		go func() {
			failed, err := s.round(paths, all)
			s.mu.Lock()
			defer s.mu.Unlock()
			s.running--
			if err != nil {
				s.failed, s.err = max(s.failed, round), err
				s.retry = append(s.retry, failed...) // the next round tries them again
			}
			s.ahead[round] = true
			for s.ahead[s.finished+1] {
				delete(s.ahead, s.finished+1)
				s.finished++
			}
			s.cond.Broadcast()
		}()
	}
}

// postpone takes the index files out of paths, to be synced as the broker
// closes (see above); a round of every file syncs them all.
func (s *logSyncer) postpone(paths []string, all bool) []string {
	if all {
		clear(s.lazy)
		return paths
	}
	return slices.DeleteFunc(paths, func(p string) bool {
		if filepath.Ext(p) == ".idx" {
			s.lazy[p] = true
			return true
		}
		return false
	})
}

// round fsyncs, in parallel, the files and directories given (every one under
// the directory for all), and returns those it could not.
func (s *logSyncer) round(paths []string, all bool) (failed []string, err error) {
	if all {
		paths = paths[:0:0]
		filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && (d.IsDir() || d.Type().IsRegular()) {
				paths = append(paths, path)
			}
			return nil // a file removed meanwhile (retention) needs no sync
		})
	}
	paths = uniq(paths)
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() {
			if err := s.sync(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs[i] = err
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			failed = append(failed, paths[i])
		}
	}
	return failed, errors.Join(errs...)
}

// uniq drops repeated paths, keeping the first of each.
func uniq(paths []string) []string {
	seen := make(map[string]bool, len(paths))
	out := paths[:0:0]
	for _, p := range paths {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// close runs a last round (the broker flushed its files as it closed) and
// releases the waiters.
func (s *logSyncer) close() {
	s.mu.Lock()
	s.closed = true
	s.cond.Broadcast()
	s.mu.Unlock()
	<-s.done
}

// fsyncPath makes a file, or a directory's entries, durable.
func fsyncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// durableListener hands out connections whose writes wait for the log to be
// durable.
type durableListener struct {
	net.Listener
	s *logSyncer
}

func (l durableListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return durableConn{Conn: c, s: l.s}, nil
}

// durableConn sends the broker's responses once what the broker wrote before
// them is durable. The broker writes each response in one call, from a
// goroutine of its own, so only this connection waits.
type durableConn struct {
	net.Conn
	s *logSyncer
}

func (c durableConn) Write(b []byte) (int, error) {
	if err := c.s.wait(); err != nil {
		// Not acknowledged: the client sees the connection drop and sends again.
		return 0, err
	}
	return c.Conn.Write(b)
}

// everything is the watch of a system without inotify: every file, every round.
type everything struct{}

func (everything) changed() ([]string, bool) { return nil, true }
func (everything) close()                    {}
