package demandes

import (
	"context"
	"log/slog"
	"time"

	"github.com/parvis-civic/parvis/tenant"
)

// EraseExpired destroys the keys of the demandes closed more than keep ago:
// their personal part is no longer needed once the service has answered and
// the retention period passed. It returns how many it erased.
func (d *Desk) EraseExpired(ctx context.Context, keep time.Duration) (int, error) {
	cutoff := d.cfg.Now().Add(-keep)
	d.mu.RLock()
	var codes []string
	for _, dm := range d.byCode {
		if !dm.Erased && !dm.Open() && !dm.ClosedAt.IsZero() && dm.ClosedAt.Before(cutoff) {
			codes = append(codes, dm.Code)
		}
	}
	d.mu.RUnlock()
	for i, c := range codes {
		if _, err := d.EraseContact(ctx, tenant.Everything(), c, "retention", ""); err != nil {
			return i, err
		}
	}
	return len(codes), nil
}

// RunRetention erases expired personal parts every hour until ctx ends.
func (d *Desk) RunRetention(ctx context.Context, keep time.Duration) error {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := d.EraseExpired(ctx, keep); err != nil {
			d.cfg.Logger.Warn("demandes: retention", slog.Any("error", err))
		} else if n > 0 {
			d.cfg.Logger.Info("demandes: personal parts erased after the retention period", slog.Int("demandes", n))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
