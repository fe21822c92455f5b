package demandes

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
)

// losingAnswers is a platform that files the first submission, then loses its
// answer (a timeout after the form was created), and finds its forms by
// tracking code.
type losingAnswers struct {
	platform
	lost bool
}

func (p *losingAnswers) Submit(ctx context.Context, s connector.Submission) (connector.Remote, error) {
	r, err := p.platform.Submit(ctx, s)
	if err == nil && !p.lost {
		p.lost = true
		return connector.Remote{}, &connector.TemporaryError{Err: errors.New("context deadline exceeded")}
	}
	return r, err
}

func (p *losingAnswers) Find(_ context.Context, s connector.Submission) (connector.Remote, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, got := range p.got {
		if got.TrackingCode == s.TrackingCode {
			return connector.Remote{ID: id}, true, nil
		}
	}
	return connector.Remote{}, false, nil
}

// TestDeliveryFindsWhatTheLostAnswerFiled: a demande the platform filed while
// its answer was lost is found again at the next attempt, not filed twice.
func TestDeliveryFindsWhatTheLostAnswerFiled(t *testing.T) {
	desk, _, _ := newDesk(t, t.TempDir())
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	desk.cfg.Now = func() time.Time { return now }
	dm := filePothole(t, desk, "a@exemple.fr")
	p := &losingAnswers{platform: platform{got: map[string]connector.Submission{}, statuses: map[string]connector.RemoteStatus{}}}
	dl := &Deliverer{Desk: desk, Conn: p, GiveUpAfter: time.Hour, PollEvery: time.Hour}
	ctx := context.Background()
	for range 3 {
		if err := dl.Pass(ctx); err != nil {
			t.Fatal(err)
		}
		now = now.Add(5 * time.Minute)
	}
	got, _ := desk.Get(dm.Code)
	if p.submitted != 1 || len(p.got) != 1 || !got.Delivery.Delivered || got.Delivery.RemoteID != "R1" {
		t.Errorf("%d submissions, %d forms, delivery %+v; want one form, delivered as R1", p.submitted, len(p.got), got.Delivery)
	}
}
