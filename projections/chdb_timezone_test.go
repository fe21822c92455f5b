package projections

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/tenant"
)

// TestChDBKeepsUTCOnAServerInParis: the projector inserts UTC text in DateTime
// columns without a zone. On a town's own machine, set to Europe/Paris, chDB
// read it in that zone and stored every time one or two hours early: a
// conversation at 12:00 UTC was found at 11:00, the hourly rollup was empty.
// The test re-runs itself in a process whose time zone is Europe/Paris.
func TestChDBKeepsUTCOnAServerInParis(t *testing.T) {
	if os.Getenv("PARVIS_TZ_CHILD") == "1" {
		ctx := context.Background()
		s, err := OpenChDB(t.TempDir())
		if err != nil {
			t.Skip(err)
		}
		defer s.Close()
		if err := Migrate(ctx, s); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		// As the projector does: insert the batch, roll up the hours it touched.
		p := NewProjector(ProjectorConfig{}, s, nil)
		var ms []kafka.Message
		for _, e := range conversationEvents(t, 1, 1, at) {
			raw, _ := e.Marshal()
			ms = append(ms, kafka.Message{Value: raw})
		}
		b, err := p.prepare(ctx, ms)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.insert(ctx, b); err != nil {
			t.Fatal(err)
		}
		hours := map[time.Time]bool{}
		for _, h := range b.hours {
			hours[h] = true
		}
		if err := p.rollUp(ctx, hours); err != nil {
			t.Fatal(err)
		}
		q := NewQueries(s)
		u, err := q.Usage(ctx, tenant.Everything(), at.Add(-24*time.Hour), at.Add(24*time.Hour), false)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(u); n != 1 || u[0].Messages != 1 {
			t.Errorf("TZ=Europe/Paris: the projector's rollup of a question at %s: usage over two days = %+v, want 1 question", at.Format(time.RFC3339), u)
		}
		o, err := q.Overview(ctx, tenant.Everything(), at.Add(-30*time.Minute), at.Add(30*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		msgs, _, err := q.Conversation(ctx, tenant.Everything(), "conv-000")
		if err != nil || len(msgs) == 0 {
			t.Fatalf("conversation: %v %v", msgs, err)
		}
		if o.Conversations != 1 || o.Messages != 1 || !msgs[0].At.Equal(at) {
			t.Fatalf("TZ=Europe/Paris: a conversation at %s: overview of 11:30–12:30 UTC = %+v, its message stored at %s",
				at.Format(time.RFC3339), o, msgs[0].At.UTC().Format(time.RFC3339))
		}
		return
	}
	if err := loadChDB(); err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChDBKeepsUTCOnAServerInParis$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "TZ=Europe/Paris", "PARVIS_TZ_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the same test in a process whose time zone is Europe/Paris failed:\n%s", out)
	}
}
