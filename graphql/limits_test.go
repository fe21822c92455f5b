package graphql

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/parvis-civic/parvis/graphql/generated"
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

// TestEveryClickHouseFieldIsCharged: a hundred aliases of a field that queries
// ClickHouse pass no request: each is charged its queries (queryCost).
func TestEveryClickHouseFieldIsCharged(t *testing.T) {
	cfg := generated.Config{}
	setCosts(&cfg.Complexity)
	es := generated.NewExecutableSchema(cfg)
	for field, sel := range map[string]string{
		"kbCoverage":         `kbCoverage(from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { service }`, // 3 queries each
		"kbStudio":           `kbStudio { entry { id } }`,                                                        // EntryUses: 1 query each
		"exportConversation": `exportConversation(id: "x")`,                                                      // 7 queries each
	} {
		var b strings.Builder
		b.WriteString("{")
		for i := range 100 {
			fmt.Fprintf(&b, " a%d: %s", i, sel)
		}
		b.WriteString(" }")
		doc, errs := gqlparser.LoadQuery(es.Schema(), b.String())
		if errs != nil {
			t.Fatal(errs)
		}
		got := complexity.Calculate(context.Background(), es, doc.Operations[0], nil)
		if got <= maxComplexity {
			t.Errorf("100 aliases of %s cost %d, under the limit %d: 100 ClickHouse fields run in one request", field, got, maxComplexity)
		}
	}
}

// TestPeriodsAndPages: a period must be after its start and within the years
// the projections date; a page holds 1 to its most entries.
func TestPeriodsAndPages(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		from, to time.Time
		ok       bool
	}{{day(2026), day(2027), true}, {day(2000), day(2100), true}, {day(2027), day(2026), false},
		{day(2026), day(2026), false}, {day(2200), day(2300), false}, {day(1), day(1900), false}} {
		if err := checkPeriod(tt.from, tt.to); (err == nil) != tt.ok {
			t.Errorf("checkPeriod(%d, %d) = %v, want ok %v", tt.from.Year(), tt.to.Year(), err, tt.ok)
		}
	}
	for _, tt := range []struct {
		n    *int
		want int
		ok   bool
	}{{nil, 50, true}, {ptr(1), 1, true}, {ptr(500), 500, true}, {ptr(0), 0, false}, {ptr(-5), 0, false}, {ptr(501), 0, false}} {
		got, err := pageOf(tt.n, 50, 500)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("pageOf(%v) = %d, %v; want %d, ok %v", tt.n, got, err, tt.want, tt.ok)
		}
	}
}

func ptr(n int) *int { return &n }
