package eventlog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Outbox is a durable, append-only queue of encoded events waiting for the broker.
// Records are framed (length, CRC-32) and fsync'd before [Outbox.Append] returns;
// the position of the first record not yet delivered is kept in a side file. A
// record torn by a crash is detected by its frame and dropped at open: it was
// never acknowledged to anyone. It is safe for concurrent use.
type Outbox struct {
	mu      sync.Mutex
	f       *os.File
	posPath string
	pos     int64 // first byte not yet delivered
	end     int64 // end of the last whole record
	pending int   // records between pos and end
}

const frameHeader = 8 // uint32 length + uint32 CRC-32 (Castagnoli)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// OpenOutbox opens (or creates) the outbox in dir.
func OpenOutbox(dir string) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("eventlog: outbox: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "outbox.log"), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("eventlog: outbox: %w", err)
	}
	o := &Outbox{f: f, posPath: filepath.Join(dir, "outbox.pos")}
	if b, err := os.ReadFile(o.posPath); err == nil && len(b) == 8 {
		o.pos = int64(binary.BigEndian.Uint64(b))
	}
	if st, err := f.Stat(); err == nil && o.pos > st.Size() {
		o.pos = 0 // the log was emptied after its last position was saved
	}
	// Scan from pos to find the end of the last whole record.
	if _, err := f.Seek(o.pos, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("eventlog: outbox: %w", err)
	}
	r := bufio.NewReader(f)
	o.end = o.pos
	for {
		rec, err := readFrame(r)
		if err != nil {
			break
		}
		o.end += int64(frameHeader + len(rec))
		o.pending++
	}
	if err := f.Truncate(o.end); err != nil {
		f.Close()
		return nil, fmt.Errorf("eventlog: outbox: drop torn record: %w", err)
	}
	return o, nil
}

func readFrame(r io.Reader) ([]byte, error) {
	var h [frameHeader]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(h[:4])
	if n > 16<<20 {
		return nil, errors.New("eventlog: outbox: record too large")
	}
	rec := make([]byte, n)
	if _, err := io.ReadFull(r, rec); err != nil {
		return nil, err
	}
	if crc32.Checksum(rec, crcTable) != binary.BigEndian.Uint32(h[4:]) {
		return nil, errors.New("eventlog: outbox: bad checksum")
	}
	return rec, nil
}

// Append writes records and fsyncs them.
func (o *Outbox) Append(recs ...[]byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var buf []byte
	for _, rec := range recs {
		var h [frameHeader]byte
		binary.BigEndian.PutUint32(h[:4], uint32(len(rec)))
		binary.BigEndian.PutUint32(h[4:], crc32.Checksum(rec, crcTable))
		buf = append(append(buf, h[:]...), rec...)
	}
	if _, err := o.f.WriteAt(buf, o.end); err != nil {
		return fmt.Errorf("eventlog: outbox append: %w", err)
	}
	if err := o.f.Sync(); err != nil {
		return fmt.Errorf("eventlog: outbox sync: %w", err)
	}
	o.end += int64(len(buf))
	o.pending += len(recs)
	return nil
}

// Pending returns how many records wait for delivery.
func (o *Outbox) Pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pending
}

// Peek returns up to max records from the head of the queue, and the position
// that [Outbox.Ack] must be given once they are delivered.
func (o *Outbox) Peek(max int) ([][]byte, int64, error) {
	o.mu.Lock()
	pos, end := o.pos, o.end
	o.mu.Unlock()
	r := bufio.NewReader(io.NewSectionReader(o.f, pos, end-pos))
	var recs [][]byte
	for len(recs) < max {
		rec, err := readFrame(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, pos, fmt.Errorf("eventlog: outbox read: %w", err)
		}
		recs = append(recs, rec)
		pos += int64(frameHeader + len(rec))
	}
	return recs, pos, nil
}

// Ack marks the records before pos as delivered (n of them). When the queue is
// empty the file is truncated.
func (o *Outbox) Ack(pos int64, n int) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pos = pos
	o.pending -= n
	if o.pending == 0 && o.pos == o.end {
		if err := o.f.Truncate(0); err != nil {
			return fmt.Errorf("eventlog: outbox truncate: %w", err)
		}
		if err := o.f.Sync(); err != nil {
			return fmt.Errorf("eventlog: outbox sync: %w", err)
		}
		o.pos, o.end = 0, 0
	}
	return o.savePos()
}

// savePos records the delivery position atomically (write, fsync, rename).
func (o *Outbox) savePos() error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(o.pos))
	tmp := o.posPath + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return fmt.Errorf("eventlog: outbox position: %w", err)
	}
	if _, err := f.Write(b[:]); err != nil {
		f.Close()
		return fmt.Errorf("eventlog: outbox position: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("eventlog: outbox position: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("eventlog: outbox position: %w", err)
	}
	return os.Rename(tmp, o.posPath)
}

// Close closes the file.
func (o *Outbox) Close() error { return o.f.Close() }
