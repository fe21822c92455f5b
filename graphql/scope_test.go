package graphql

import (
	"context"
	"errors"
	"testing"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/tenant"
)

// TestNarrowToTheDefaultTenant: a deployment that declares no territory holds
// its conversations under its default tenant; its dashboards narrow to it,
// declared or not. Another undeclared name is a mistake, said as one.
func TestNarrowToTheDefaultTenant(t *testing.T) {
	r := &Resolver{Registry: tenant.NewRegistry(nil), Tenant: "ville"}
	ctx := auth.WithPrincipal(context.Background(), auth.Principal{Name: "admin"})
	own, misspelt := "ville", "vile"
	if _, err := r.scope(ctx, &own); err != nil {
		t.Errorf("narrowed to the default tenant: %v", err)
	}
	var ue *userError
	if _, err := r.scope(ctx, &misspelt); !errors.As(err, &ue) || ue.code != CodeBadUserInput {
		t.Errorf("narrowed to %q: %v, want BAD_USER_INPUT", misspelt, err)
	}
}
