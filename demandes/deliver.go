package demandes

import (
	"context"
	"errors"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/ingest/redact"
	"github.com/parvis-civic/parvis/tenant"
)

// Deliverer hands the demandes to the town's service platform through a
// connector, when one is configured, and brings the platform's statuses back
// to the desk. What it has done is on the log (demande.delivered,
// demande.delivery_failed with the next attempt), so a restart goes on where
// it stopped: a failed delivery is retried with a growing back-off, and given
// up (a dead letter the agents see on the desk) when the platform refuses it
// or after GiveUpAfter of failures. The citizen keeps the tracking code
// whatever happens: the demande is filed before any delivery.
type Deliverer struct {
	Desk        *Desk
	Conn        connector.Connector
	GiveUpAfter time.Duration // default 3 days
	Every       time.Duration // a pass every; default 5 s
	PollEvery   time.Duration // a delivered demande's status read every; default 5 min

	polled map[string]time.Time
}

// backoff is the wait before the attempt after attempt n (1, 2…): a minute,
// doubling, six hours at most.
func backoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// Run passes over the desk until ctx ends.
func (dl *Deliverer) Run(ctx context.Context) error {
	every := dl.Every
	if every <= 0 {
		every = 5 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := dl.Pass(ctx); err != nil && ctx.Err() == nil {
			dl.Desk.cfg.Logger.Warn("demandes: delivery", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Pass delivers what is due and reads the statuses that are due.
func (dl *Deliverer) Pass(ctx context.Context) error {
	now := dl.Desk.cfg.Now()
	giveUp := dl.GiveUpAfter
	if giveUp <= 0 {
		giveUp = 3 * 24 * time.Hour
	}
	// The delivery path is the platform's own: it sees every commune's demandes.
	all, err := dl.Desk.List(tenant.Everything(), Filter{})
	if err != nil {
		return err
	}
	for _, dm := range all {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch del := dm.Delivery; {
		case del.Dead:
		case del.Delivered:
			// One demande's status that cannot be recorded must not keep the
			// others' from the desk, nor the fresh demandes from the platform.
			if err := dl.poll(ctx, dm, now); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				dl.Desk.cfg.Logger.Warn("demandes: record a status from the platform", slog.String("code", dm.Code), slog.Any("error", err))
			}
		case now.Before(del.NextAt):
		default:
			if err := dl.deliver(ctx, dm, now, giveUp); err != nil {
				return err
			}
		}
	}
	return nil
}

func (dl *Deliverer) deliver(ctx context.Context, dm Demande, now time.Time, giveUp time.Duration) error {
	sub := connector.Submission{TrackingCode: dm.Code, Tenant: dl.Desk.cfg.Tenant, Kind: dm.Kind, FiledAt: dm.FiledAt,
		Description: dm.Description}
	p, err := dl.Desk.Personal(dm.Code)
	switch {
	case err == nil:
		sub.Description, sub.Address, sub.Point, sub.Photo = p.Description, p.Address, p.Point, p.Photo
		sub.Email, sub.Phone, sub.Consent = p.Email, p.Phone, dm.Consent
	case !errors.Is(err, ErrErased):
		return err
	}
	attempt := dm.Delivery.Attempts + 1
	remote, err := dl.submit(ctx, sub)
	var ev events.Payload
	switch {
	case err == nil:
		deliveries.WithLabelValues("delivered").Inc()
		ev = events.DemandeDelivered{TrackingCode: dm.Code, Connector: dl.Conn.Name(), RemoteID: remote.ID, URL: remote.URL, Attempts: attempt}
	case ctx.Err() != nil:
		return ctx.Err()
	case connector.Temporary(err) && now.Sub(dm.FiledAt) < giveUp:
		deliveries.WithLabelValues("retry").Inc()
		ev = events.DemandeDeliveryFailed{TrackingCode: dm.Code, Connector: dl.Conn.Name(), Attempt: attempt,
			Error: errorText(err), NextAt: now.Add(backoff(attempt)).UTC()}
	default:
		deliveries.WithLabelValues("dead").Inc()
		ev = events.DemandeDeliveryFailed{TrackingCode: dm.Code, Connector: dl.Conn.Name(), Attempt: attempt,
			Error: errorText(err), Dead: true}
	}
	return dl.Desk.record(ctx, dm, ev)
}

// submit sends sub to the platform, unless the platform already holds it
// (see [connector.Finder]): then it is the demande found.
func (dl *Deliverer) submit(ctx context.Context, sub connector.Submission) (connector.Remote, error) {
	if f, ok := dl.Conn.(connector.Finder); ok {
		r, found, err := f.Find(ctx, sub)
		if err != nil || found {
			return r, err
		}
	}
	return dl.Conn.Submit(ctx, sub)
}

// poll brings a delivered demande's status on the platform back to the desk.
func (dl *Deliverer) poll(ctx context.Context, dm Demande, now time.Time) error {
	every := dl.PollEvery
	if every <= 0 {
		every = 5 * time.Minute
	}
	if dl.polled == nil {
		dl.polled = map[string]time.Time{}
	}
	if !dm.Open() || now.Sub(dl.polled[dm.Code]) < every {
		return nil
	}
	dl.polled[dm.Code] = now
	st, err := dl.Conn.Status(ctx, connector.Remote{ID: dm.Delivery.RemoteID, URL: dm.Delivery.URL})
	if err != nil {
		dl.Desk.cfg.Logger.Warn("demandes: read a status on the platform", slog.String("code", dm.Code), slog.Any("error", err))
		return nil
	}
	// An erased demande shows no message: the platform's, unchanged, would
	// otherwise look new at every poll.
	if st.Status == dm.Status && (st.Message == "" || st.Message == dm.Message || dm.Erased) {
		return nil
	}
	msg := st.Message
	if msg == dm.Message || dm.Erased {
		msg = ""
	}
	_, err = dl.Desk.Update(ctx, tenant.Everything(), dm.Code, st.Status, msg, "", nil, dl.Conn.Name())
	if errors.Is(err, ErrErased) && msg != "" && st.Status != dm.Status {
		// The key went (possibly from another process) after dm was read:
		// the message cannot be sealed, yet the citizen's code must tell the
		// new status.
		_, err = dl.Desk.Update(ctx, tenant.Everything(), dm.Code, st.Status, "", "", nil, dl.Conn.Name())
	}
	return err
}

// errorText keeps an error short and without personal data: a platform's
// answer may quote the submission.
func errorText(err error) string {
	s, _ := redact.Redact(err.Error())
	if utf8.RuneCountInString(s) > 300 {
		s = string([]rune(s)[:300]) + "…"
	}
	return s
}

// record logs a delivery's outcome and applies it.
func (d *Desk) record(ctx context.Context, dm Demande, p events.Payload) error {
	ev, err := events.New(d.cfg.Tenant, dm.ConversationID, d.cfg.Now(), p)
	if err != nil {
		return err
	}
	if err := d.pub.Publish(ctx, ev); err != nil {
		return err
	}
	d.applyEvent(ev)
	return nil
}
