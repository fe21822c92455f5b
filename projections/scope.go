package projections

import (
	"errors"

	"github.com/parvis-civic/parvis/tenant"
)

// ErrNoScope is a read of the projections without a tenant scope: every read
// that the API serves takes a [tenant.Scope], and the zero one is refused, so
// that a caller cannot see another territory's figures by forgetting it.
var ErrNoScope = errors.New("projections: read without a tenant scope")

// inScope returns the condition that keeps the rows of the scope's tenants,
// col naming the tenant column.
func inScope(s tenant.Scope, col string) (string, error) {
	switch {
	case !s.Valid():
		return "", ErrNoScope
	case s.All():
		return "1", nil
	}
	return col + " IN (" + quoteAll(s.IDs()) + ")", nil
}

// answeringIn is the condition on kb_entries of the entries that answer a
// scope's citizens (see [tenant.Scope.Answering]): a group covered by another
// commune's entry is not covered for this one, and says nothing of it.
func answeringIn(s tenant.Scope) string {
	if s.All() {
		return "1"
	}
	return "JSONExtractString(entry, 'tenant') IN (" + quoteAll(s.Answering()) + ")"
}
