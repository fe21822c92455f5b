package projections

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

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
		p := NewProjector(ProjectorConfig{}, s, nil)
		projectAsTheProjector(t, ctx, p, conversationEvents(t, 1, 1, at))

		q := NewQueries(s)
		u, err := q.Usage(ctx, tenant.Everything(), at.Add(-24*time.Hour), at.Add(24*time.Hour), false)
		if err != nil {
			t.Fatal(err)
		}
		total, day := 0, ""
		for _, p := range u {
			if total += p.Messages; p.Messages > 0 {
				day = p.Start.Format(time.DateOnly)
			}
		}
		if total != 1 || day != "2026-03-10" {
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
