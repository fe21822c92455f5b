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

// Allowed reports whether the caller of ctx may see and change an entry (see
// [Writer.Scope]).
func (w *Writer) Allowed(ctx context.Context, e Entry) bool {
	return w.Scope == nil || InScope(w.Scope(ctx), e.Service)
}

// allow is the one check of every change: the entry as it is and as it would
// be must both be in the caller's services.
func (w *Writer) allow(ctx context.Context, es ...Entry) error {
	if w.Scope == nil {
		return nil
	}
	services := w.Scope(ctx)
	for _, e := range es {
		if !InScope(services, e.Service) {
			return fmt.Errorf("%w: %q is not among %v", ErrOutOfScope, e.Service, services)
		}
	}
	return nil
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
