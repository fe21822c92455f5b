package publik

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestVerifier(t *testing.T) {
	const key = "cle-de-rappel-0123456789"
	now := time.Date(2026, 11, 29, 5, 2, 1, 0, time.UTC)
	v := NewVerifier(map[string]string{"demarches.montclar.fr": key})
	v.now = func() time.Time { return now }
	signed := func(orig, key string, at time.Time, nonce string) string {
		return "/publik/rappel?" + signQuery("demande=MTC-2026-000123-K", orig, []byte(key), at, nonce)
	}
	req := func(target string) *http.Request { return httptest.NewRequest(http.MethodPost, target, nil) }

	good := signed("demarches.montclar.fr", key, now.Add(-10*time.Second), "n1")
	tests := []struct {
		name   string
		target string
		want   error
	}{
		{"good", good, nil},
		{"replayed", good, ErrReplayedNonce},
		{"29 s ahead", signed("demarches.montclar.fr", key, now.Add(29*time.Second), "n2"), nil},
		{"tampered query", strings.Replace(signed("demarches.montclar.fr", key, now, "n3"), "000123", "000124", 1), ErrBadSignature},
		{"tampered signature", strings.Replace(signed("demarches.montclar.fr", key, now, "n4"), "&signature=", "&signature=A", 1), ErrBadSignature},
		{"wrong key", signed("demarches.montclar.fr", "autre-cle", now, "n5"), ErrBadSignature},
		{"stale", signed("demarches.montclar.fr", key, now.Add(-31*time.Second), "n6"), ErrStaleTimestamp},
		{"from the future", signed("demarches.montclar.fr", key, now.Add(31*time.Second), "n7"), ErrStaleTimestamp},
		{"unknown origin", signed("ailleurs.example.org", key, now, "n8"), ErrUnknownOrigin},
		{"missing orig", "/publik/rappel?algo=sha256&timestamp=2026-11-29T05%3A02%3A01Z&nonce=n9&signature=" + quoteSignature(sign("algo=sha256&timestamp=2026-11-29T05%3A02%3A01Z&nonce=n9", []byte(key))), ErrUnknownOrigin},
		{"unsigned", "/publik/rappel?demande=MTC-2026-000123-K", ErrUnsigned},
	}
	for _, tt := range tests {
		err := v.Verify(req(tt.target))
		if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: Verify = %v, want %v", tt.name, err, tt.want)
		}
	}

	// Once the window has passed, the nonce is forgotten, and the request
	// is refused for its timestamp instead.
	now = now.Add(time.Minute)
	if err := v.Verify(req(good)); !errors.Is(err, ErrStaleTimestamp) {
		t.Errorf("old request: %v, want ErrStaleTimestamp", err)
	}
	v.mu.Lock()
	left := len(v.nonces)
	v.mu.Unlock()
	if left > 2 {
		t.Errorf("%d nonces remembered past the window", left)
	}
}

func TestVerifierWrap(t *testing.T) {
	const key = "k"
	v := NewVerifier(map[string]string{"w": key})
	reached := 0
	h := v.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++ }))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb?"+signQuery("", "w", []byte(key), time.Now(), newNonce()), nil))
	if rec.Code != http.StatusOK || reached != 1 {
		t.Fatalf("signed call: %d, reached %d", rec.Code, reached)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb?"+signQuery("", "w", []byte("autre"), time.Now(), newNonce()), nil))
	if rec.Code != http.StatusForbidden || reached != 1 || !strings.Contains(rec.Body.String(), `"err":1`) {
		t.Fatalf("badly signed call: %d %s, reached %d", rec.Code, rec.Body, reached)
	}
}
