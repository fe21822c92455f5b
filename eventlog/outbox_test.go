package eventlog

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testDir is where the outbox lives on a [memFS].
const testDir = "/data/outbox"

var errInjected = errors.New("injected failure")

// openMem opens an outbox on a new [memFS].
func openMem(t *testing.T) (*memFS, *Outbox) {
	t.Helper()
	m := newMemFS()
	o, err := openOutbox(m, testDir)
	if err != nil {
		t.Fatal(err)
	}
	return m, o
}

func peekAll(t *testing.T, o *Outbox) []string {
	t.Helper()
	recs, _, err := o.Peek(1 << 30)
	if err != nil {
		t.Fatalf("Peek: %v", err)
	}
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = string(r)
	}
	return out
}

func segmentFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"+segmentSuffix))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestOutboxSurvivesReopenAndDropsTornRecord(t *testing.T) {
	dir := t.TempDir()
	o, err := OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := o.Append(fmt.Appendf(nil, "event-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	recs, pos, err := o.Peek(2)
	if err != nil || len(recs) != 2 || string(recs[1]) != "event-1" {
		t.Fatalf("Peek = %q, %v", recs, err)
	}
	if err := o.Ack(pos, 2); err != nil {
		t.Fatal(err)
	}
	o.Close()

	// A crash in the middle of an append leaves a torn frame at the end.
	segs := segmentFiles(t, dir)
	f, err := os.OpenFile(segs[len(segs)-1], os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0, 0, 0, 50, 1, 2, 3, 4, 'x'})
	f.Close()

	o, err = OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if n := o.Pending(); n != 3 {
		t.Fatalf("pending after reopen = %d, want 3", n)
	}
	recs, pos, err = o.Peek(10)
	if err != nil || len(recs) != 3 || string(recs[0]) != "event-2" || string(recs[2]) != "event-4" {
		t.Fatalf("Peek after reopen = %q, %v", recs, err)
	}
	if err := o.Append([]byte("event-5")); err != nil {
		t.Fatal(err)
	}
	if err := o.Ack(pos, 3); err != nil {
		t.Fatal(err)
	}
	recs, pos, _ = o.Peek(10)
	if len(recs) != 1 || string(recs[0]) != "event-5" {
		t.Fatalf("after ack: %q", recs)
	}
	if err := o.Ack(pos, 1); err != nil {
		t.Fatal(err)
	}
	if segs := segmentFiles(t, dir); len(segs) != 0 || o.Pending() != 0 {
		t.Errorf("drained outbox: segments %q, pending %d", segs, o.Pending())
	}
}

func TestOutboxRejectsCorruptRecord(t *testing.T) {
	dir := t.TempDir()
	o, _ := OpenOutbox(dir)
	o.Append([]byte("good"), []byte("flipped"))
	o.Close()
	path := segmentFiles(t, dir)[0]
	b, _ := os.ReadFile(path)
	b[len(b)-1] ^= 0xff // corrupt the last record's payload
	os.WriteFile(path, b, 0o640)
	o, err := OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if got := peekAll(t, o); !slices.Equal(got, []string{"good"}) || o.Pending() != 1 {
		t.Errorf("records %q, pending %d; want only the good one", got, o.Pending())
	}
}

func TestOutboxRefusesOversizedRecord(t *testing.T) {
	_, o := openMem(t)
	defer o.Close()
	if err := o.Append([]byte("small"), make([]byte, maxRecord+1)); err == nil || !strings.Contains(err.Error(), "could not store 2 events") {
		t.Errorf("Append of a record over the limit: %v", err)
	}
	if o.Pending() != 0 {
		t.Errorf("pending = %d after a refused append", o.Pending())
	}
}

// An outbox written by earlier versions (one log, a byte offset beside it) is
// adopted whole: its offset could point past records never delivered.
func TestOutboxAdoptsLegacyLog(t *testing.T) {
	dir := t.TempDir()
	var log []byte
	for i := range 4 {
		log = appendFrame(log, fmt.Appendf(nil, "old-%d", i))
	}
	log = append(log, 0, 0, 0, 9, 'x') // torn
	os.WriteFile(filepath.Join(dir, legacyLog), log, 0o640)
	os.WriteFile(filepath.Join(dir, legacyPos), binary.BigEndian.AppendUint64(nil, 26), 0o640)

	o, err := OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if err := o.Append([]byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, want := peekAll(t, o), []string{"old-0", "old-1", "old-2", "old-3", "new"}; !slices.Equal(got, want) {
		t.Errorf("records %q, want %q", got, want)
	}
	for _, name := range []string{legacyLog, legacyPos} {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there: %v", name, err)
		}
	}
}

// The review's case: the queue drains, saving the position fails, ten records
// are accepted. They must all be there after a restart.
func TestOutboxKeepsRecordsWhenPositionSaveFails(t *testing.T) {
	m, o := openMem(t)
	var accepted []string
	appendRecs := func(prefix string) {
		for i := range 10 {
			rec := fmt.Sprintf("%s-%d", prefix, i)
			if err := o.Append([]byte(rec)); err != nil {
				t.Fatal(err)
			}
			accepted = append(accepted, rec)
		}
	}
	appendRecs("first")
	appendRecs("second")
	_, pos, _ := o.Peek(10)
	if err := o.Ack(pos, 10); err != nil {
		t.Fatal(err)
	}
	_, pos, _ = o.Peek(10)
	m.fail = func(op, name string) error {
		if op == "write" && name == positionFile+".tmp" {
			return errInjected
		}
		return nil
	}
	if err := o.Ack(pos, 10); !errors.Is(err, errInjected) {
		t.Fatalf("Ack with the position save failing: %v", err)
	}
	m.fail = nil
	appendRecs("third")
	want := accepted[10:] // "second" may come again: delivered, not known durably
	states := map[string]*memFS{"kill": m.afterKill(), "power cut": m.afterPowerCut(false)}
	o.Close()
	for name, m := range states {
		o, err := openOutbox(m, testDir)
		if err != nil {
			t.Fatal(err)
		}
		if got := peekAll(t, o); !slices.Equal(got, want) && !slices.Equal(got, want[10:]) {
			t.Errorf("after %s: %q, want %q", name, got, want)
		}
		o.Close()
	}
}

// workload drives an outbox as the publisher does: appends of one record and of
// batches, partial and full deliveries (a full one closes its segment), segments
// rolled by size, a reopen. Like the publisher it carries on after errors.
type workload struct {
	accepted  []string // records whose Append returned nil, in order
	failed    []string // records whose Append returned an error
	delivered int      // accepted records handed out and acknowledged
}

func (w *workload) run(t *testing.T, m *memFS) {
	o, err := openOutbox(m, testDir)
	if err != nil {
		return
	}
	o.segmentSize = 40 // three frames of record(i)
	next := 0
	add := func(n int) {
		var recs [][]byte
		var names []string
		for range n {
			names = append(names, fmt.Sprintf("r%03d", next))
			recs = append(recs, []byte(names[len(names)-1]))
			next++
		}
		if err := o.Append(recs...); err != nil {
			w.failed = append(w.failed, names...)
			return
		}
		w.accepted = append(w.accepted, names...)
	}
	deliver := func(max int) {
		recs, pos, err := o.Peek(max)
		if err != nil {
			return
		}
		for i, rec := range recs {
			if k := w.delivered + i; k >= len(w.accepted) || string(rec) != w.accepted[k] {
				t.Fatalf("Peek handed out %q at %d; accepted %q, %d delivered", rec, i, w.accepted, w.delivered)
			}
		}
		o.Ack(pos, len(recs)) // delivered, whether the position is saved or not
		w.delivered += len(recs)
	}
	add(1)
	add(4)
	deliver(3)
	add(2)
	deliver(100) // drains
	add(5)
	add(1)
	deliver(2)
	o.Close()
	if o, err = openOutbox(m, testDir); err != nil {
		return
	}
	o.segmentSize = 40
	recs, _, err := o.Peek(1)
	if err != nil {
		return
	}
	if len(recs) > 0 {
		// What was delivered but not durably acknowledged comes again.
		if k := slices.Index(w.accepted, string(recs[0])); k >= 0 && k <= w.delivered {
			w.delivered = k
		}
	}
	add(3)
	deliver(4)
	add(6)
	deliver(100)
	add(2)
	add(1)
	deliver(1)
	o.Close()
}

// checkRecovered opens the outbox on m and fails the test unless it holds, in
// order and once each, every accepted record not yet delivered, preceded at most
// by delivered ones (at least once) and followed at most by a prefix of maybe.
// Then it checks that the outbox takes new records after them.
func checkRecovered(t *testing.T, state string, m *memFS, w *workload, maybe []string) {
	t.Helper()
	o, err := openOutbox(m, testDir)
	if err != nil {
		t.Fatalf("after %s: open: %v", state, err)
	}
	defer o.Close()
	got := peekAll(t, o)
	j := w.delivered
	if len(got) > 0 {
		if k := slices.Index(w.accepted, got[0]); k >= 0 && k < j {
			j = k
		}
	}
	want := w.accepted[j:]
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) ||
		len(got)-len(want) > len(maybe) || !slices.Equal(got[len(want):], maybe[:len(got)-len(want)]) {
		t.Fatalf("after %s: outbox holds %q;\nwant %q (accepted %q, %d delivered), then at most %q", state, got, want, w.accepted, w.delivered, maybe)
	}
	if o.Pending() != len(got) {
		t.Errorf("after %s: pending %d, holds %d", state, o.Pending(), len(got))
	}
	if err := o.Append([]byte("new")); err != nil {
		t.Fatalf("after %s: %v", state, err)
	}
	if after := peekAll(t, o); !slices.Equal(after, append(got, "new")) {
		t.Errorf("after %s and one more append: %q", state, after)
	}
}

// crashStates are the disks a failure can leave, taken before anything reads
// them.
func crashStates(m *memFS) map[string]*memFS {
	return map[string]*memFS{
		"a kill":           m.afterKill(),
		"a power cut":      m.afterPowerCut(false),
		"a torn power cut": m.afterPowerCut(true),
	}
}

// Every operation the outbox asks of the disk fails in turn, once (a failed
// write stores half its bytes): a refused position save, rename, fsync of a
// segment or of the directory, a segment that cannot be created… Whatever fails,
// what was accepted is still there after a restart, in order, and what Append
// refused is not.
func TestOutboxSurvivesAnySingleFailure(t *testing.T) {
	var ops []string
	m := newMemFS()
	m.fail = func(op, name string) error { ops = append(ops, op+" "+name); return nil }
	var clean workload
	clean.run(t, m)
	if len(clean.failed) > 0 || clean.delivered == 0 {
		t.Fatalf("workload without failures: %+v", clean)
	}
	for i, op := range ops {
		t.Run(fmt.Sprintf("%03d %s", i, op), func(t *testing.T) {
			m := newMemFS()
			n := 0
			m.fail = func(string, string) error {
				if n++; n == i+1 {
					return errInjected
				}
				return nil
			}
			var w workload
			w.run(t, m)
			m.fail = nil
			for state, m := range crashStates(m) {
				checkRecovered(t, state, m, &w, nil)
			}
		})
	}
}

// The machine stops at each step in turn: what it leaves (everything written,
// only what was synced, or that plus a torn tail) always opens with every
// accepted record in order. The append in flight may or may not be there.
func TestOutboxSurvivesCrashAtEveryStep(t *testing.T) {
	errCrash := errors.New("crashed")
	for k := 1; ; k++ {
		m := newMemFS()
		n := 0
		m.fail = func(string, string) error {
			if n++; n >= k {
				return errCrash
			}
			return nil
		}
		var w workload
		w.run(t, m)
		if n < k {
			if k < 50 {
				t.Fatalf("the workload took only %d steps", k-1)
			}
			return // ran to its end: every step has had its crash
		}
		m.fail = nil
		for state, m := range crashStates(m) {
			checkRecovered(t, fmt.Sprintf("%s at step %d", state, k), m, &w, w.failed)
		}
	}
}

// A full disk: Append says the events could not be stored, wrapping ENOSPC,
// leaves no partial record, and once there is space again the outbox works.
func TestOutboxDiskFull(t *testing.T) {
	m, o := openMem(t)
	var accepted []string
	for i := range 5 {
		rec := fmt.Sprintf("r%03d", i)
		if err := o.Append([]byte(rec)); err != nil {
			t.Fatal(err)
		}
		accepted = append(accepted, rec)
	}
	seg := m.files[o.segmentPath(o.segs[0].seq)]
	size := len(seg.data)
	m.free = 30 // two and a half frames of the four
	err := o.Append([]byte("r005"), []byte("r006"), []byte("r007"), []byte("r008"))
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "outbox could not store 4 events") {
		t.Fatalf("Append on a full disk: %v", err)
	}
	t.Log(err)
	if len(seg.data) != size || o.Pending() != 5 {
		t.Errorf("after the failed append: segment of %d bytes (was %d), pending %d", len(seg.data), size, o.Pending())
	}
	states := crashStates(m)
	m.free = -1 // space is back
	if err := o.Append([]byte("r009")); err != nil {
		t.Fatalf("Append with space back: %v", err)
	}
	if got, want := peekAll(t, o), append(slices.Clone(accepted), "r009"); !slices.Equal(got, want) {
		t.Errorf("records %q, want %q", got, want)
	}
	o.Close()
	for state, m := range states {
		checkRecovered(t, state, m, &workload{accepted: accepted}, nil)
	}
}

// The same on a real file system that fills up: a 64 KiB tmpfs, made larger
// afterwards.
func TestOutboxDiskFullTmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	o, err := OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	batch := func(from int) [][]byte {
		recs := make([][]byte, 8)
		for i := range recs {
			recs[i] = fmt.Appendf(nil, "%06d%s", from+i, bytes.Repeat([]byte("x"), 444))
		}
		return recs
	}
	accepted := 0
	for ; ; accepted += 8 {
		if err = o.Append(batch(accepted)...); err != nil {
			break
		}
		if accepted > 1000 {
			t.Fatal("the 64 KiB tmpfs never filled up")
		}
	}
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "outbox could not store 8 events") {
		t.Fatalf("Append on a full tmpfs: %v", err)
	}
	t.Logf("%d records accepted, then: %v", accepted, err)
	o.Close()

	o, err = OpenOutbox(dir)
	if err != nil {
		t.Fatalf("open on a full tmpfs: %v", err)
	}
	defer o.Close()
	if o.Pending() != accepted {
		t.Fatalf("pending %d after reopen, want %d", o.Pending(), accepted)
	}
	if out, err := exec.Command("mount", "-o", "remount,size=1m", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v: %s", err, out)
	}
	if err := o.Append(batch(accepted)...); err != nil {
		t.Fatalf("Append with space back: %v", err)
	}
	got := peekAll(t, o)
	if len(got) != accepted+8 {
		t.Fatalf("%d records, want %d", len(got), accepted+8)
	}
	for i, rec := range got {
		if !strings.HasPrefix(rec, fmt.Sprintf("%06d", i)) {
			t.Fatalf("record %d is %.6s…", i, rec)
		}
	}
}

// killEnv names the outbox directory of the subprocess that
// TestOutboxSurvivesKill starts and kills; killFromEnv the first record's number.
const (
	killEnv     = "PARVIS_TEST_OUTBOX_KILL_DIR"
	killFromEnv = "PARVIS_TEST_OUTBOX_KILL_FROM"
)

// The test binary, started again, appends and delivers on a real directory until
// it is killed with SIGKILL; then the outbox must hold every record it reported
// accepted and not about to be acknowledged, in order, with no gap. Five rounds
// on one directory.
func TestOutboxSurvivesKill(t *testing.T) {
	if dir := os.Getenv(killEnv); dir != "" {
		from, _ := strconv.Atoi(os.Getenv(killFromEnv))
		appendUntilKilled(dir, from)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Records up to accepted were accepted; those up to acking may be delivered.
	accepted, acking, next := -1, -1, 0
	for round := range 5 {
		cmd := exec.Command(exe, "-test.run=^TestOutboxSurvivesKill$")
		cmd.Env = append(os.Environ(), killEnv+"="+dir, killFromEnv+"="+strconv.Itoa(next))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := 0
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var n int
			if _, err := fmt.Sscanf(sc.Text(), "accepted %d", &n); err == nil {
				accepted = max(accepted, n)
			} else if _, err := fmt.Sscanf(sc.Text(), "acking %d", &n); err == nil {
				acking = max(acking, n)
			} else {
				t.Errorf("round %d: the subprocess says %q", round, sc.Text())
			}
			if lines++; lines == 30+round*47 {
				cmd.Process.Kill() // what it printed before dying is still read
			}
		}
		cmd.Wait()

		o, err := OpenOutbox(dir)
		if err != nil {
			t.Fatalf("round %d: open after the kill: %v", round, err)
		}
		got := peekAll(t, o)
		o.Close()
		first, last := acking+1, -1
		for i, rec := range got {
			n, err := strconv.Atoi(strings.TrimRight(rec, "."))
			if err != nil || i > 0 && n != last+1 {
				t.Fatalf("round %d: record %d is %.12q after %d", round, i, rec, last)
			}
			if i == 0 {
				first = n
			}
			last = n
		}
		if first > acking+1 || len(got) > 0 && last < accepted || len(got) == 0 && acking < accepted {
			t.Fatalf("round %d: outbox holds %d to %d; accepted up to %d, delivered up to %d at most", round, first, last, accepted, acking)
		}
		t.Logf("round %d: killed after %d lines; holds %d records, %d to %d (accepted up to %d, delivered up to %d at most)", round, lines, len(got), first, last, accepted, acking)
		next = max(last, accepted, acking) + 1
	}
}

func appendUntilKilled(dir string, from int) {
	o, err := OpenOutbox(dir)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	o.segmentSize = 4 << 10
	deadline := time.Now().Add(20 * time.Second) // should the test die first
	for i := 0; time.Now().Before(deadline); i++ {
		recs := make([][]byte, i%8+1)
		for j := range recs {
			recs[j] = fmt.Appendf(nil, "%d%s", from, bytes.Repeat([]byte("."), 200))
			from++
		}
		if err := o.Append(recs...); err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("accepted", from-1)
		if i%3 == 2 {
			recs, pos, err := o.Peek(10)
			if err == nil && len(recs) > 0 {
				n, _ := strconv.Atoi(strings.TrimRight(string(recs[len(recs)-1]), "."))
				fmt.Println("acking", n) // before: a kill may follow the Ack
				o.Ack(pos, len(recs))
			}
		}
	}
	os.Exit(0)
}

// FuzzOutbox opens an outbox whose segment, or whose log of an earlier version,
// holds arbitrary bytes: open must succeed, nothing may panic, and every record
// handed out must be a whole frame of the file, in order, whose checksum matches.
func FuzzOutbox(f *testing.F) {
	two := appendFrame(appendFrame(nil, []byte("one")), []byte("two"))
	f.Add(two)
	f.Add([]byte{})
	f.Add(append(slices.Clone(two), 0, 0, 0, 50, 1, 2, 3, 4, 'x'))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Add(append(slices.Clone(two[:len(two)-1]), 'X'))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{fmt.Sprintf("%020d%s", 7, segmentSuffix), legacyLog} {
			m := newMemFS()
			m.files[filepath.Join(testDir, name)] = &memNode{data: slices.Clone(data), synced: slices.Clone(data)}
			o, err := openOutbox(m, testDir)
			if err != nil {
				t.Fatalf("open with %s: %v", name, err)
			}
			got := peekAll(t, o)
			off := 0
			for i, rec := range got {
				if len(data)-off < frameHeader+len(rec) {
					t.Fatalf("record %d runs past the end of the file", i)
				}
				h := data[off : off+frameHeader]
				if int(binary.BigEndian.Uint32(h)) != len(rec) || binary.BigEndian.Uint32(h[4:]) != crc32.Checksum([]byte(rec), crcTable) ||
					string(data[off+frameHeader:off+frameHeader+len(rec)]) != rec {
					t.Fatalf("record %d at %d is not a whole frame with a good checksum", i, off)
				}
				off += frameHeader + len(rec)
			}
			if o.Pending() != len(got) {
				t.Fatalf("pending %d, holds %d", o.Pending(), len(got))
			}
			if err := o.Append([]byte("after")); err != nil {
				t.Fatal(err)
			}
			if after := peekAll(t, o); !slices.Equal(after, append(got, "after")) {
				t.Fatalf("after one more append: %d records, want %d", len(after), len(got)+1)
			}
			o.Close()
		}
	})
}

// BenchmarkOutboxAppend measures fsync'd appends of 450-byte records, one at a
// time and in batches of 64, against the machine's limit: the same bytes written
// to a plain file and fsync'd as often. The two alternate, so that both see the
// disk in the same mood; ns/op counts the outbox only.
func BenchmarkOutboxAppend(b *testing.B) {
	rec := bytes.Repeat([]byte("x"), 450)
	for _, batch := range []int{1, 64} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			recs := make([][]byte, batch)
			var frames []byte
			for i := range recs {
				recs[i] = rec
				frames = appendFrame(frames, rec)
			}
			o, err := OpenOutbox(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer o.Close()
			f, err := os.Create(filepath.Join(b.TempDir(), "plain"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			n, plain := 0, time.Duration(0)
			for b.Loop() {
				if err := o.Append(recs...); err != nil {
					b.Fatal(err)
				}
				n++
				b.StopTimer()
				start := time.Now()
				if _, err := f.Write(frames); err != nil {
					b.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
				plain += time.Since(start)
				b.StartTimer()
			}
			outboxRate := float64(n*batch) / b.Elapsed().Seconds()
			plainRate := float64(n*batch) / plain.Seconds()
			b.ReportMetric(outboxRate, "events/s")
			b.ReportMetric(plainRate, "file-events/s")
			b.ReportMetric(outboxRate/plainRate, "ratio")
		})
	}
}
