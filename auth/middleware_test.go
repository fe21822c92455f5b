package auth_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/web"
)

// TestWrongTokensAreLimitedPerAddress: guessing tokens from one address is
// refused after a few tries; other addresses, and a right token, still pass.
func TestWrongTokensAreLimitedPerAddress(t *testing.T) {
	const admin = "pvs_a-bootstrap-admin-token-of-40-characters"
	var calls int
	var caller auth.Principal
	h := web.WithClientAddr(nil, auth.Authenticator{AdminToken: admin, Failures: web.NewBurstLimiter(10, 10)}.Middleware(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++; caller, _ = auth.PrincipalFrom(r.Context()) })))
	call := func(addr, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/graphql", nil)
		req.RemoteAddr = addr + ":4242"
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	refused := 0
	for i := range 30 {
		rec := call("198.51.100.7", "pvs_guess-"+strings.Repeat("x", i))
		if rec.Code == http.StatusTooManyRequests {
			if !strings.Contains(rec.Body.String(), `"RATE_LIMITED"`) {
				t.Fatalf("429 without the GraphQL error code: %s", rec.Body)
			}
			refused++
		}
	}
	if refused < 19 || calls > 11 {
		t.Errorf("%d of 30 wrong tokens refused, %d reached the API; want about 20 refused", refused, calls)
	}
	if rec := call("203.0.113.9", "pvs_guess"); rec.Code != http.StatusOK {
		t.Errorf("another address is limited too: %d", rec.Code)
	}
	if rec := call("198.51.100.7", admin); rec.Code != http.StatusOK || caller.Role != auth.Admin {
		t.Errorf("the right token from the guessing address: %d, caller %+v", rec.Code, caller)
	}
}
