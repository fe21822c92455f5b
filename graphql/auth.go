package graphql

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/graphql/model"
)

// authDirective implements @auth(roles: [...]): the caller, put in the context by
// auth.Authenticator, must hold one of the roles.
func authDirective(ctx context.Context, _ any, next graphql.Resolver, roles []model.Role) (any, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return nil, errUnauthenticated
	}
	for _, r := range roles {
		if model.Role(p.Role) == r {
			return next(ctx)
		}
	}
	return nil, errForbidden
}

func principalName(ctx context.Context) string {
	if p, ok := auth.PrincipalFrom(ctx); ok {
		return p.Name
	}
	return ""
}
