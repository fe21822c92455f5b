package graphql

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// maxDepth bounds how deeply a query may nest selections.
const maxDepth = 10

// limitDepth refuses an operation nested deeper than maxDepth before it runs.
func limitDepth(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc != nil && oc.Operation != nil && depth(oc.Operation.SelectionSet, 1, map[string]bool{}) > maxDepth {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
			Message:    "Requête trop imbriquée : 10 niveaux au plus.",
			Extensions: map[string]any{"code": CodeBadUserInput},
		}}})
	}
	return next(ctx)
}

func depth(set ast.SelectionSet, level int, seen map[string]bool) int {
	deepest := level - 1
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.SelectionSet) == 0 {
				d = level
			} else {
				d = depth(s.SelectionSet, level+1, seen)
			}
		case *ast.InlineFragment:
			d = depth(s.SelectionSet, level, seen)
		case *ast.FragmentSpread:
			if s.Definition == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			d = depth(s.Definition.SelectionSet, level, seen)
			delete(seen, s.Name)
		}
		deepest = max(deepest, d)
	}
	return deepest
}
