package graphql_test

import (
	"fmt"
	"testing"
)

// A document sent again is not parsed and validated again: a second sending of
// the same document costs far fewer allocations than a new one of the same size.
func TestDocumentsParsedOnce(t *testing.T) {
	c := newClient(t)
	var out struct {
		Typename string `json:"__typename"`
		A, B     string
	}
	n := 0
	fresh := testing.AllocsPerRun(50, func() {
		n++
		c.MustPost(fmt.Sprintf(`query Q%06d { __typename a: __typename b: __typename }`, n), &out)
	})
	same := testing.AllocsPerRun(50, func() {
		c.MustPost(`query Q000000 { __typename a: __typename b: __typename }`, &out)
	})
	t.Logf("allocations a request: %.0f for a new document, %.0f for one sent before", fresh, same)
	if same > fresh*0.8 {
		t.Errorf("a document sent before costs %.0f allocations, a new one %.0f: it is parsed again", same, fresh)
	}
}
