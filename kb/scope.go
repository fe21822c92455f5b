package kb

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// ErrOutOfScope refuses a change to an entry of a service the caller is not in
// charge of.
var ErrOutOfScope = errors.New("kb: the entry belongs to another service")

// ErrOutOfTerritory refuses a change to an entry of a territory the caller is
// not of: an entry answers its tenant's citizens, so its tenant's experts
// decide (and the platform's, for an entry of every tenant).
var ErrOutOfTerritory = errors.New("kb: the entry belongs to another territory")

// InScope reports whether someone limited to services (empty: all) may see and
// change an entry of a service. An entry without a service is for those
// limited to none. Services are compared as towns write them: in any case,
// with or without accents.
func InScope(services []string, service string) bool {
	if len(services) == 0 {
		return true
	}
	s := foldLabel(service)
	return s != "" && slices.ContainsFunc(services, func(x string) bool { return foldLabel(x) == s })
}

// Allowed reports whether the caller of ctx may see an entry: one of every
// tenant or of a tenant whose entries the caller reads (see [Writer.Reads]),
// and of the caller's services (see [Writer.Scope]). A change also needs the
// entry's territory to be the caller's (see [Writer.MayChange]).
func (w *Writer) Allowed(ctx context.Context, e Entry) bool {
	return w.readsTenant(ctx, e.Tenant) && (w.Scope == nil || InScope(w.Scope(ctx), e.Service))
}

// readsTenant reports whether the caller of ctx reads the entries of tenant.
func (w *Writer) readsTenant(ctx context.Context, tenant string) bool {
	reads := w.Reads
	if reads == nil {
		reads = w.Territory
	}
	return tenant == "" || reads == nil || reads(ctx, tenant)
}

// existing returns the entry id as the caller of ctx may know of it: an entry
// of a territory whose entries the caller does not read is as unknown to it as
// one that does not exist, so that a change refused tells nothing of another
// commune's base (a FORBIDDEN would confirm that the id is taken there).
func (w *Writer) existing(ctx context.Context, id string) (Entry, error) {
	e, ok := w.State.Entry(id)
	if !ok || !w.readsTenant(ctx, e.Tenant) {
		return Entry{}, ErrNoEntry
	}
	return e, nil
}

// allow is the one check of every change: the entry as it is and as it would
// be must both be of the caller's territory and in the caller's services.
func (w *Writer) allow(ctx context.Context, es ...Entry) error {
	var services []string
	if w.Scope != nil {
		services = w.Scope(ctx)
	}
	for _, e := range es {
		if w.Territory != nil && !w.Territory(ctx, e.Tenant) {
			return fmt.Errorf("%w: %q", ErrOutOfTerritory, e.Tenant)
		}
		if !InScope(services, e.Service) {
			return fmt.Errorf("%w: %q is not among %v", ErrOutOfScope, e.Service, services)
		}
	}
	return nil
}

// MayChange checks that the caller of ctx may change the entry id, as every
// change does: for a batch checked whole before any of it is done.
func (w *Writer) MayChange(ctx context.Context, id string) error {
	e, err := w.existing(ctx, id)
	if err != nil {
		return err
	}
	return w.allow(ctx, e)
}

// defaultService gives a new entry without a service the caller's only
// service, so that an expert limited to one service need not type it.
func (w *Writer) defaultService(ctx context.Context, e *Entry) {
	if w.Scope == nil || e.Service != "" {
		return
	}
	if s := w.Scope(ctx); len(s) == 1 {
		e.Service = s[0]
	}
}
