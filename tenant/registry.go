package tenant

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/parvis-civic/parvis/events"
)

// Errors of declarations.
var (
	ErrExists  = errors.New("tenant: already declared")
	ErrUnknown = errors.New("tenant: not declared")
)

// Emitter appends one event made of a payload to the audit log and returns its
// envelope once the log holds it; eventlog.Publisher satisfies it.
type Emitter interface {
	Emit(ctx context.Context, tenant, conversationID string, p events.Payload) (events.Envelope, error)
}

// Registry holds the tenants as the audit topic declares them, and declares
// them through it. It is safe for concurrent use.
type Registry struct {
	Log Emitter // nil: a registry that only follows the log

	mu   sync.RWMutex
	byID map[string]Tenant
}

// NewRegistry returns an empty registry; [Registry.Apply] fills it from the
// audit topic.
func NewRegistry(log Emitter) *Registry {
	return &Registry{Log: log, byID: map[string]Tenant{}}
}

// Apply applies one audit event; events of other kinds are ignored, so that
// Apply can follow the whole topic. The latest declaration of a tenant wins.
func (r *Registry) Apply(_ events.Envelope, p events.Payload) {
	d, ok := p.(*events.TenantDeclared)
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[d.Tenant.ID] = FromWire(d.Tenant)
}

// Get returns a declared tenant.
func (r *Registry) Get(id string) (Tenant, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.byID[id]
	return t, ok
}

// ByPrefix returns the declared tenant whose tracking codes start with prefix.
func (r *Registry) ByPrefix(prefix string) (Tenant, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, t := range r.byID {
		if t.Prefix == prefix {
			return t, true
		}
	}
	return Tenant{}, false
}

// Len returns the number of declared tenants.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.byID)
}

// List returns the tenants a scope sees, intercommunalités first, then by id.
func (r *Registry) List(s Scope) []Tenant {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Tenant
	for _, t := range r.byID {
		if s.Has(t.ID) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Parent == "") != (out[j].Parent == "") {
			return out[i].Parent == ""
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Members returns the ids of the communes whose intercommunalité is id.
func (r *Registry) Members(id string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.members(id)
}

func (r *Registry) members(id string) []string {
	var out []string
	for _, t := range r.byID {
		if t.Parent == id {
			out = append(out, t.ID)
		}
	}
	sort.Strings(out)
	return out
}

// Platform is the scope of a principal that sees the whole platform; "" means
// the same (tokens and accounts made before tenants were declared).
const Platform = "*"

// Scope is the one place where what a principal is scoped to (a tenant id, or
// [Platform] or "" for the whole platform) becomes the tenants it may see: a
// commune sees itself; an intercommunalité itself and its member communes as
// the registry knows them now. A scope of a tenant not (or no longer) declared
// sees that tenant id only.
func (r *Registry) Scope(of string) Scope {
	if of == "" || of == Platform {
		return Everything()
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	s := Only(append(r.members(of), of)...)
	if t, ok := r.byID[of]; ok && t.Parent != "" {
		s.above = []string{t.Parent}
	}
	return s
}

// Check validates a tenant and checks it against the other declared tenants:
// its intercommunalité is declared and is no member itself, its prefix is its
// own, and an intercommunalité with members does not become a member.
func (r *Registry) Check(t Tenant) error {
	if err := t.Validate(); err != nil {
		return err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if t.Parent != "" {
		p, ok := r.byID[t.Parent]
		switch {
		case !ok:
			return fmt.Errorf("%w: parent %q : aucune collectivité ne porte cet identifiant (déclarez d'abord l'intercommunalité)", ErrInvalid, t.Parent)
		case p.Parent != "":
			return fmt.Errorf("%w: parent %q : elle-même membre de %q ; le parent d'une commune est une intercommunalité", ErrInvalid, t.Parent, p.Parent)
		case len(r.members(t.ID)) > 0:
			return fmt.Errorf("%w: parent : %q a des communes membres, elle ne peut pas être membre elle-même", ErrInvalid, t.ID)
		}
	}
	for _, o := range r.byID {
		if o.ID != t.ID && o.Prefix == t.Prefix {
			return fmt.Errorf("%w: prefix %q : déjà le préfixe de %q", ErrInvalid, t.Prefix, o.ID)
		}
	}
	return nil
}

// Create declares a new tenant.
func (r *Registry) Create(ctx context.Context, t Tenant, by string) (Tenant, error) {
	t = t.normal()
	if _, ok := r.Get(t.ID); ok {
		return Tenant{}, fmt.Errorf("%w: %q", ErrExists, t.ID)
	}
	return r.declare(ctx, t, by)
}

// Update changes a declared tenant; its id stays.
func (r *Registry) Update(ctx context.Context, t Tenant, by string) (Tenant, error) {
	t = t.normal()
	if _, ok := r.Get(t.ID); !ok {
		return Tenant{}, fmt.Errorf("%w: %q", ErrUnknown, t.ID)
	}
	return r.declare(ctx, t, by)
}

// Sync declares the tenants of a file (or of the demo) that the log does not
// hold as they are, parents first, and returns how many it declared.
func (r *Registry) Sync(ctx context.Context, ts []Tenant, by string) (int, error) {
	sorted := make([]Tenant, len(ts))
	for i, t := range ts {
		sorted[i] = t.normal()
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Parent == "" && sorted[j].Parent != "" })
	n := 0
	for _, t := range sorted {
		if old, ok := r.Get(t.ID); ok && old.equal(t) {
			continue
		}
		if _, err := r.declare(ctx, t, by); err != nil {
			return n, fmt.Errorf("tenant %s: %w", t.ID, err)
		}
		n++
	}
	return n, nil
}

func (r *Registry) declare(ctx context.Context, t Tenant, by string) (Tenant, error) {
	if err := r.Check(t); err != nil {
		return Tenant{}, err
	}
	p := events.TenantDeclared{Tenant: t.Wire(), By: by}
	env, err := r.Log.Emit(ctx, t.ID, "", p)
	if err != nil {
		return Tenant{}, err
	}
	r.Apply(env, &p)
	return t, nil
}
