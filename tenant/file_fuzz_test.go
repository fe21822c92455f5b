package tenant_test

import (
	"os"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/tenant"
)

// FuzzParse: a tenants file as an operator may write it. Parsing never
// panics; a file it takes holds only valid tenants with distinct ids and
// prefixes whose parents are in the file; a file it refuses is named in the
// error.
func FuzzParse(f *testing.F) {
	demo, err := os.ReadFile("demo.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(demo)
	f.Add([]byte("tenants:\n  - id: a\n    name: A\n    prefix: AA\n  - id: a\n    name: B\n    parent: z\n    prefix: AA\n"))
	f.Add([]byte("tenants: []\n"))
	f.Add([]byte("tenants:\n  - {id: Montclar!, name: '', population: -3, colour: red, origins: [ftp://x]}\n  - unknown: 1\n"))
	f.Add([]byte("\t: :\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := tenant.Parse("territoire.yaml", b)
		if err != nil {
			if !strings.Contains(err.Error(), "territoire.yaml") {
				t.Errorf("the error does not name the file: %v", err)
			}
			return
		}
		ids, prefixes := map[string]bool{}, map[string]bool{}
		for _, x := range ts {
			if err := x.Validate(); err != nil {
				t.Errorf("took an invalid tenant %+v: %v", x, err)
			}
			if ids[x.ID] || prefixes[x.Prefix] {
				t.Errorf("took the id %q or the prefix %q twice", x.ID, x.Prefix)
			}
			ids[x.ID], prefixes[x.Prefix] = true, true
		}
		for _, x := range ts {
			if x.Parent != "" && !ids[x.Parent] {
				t.Errorf("took %q whose parent %q is not in the file", x.ID, x.Parent)
			}
		}
	})
}
