package projections

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestReplayJob: one replay at a time, its progress readable while it runs, its
// end and error kept.
func TestReplayJob(t *testing.T) {
	release := make(chan struct{})
	progressed := make(chan struct{})
	runs := 0
	job := NewReplayJob(context.Background(), func(ctx context.Context, progress func(ReplayReport)) (ReplayReport, error) {
		runs++
		progress(ReplayReport{Events: 5000})
		close(progressed)
		<-release
		return ReplayReport{Events: 7000, Erased: 3}, errors.New("disque plein")
	})
	if st := job.Status(); !st.Started.IsZero() || st.Running {
		t.Fatalf("before any replay: %+v", st)
	}
	if _, started := job.Start(); !started {
		t.Fatal("the first Start did not start")
	}
	<-progressed
	if st, started := job.Start(); started || !st.Running || st.Report.Events != 5000 {
		t.Errorf("a second Start while running: started %v, status %+v", started, st)
	}
	close(release)
	st := job.Status()
	for deadline := time.Now().Add(10 * time.Second); st.Running && time.Now().Before(deadline); st = job.Status() {
		time.Sleep(5 * time.Millisecond)
	}
	if st.Running || st.Report.Events != 7000 || st.Report.Erased != 3 || st.Err == nil || st.Ended.Before(st.Started) || runs != 1 {
		t.Errorf("after the end: %+v, %d runs", st, runs)
	}
}
