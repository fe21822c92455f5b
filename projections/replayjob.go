package projections

import (
	"context"
	"sync"
	"time"
)

// ReplayStatus is where a background replay stands.
type ReplayStatus struct {
	Running        bool
	Started, Ended time.Time
	Report         ReplayReport // so far, while it runs
	Err            error        // why it stopped, if it failed
}

// ReplayJob runs one replay at a time in the background: an administrator's
// request returns at once (a replay of a large log outlasts any request's
// timeout) and its progress can be followed. It is safe for concurrent use.
type ReplayJob struct {
	ctx context.Context // the process's: the replay outlives the request that asked for it
	run func(ctx context.Context, progress func(ReplayReport)) (ReplayReport, error)

	mu     sync.Mutex
	status ReplayStatus
}

// NewReplayJob returns a job that runs run under ctx (cancelled on shutdown).
func NewReplayJob(ctx context.Context, run func(ctx context.Context, progress func(ReplayReport)) (ReplayReport, error)) *ReplayJob {
	return &ReplayJob{ctx: ctx, run: run}
}

// Start starts a replay unless one runs; it returns the status and whether this
// call started it.
func (j *ReplayJob) Start() (ReplayStatus, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.status.Running {
		return j.status, false
	}
	j.status = ReplayStatus{Running: true, Started: time.Now()}
	go func() {
		rep, err := j.run(j.ctx, func(r ReplayReport) {
			j.mu.Lock()
			j.status.Report = r
			j.mu.Unlock()
		})
		j.mu.Lock()
		defer j.mu.Unlock()
		j.status.Running, j.status.Ended, j.status.Report, j.status.Err = false, time.Now(), rep, err
	}()
	return j.status, true
}

// Status returns the running replay's status, or the last one's (zero Started:
// none yet).
func (j *ReplayJob) Status() ReplayStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.status
}
