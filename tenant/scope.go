package tenant

import (
	"slices"
	"sort"
)

// Scope is the set of tenants a caller may see: the platform's (every tenant,
// and events of no declared tenant), or a list of tenant ids. Its zero value
// sees nothing and is refused by every read of the projections, so that a read
// cannot run without one. Make one with [Registry.Scope], or [Everything] for
// what the platform itself reads (the miner, the exports of a platform
// administrator).
type Scope struct {
	all   bool
	ids   []string // sorted, distinct
	above []string // the intercommunalités its tenants belong to, not in ids
}

// Everything is the platform's scope.
func Everything() Scope { return Scope{all: true} }

// Only is the scope of the given tenant ids (at least one; none gives the
// zero, refused Scope).
func Only(ids ...string) Scope {
	s := Scope{ids: slices.Clone(ids)}
	sort.Strings(s.ids)
	s.ids = slices.Compact(s.ids)
	return s
}

// Valid reports whether the scope was made by [Everything], [Only] or a
// [Registry]: the zero Scope is not.
func (s Scope) Valid() bool { return s.all || len(s.ids) > 0 }

// All reports whether the scope is the platform's.
func (s Scope) All() bool { return s.all }

// IDs returns the tenant ids of a scope that is not the platform's.
func (s Scope) IDs() []string { return slices.Clone(s.ids) }

// Has reports whether the scope sees a tenant.
func (s Scope) Has(id string) bool {
	if s.all {
		return true
	}
	_, ok := slices.BinarySearch(s.ids, id)
	return ok
}

// Answering returns the tenants whose knowledge base entries answer the
// scope's citizens: its own, the intercommunalités above them, and "" (the
// entries of every tenant); nil for the platform's scope, answered by all.
func (s Scope) Answering() []string {
	if s.all {
		return nil
	}
	return append(append([]string{""}, s.ids...), s.above...)
}

// Covers reports whether every tenant of o is in s.
func (s Scope) Covers(o Scope) bool {
	if s.all {
		return true
	}
	if o.all || !o.Valid() {
		return false
	}
	for _, id := range o.ids {
		if !s.Has(id) {
			return false
		}
	}
	return true
}
