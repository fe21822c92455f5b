package graphql

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestDepth(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { a: A } type A { a: A, x: Int }`})
	tests := []struct {
		query string
		want  int
	}{
		{"{ a { x } }", 2},
		{"{ a { a { a { x } } } }", 4},
		{"fragment F on A { a { x } } { a { ...F } }", 3},
		{"{ a { ... on A { a { x } } } }", 3},
	}
	for _, tt := range tests {
		doc, err := gqlparser.LoadQuery(schema, tt.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := depth(doc.Operations[0].SelectionSet, 1, map[string]bool{}); got != tt.want {
			t.Errorf("depth(%s) = %d, want %d", tt.query, got, tt.want)
		}
	}
}
