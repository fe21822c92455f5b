package eventlog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Outbox is a durable queue of encoded events waiting for the broker: a directory
// of numbered segment files and one position file.
//
// The promise: once [Outbox.Append] returns nil, its records are on disk and
// survive a crash of the process or of the machine at any later instant.
// [Outbox.Peek] hands them out oldest first, in order, and again on every call
// until [Outbox.Ack] is given the position after them. After a restart, records
// whose acknowledgement was not yet saved (Ack failed, or the crash came first)
// are handed out again: at least once, consumers drop repeats by event id. None
// is ever skipped. When Append returns an error, its records were not accepted
// and are removed from the disk; only if the disk fails again while they are
// being removed may they still be delivered after a restart.
//
// How it keeps the promise:
//   - Records are framed (length, CRC-32C) and appended to the newest segment,
//     which is fsync'd before Append returns. A frame torn by a crash or damaged
//     on disk ends its segment: what follows was never acknowledged.
//   - A new segment's directory entry is fsync'd before any record goes into it.
//   - A segment is only ever appended to, and cut back only to the end of its
//     last acknowledged record (after a failed append); segment numbers are never
//     reused. So a saved position can never point into other records.
//   - Segments from an earlier run are never appended to: the first Append of a
//     run starts a new segment.
//   - The position of the first record not yet delivered (segment, offset) is
//     replaced atomically: written to position.tmp, fsync'd, renamed over
//     position, and the directory fsync'd.
//   - A segment is deleted only once a saved position is past it. Without a
//     readable position file, every segment present is delivered again.
//
// It is safe for concurrent use.
type Outbox struct {
	fs          outboxFS
	dir         string
	segmentSize int64 // a segment takes no more appends past this size

	mu      sync.Mutex
	segs    []segment      // live segments, oldest first
	w       outboxFile     // the last of segs, open for appends; nil when none is
	next    uint64         // number of the next segment to create
	pos     OutboxPosition // first record not yet delivered
	saved   OutboxPosition // pos as last made durable
	stale   []uint64       // delivered segments still to delete
	pending int            // records from pos to the end
	closed  bool
}

// OutboxPosition is a place in the outbox, returned by [Outbox.Peek] and given
// back to [Outbox.Ack].
type OutboxPosition struct {
	segment uint64
	offset  int64 // in bytes, where a frame starts
}

func (p OutboxPosition) before(q OutboxPosition) bool {
	return p.segment < q.segment || p.segment == q.segment && p.offset < q.offset
}

type segment struct {
	seq uint64
	end int64 // end of its last whole record
}

const (
	frameHeader        = 8 // uint32 length + uint32 CRC-32C of the record, big-endian
	maxRecord          = 16 << 20
	defaultSegmentSize = 8 << 20
	positionFile       = "position"
	positionSize       = 20 // uint64 segment, uint64 offset, uint32 CRC-32C of the 16 bytes before
	segmentSuffix      = ".log"
	// The single log and byte offset of earlier versions, adopted at open.
	legacyLog = "outbox.log"
	legacyPos = "outbox.pos"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

var (
	errOutboxClosed = errors.New("eventlog: outbox closed")
	// errBadFrame is a frame torn by a crash or damaged on disk: it ends its
	// segment. Any other error reading a segment is the disk's, and fails.
	errBadFrame = errors.New("eventlog: outbox: torn or damaged frame")
)

// OpenOutbox opens (or creates) the outbox in dir.
func OpenOutbox(dir string) (*Outbox, error) { return openOutbox(osFS{}, dir) }

func openOutbox(fsys outboxFS, dir string) (*Outbox, error) {
	o := &Outbox{fs: fsys, dir: dir, segmentSize: defaultSegmentSize, next: 1}
	if err := fsys.MkdirAll(dir); err != nil {
		return nil, fmt.Errorf("eventlog: outbox: %w", err)
	}
	o.pos = o.readPosition()
	o.saved = o.pos
	names, err := fsys.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("eventlog: outbox: %w", err)
	}
	var seqs []uint64
	legacy := false
	for _, name := range names {
		if seq, ok := segmentSeq(name); ok {
			seqs = append(seqs, seq)
			o.next = max(o.next, seq+1)
		}
		legacy = legacy || name == legacyLog
	}
	// A segment named by the position is never created afresh: the position's
	// offset would skip into its new records.
	o.next = max(o.next, o.pos.segment+1)
	if legacy {
		// An earlier version wrote it after any segment here (it ignored them).
		if err := o.adoptLegacy(o.next); err != nil {
			return nil, fmt.Errorf("eventlog: outbox: adopt %s: %w", legacyLog, err)
		}
		seqs = append(seqs, o.next)
		o.next++
	}
	for _, seq := range seqs {
		if seq < o.pos.segment {
			o.stale = append(o.stale, seq)
			continue
		}
		start := int64(0)
		if seq == o.pos.segment {
			start = o.pos.offset
		}
		end, n, err := o.scan(seq, start)
		if err != nil {
			return nil, fmt.Errorf("eventlog: outbox: %w", err)
		}
		o.segs = append(o.segs, segment{seq: seq, end: end})
		o.pending += n
	}
	o.skipDelivered()
	if len(o.stale) > 0 {
		_ = o.commit() // tidying only; the next Ack tries again
	}
	return o, nil
}

func segmentSeq(name string) (uint64, bool) {
	digits, ok := strings.CutSuffix(name, segmentSuffix)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	seq, err := strconv.ParseUint(digits, 10, 64)
	return seq, err == nil
}

func (o *Outbox) segmentPath(seq uint64) string {
	return filepath.Join(o.dir, fmt.Sprintf("%020d%s", seq, segmentSuffix))
}

// readPosition returns the saved position, or the start of the oldest segment
// when there is none that can be trusted.
func (o *Outbox) readPosition() OutboxPosition {
	b, err := o.fs.ReadFile(filepath.Join(o.dir, positionFile))
	if err != nil || len(b) != positionSize || crc32.Checksum(b[:16], crcTable) != binary.BigEndian.Uint32(b[16:]) {
		return OutboxPosition{}
	}
	return OutboxPosition{segment: binary.BigEndian.Uint64(b), offset: int64(binary.BigEndian.Uint64(b[8:]))}
}

// adoptLegacy renames the log of earlier versions into segment seq. Its saved
// offset is ignored: those versions could save one that no longer matched the
// log, and delivering a record twice is allowed where skipping one is not.
func (o *Outbox) adoptLegacy(seq uint64) error {
	if err := o.fs.Rename(filepath.Join(o.dir, legacyLog), o.segmentPath(seq)); err != nil {
		return err
	}
	if err := o.fs.SyncDir(o.dir); err != nil {
		return err
	}
	_ = o.fs.Remove(filepath.Join(o.dir, legacyPos)) // never read again
	return nil
}

// scan reads segment seq from start and returns the end of its last whole record
// and how many whole records follow start.
func (o *Outbox) scan(seq uint64, start int64) (end int64, n int, err error) {
	f, err := o.fs.OpenFile(o.segmentPath(seq), os.O_RDONLY)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	end = start
	if start >= st.Size() {
		return end, 0, nil
	}
	r := bufio.NewReader(io.NewSectionReader(f, start, st.Size()-start))
	var buf []byte
	for {
		if buf, err = readFrame(r, st.Size()-end, buf); errors.Is(err, errBadFrame) {
			return end, n, nil // never acknowledged
		} else if err != nil {
			return 0, 0, err
		}
		end += int64(frameHeader + len(buf))
		n++
	}
}

// readFrame reads the record of one frame into buf (grown if need be). A frame
// that does not fit in the limit bytes left, or whose checksum does not match,
// is an [errBadFrame].
func readFrame(r *bufio.Reader, limit int64, buf []byte) ([]byte, error) {
	h, err := r.Peek(frameHeader)
	if err == io.EOF {
		return nil, errBadFrame
	} else if err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(h[:4])
	sum := binary.BigEndian.Uint32(h[4:])
	if n > maxRecord || int64(n) > limit-frameHeader {
		return nil, errBadFrame
	}
	r.Discard(frameHeader)
	if cap(buf) < int(n) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err == io.EOF || err == io.ErrUnexpectedEOF {
		return nil, errBadFrame
	} else if err != nil {
		return nil, err
	}
	if crc32.Checksum(buf, crcTable) != sum {
		return nil, errBadFrame
	}
	return buf, nil
}

func appendFrame(b, rec []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(rec)))
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(rec, crcTable))
	return append(b, rec...)
}

// Append stores records at the end of the queue and returns once they are
// durable. On error none of them is stored.
func (o *Outbox) Append(recs ...[]byte) error {
	if len(recs) == 0 {
		return nil
	}
	size := 0
	for _, rec := range recs {
		if len(rec) > maxRecord {
			return fmt.Errorf("eventlog: outbox could not store %d events: a record of %d bytes is over the limit of %d", len(recs), len(rec), maxRecord)
		}
		size += frameHeader + len(rec)
	}
	buf := make([]byte, 0, size)
	for _, rec := range recs {
		buf = appendFrame(buf, rec)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return fmt.Errorf("eventlog: outbox could not store %d events: %w", len(recs), errOutboxClosed)
	}
	if err := o.append(buf); err != nil {
		return fmt.Errorf("eventlog: outbox could not store %d events: %w", len(recs), err)
	}
	o.pending += len(recs)
	return nil
}

func (o *Outbox) append(buf []byte) error {
	if o.w == nil || o.segs[len(o.segs)-1].end > 0 && o.segs[len(o.segs)-1].end+int64(len(buf)) > o.segmentSize {
		if err := o.roll(); err != nil {
			return err
		}
	}
	s := &o.segs[len(o.segs)-1]
	_, err := o.w.WriteAt(buf, s.end)
	if err == nil {
		if err = o.w.Sync(); err == nil {
			s.end += int64(len(buf))
			return nil
		}
	}
	// Cut the segment back to its last acknowledged record, so that no part of
	// these records is read at the next open; if the disk refuses even that, the
	// segment takes no more appends and the next one starts a new segment.
	if terr := o.w.Truncate(s.end); terr != nil || o.w.Sync() != nil {
		o.w.Close()
		o.w = nil
	}
	return err
}

// roll starts a new segment and makes its directory entry durable, so that a
// record acknowledged in it cannot vanish with its name.
func (o *Outbox) roll() error {
	if o.w != nil {
		o.w.Close() // everything in it is synced already
		o.w = nil
	}
	seq := o.next
	o.next++ // never twice, even if this attempt fails half-way
	path := o.segmentPath(seq)
	f, err := o.fs.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return err
	}
	if err := o.fs.SyncDir(o.dir); err != nil {
		f.Close()
		_ = o.fs.Remove(path) // empty; read as empty if it stays
		return fmt.Errorf("sync directory %s: %w", o.dir, err)
	}
	o.segs = append(o.segs, segment{seq: seq})
	o.w = f
	return nil
}

// Pending returns how many records wait for delivery.
func (o *Outbox) Pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pending
}

// Peek returns up to max records from the head of the queue, oldest first, and
// the position that [Outbox.Ack] must be given once they are delivered.
func (o *Outbox) Peek(max int) ([][]byte, OutboxPosition, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil, o.pos, errOutboxClosed
	}
	pos := o.pos
	var recs [][]byte
	for i, s := range o.segs {
		if len(recs) >= max {
			break
		}
		if s.seq < pos.segment {
			continue
		}
		if s.seq > pos.segment {
			pos = OutboxPosition{segment: s.seq}
		}
		if pos.offset >= s.end {
			continue
		}
		f := o.w
		if i < len(o.segs)-1 || f == nil {
			var err error
			if f, err = o.fs.OpenFile(o.segmentPath(s.seq), os.O_RDONLY); err != nil {
				return nil, o.pos, fmt.Errorf("eventlog: outbox read: %w", err)
			}
			defer f.Close()
		}
		r := bufio.NewReader(io.NewSectionReader(f, pos.offset, s.end-pos.offset))
		for len(recs) < max && pos.offset < s.end {
			rec, err := readFrame(r, s.end-pos.offset, nil)
			if err != nil {
				return nil, o.pos, fmt.Errorf("eventlog: outbox read segment %d at %d: %w", s.seq, pos.offset, err)
			}
			recs = append(recs, rec)
			pos.offset += int64(frameHeader + len(rec))
		}
	}
	return recs, pos, nil
}

// Ack marks the n records before pos as delivered and saves the position; a
// segment wholly delivered is then deleted. When Ack returns an error the records
// are still taken as delivered by this Outbox, but may be handed out again after
// a restart.
func (o *Outbox) Ack(pos OutboxPosition, n int) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errOutboxClosed
	}
	if pos.before(o.pos) {
		return fmt.Errorf("eventlog: outbox: ack of %d:%d, behind the position %d:%d", pos.segment, pos.offset, o.pos.segment, o.pos.offset)
	}
	o.pos = pos
	o.pending = max(0, o.pending-n)
	o.skipDelivered()
	return o.commit()
}

// skipDelivered moves the position past the segments it has read to the end,
// the open one included (closed then, so that the next append starts a new
// segment and this one can be deleted), and lists them for deletion.
func (o *Outbox) skipDelivered() {
	for len(o.segs) > 0 {
		s := o.segs[0]
		if o.pos.segment < s.seq {
			o.pos = OutboxPosition{segment: s.seq}
		}
		if o.pos.segment == s.seq && o.pos.offset < s.end {
			return
		}
		if len(o.segs) == 1 && o.w != nil {
			o.w.Close() // everything in it is synced already
			o.w = nil
		}
		o.stale = append(o.stale, s.seq)
		o.segs = o.segs[1:]
		if o.pos.segment == s.seq {
			o.pos = OutboxPosition{segment: s.seq + 1}
		}
	}
}

// commit makes the position durable, then deletes the segments before it.
func (o *Outbox) commit() error {
	if o.pos != o.saved {
		if err := o.savePosition(o.pos); err != nil {
			return fmt.Errorf("eventlog: outbox: save position: %w", err)
		}
		o.saved = o.pos
	}
	var errs []error
	keep := o.stale[:0]
	for _, seq := range o.stale {
		if seq >= o.saved.segment {
			keep = append(keep, seq)
		} else if err := o.fs.Remove(o.segmentPath(seq)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			keep = append(keep, seq)
			errs = append(errs, err)
		}
	}
	o.stale = keep
	if len(errs) > 0 {
		return fmt.Errorf("eventlog: outbox: delete delivered segments: %w", errors.Join(errs...))
	}
	return nil
}

// savePosition replaces the position file atomically: write a temporary file,
// fsync it, rename it over the old one, fsync the directory.
func (o *Outbox) savePosition(p OutboxPosition) error {
	b := make([]byte, 16, positionSize)
	binary.BigEndian.PutUint64(b, p.segment)
	binary.BigEndian.PutUint64(b[8:], uint64(p.offset))
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
	tmp := filepath.Join(o.dir, positionFile+".tmp")
	f, err := o.fs.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return err
	}
	_, err = f.WriteAt(b, 0)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := o.fs.Rename(tmp, filepath.Join(o.dir, positionFile)); err != nil {
		return err
	}
	return o.fs.SyncDir(o.dir)
}

// Close closes the outbox. What it holds stays on disk for the next open.
func (o *Outbox) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.closed = true
	if o.w == nil {
		return nil
	}
	err := o.w.Close()
	o.w = nil
	return err
}
