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
