package mining

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/projections/projectionstest"
	"github.com/parvis-civic/parvis/tenant"
)

// TestLiveMinerSeesANewQuestionOnAServerInParis: on a machine whose time zone
// is Europe/Paris, the embedded ClickHouse stored every time one or two hours
// early: a live pass, which reads the last minute or quarter hour, never saw a
// new question, and the workbench only learnt of it at the next restart. The
// test re-runs itself in a process whose time zone is Europe/Paris.
func TestLiveMinerSeesANewQuestionOnAServerInParis(t *testing.T) {
	if os.Getenv("PARVIS_TZ_CHILD") != "1" {
		// Only to skip without the library: chDB allows one open database
		// a process, which the next tests open.
		c, err := projections.OpenChDB(t.TempDir())
		if err != nil {
			t.Skip(err)
		}
		c.Close()
		cmd := exec.Command(os.Args[0], "-test.run=^TestLiveMinerSeesANewQuestionOnAServerInParis$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "TZ=Europe/Paris", "PARVIS_TZ_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("in a process whose time zone is Europe/Paris:\n%s", out)
		}
		return
	}
	ctx := context.Background()
	s := stores(t)["chdb"]
	q := projections.NewQueries(s)
	m := NewMiner(Config{}, q)
	if err := m.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	if err := projectionstest.Rows(unanswered(t, "conv-new", now, "ou garer mon camping car pres du lac")).Insert(ctx, s, ""); err != nil {
		t.Fatal(err)
	}
	m.lastWide = time.Time{}
	if err := m.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	cs, err := q.UnansweredClusters(ctx, tenant.Everything(), now.Add(-24*time.Hour), now.Add(time.Hour), 20, projections.ClusterFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Errorf("a question asked now, after a wide pass: %d groups, want 1", len(cs))
	}
}
