package auth_test

import (
	"testing"

	"github.com/parvis-civic/parvis/auth"
)

// TestReturnTo: after signing in with the provider, a person lands on the
// dashboard page they were on; never on another site, nor outside the
// dashboards.
func TestReturnTo(t *testing.T) {
	for v, ok := range map[string]bool{
		"/dashboards/": true,
		"/dashboards/elus.html?territoire=montclar": true,
		"":                                 false,
		"https://evil.example/dashboards/": false,
		"//evil.example/dashboards/":       false,
		"/\\evil.example":                  false,
		"/dashboards/../graphql":           false,
		"/graphql":                         false,
		"/dashboards/\r\nSet-Cookie: x=y":  false,
		// What a browser reads as "..": escaped dots, or dots split by a tab
		// or a newline, which it drops from an address.
		"/dashboards/%2e%2e/graphql":    false,
		"/dashboards/.%2E/graphql":      false,
		"/dashboards/%2e./auth/config":  false,
		"/dashboards/.\t./graphql":      false,
		"/dashboards/elus.html?q=a%20b": true,
	} {
		if _, got := auth.ReturnTo(v); got != ok {
			t.Errorf("returnTo(%q) = %v, want %v", v, got, ok)
		}
	}
}
