package eventlog

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestOutboxSurvivesReopenAndDropsTornRecord(t *testing.T) {
	dir := t.TempDir()
	o, err := OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := o.Append([]byte(fmt.Sprintf("event-%d", i))); err != nil {
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
	f, err := os.OpenFile(filepath.Join(dir, "outbox.log"), os.O_WRONLY|os.O_APPEND, 0)
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
	if st, _ := os.Stat(filepath.Join(dir, "outbox.log")); st.Size() != 0 || o.Pending() != 0 {
		t.Errorf("drained outbox: size %d, pending %d", st.Size(), o.Pending())
	}
}

func TestOutboxRejectsCorruptRecord(t *testing.T) {
	dir := t.TempDir()
	o, _ := OpenOutbox(dir)
	o.Append([]byte("good"), []byte("flipped"))
	o.Close()
	path := filepath.Join(dir, "outbox.log")
	b, _ := os.ReadFile(path)
	b[len(b)-1] ^= 0xff // corrupt the last record's payload
	os.WriteFile(path, b, 0o640)
	o, err := OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.Pending() != 1 {
		t.Errorf("pending = %d, want 1 (the corrupt record is dropped)", o.Pending())
	}
}
