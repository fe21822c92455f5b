package publik

import (
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ErrUnsigned and the others are why [Verifier.Verify] refuses a request.
var (
	ErrUnsigned        = errors.New("publik: unsigned request")
	ErrUnknownOrigin   = errors.New("publik: missing or unknown orig")
	ErrBadSignature    = errors.New("publik: invalid signature")
	ErrStaleTimestamp  = errors.New("publik: timestamp more than 30 seconds away")
	ErrReplayedNonce   = errors.New("publik: nonce already used")
	errMalformedSigned = errors.New("publik: malformed signed query")
)

// Verifier checks the signature of the calls that a w.c.s. workflow sends to
// Parvis (a "webservice call" action signed with the key shared with Parvis),
// the way w.c.s. checks those it receives: a known orig, algo sha256, the
// signature of the query string as sent up to "&signature=", a timestamp within
// 30 seconds of the clock and a nonce never seen within that window. It is safe
// for concurrent use; it remembers nonces in memory, so a replay is caught by
// the process that saw the first call (one API process, or a sticky route).
type Verifier struct {
	keys map[string][]byte // orig → shared key
	now  func() time.Time

	mu     sync.Mutex
	nonces map[string]time.Time // nonce → until when it is remembered
}

// NewVerifier returns a Verifier that accepts the origins of keys (the orig a
// w.c.s. sends: its own host name) signed with their key.
func NewVerifier(keys map[string]string) *Verifier {
	v := &Verifier{keys: map[string][]byte{}, now: time.Now, nonces: map[string]time.Time{}}
	for orig, k := range keys {
		v.keys[orig] = []byte(k)
	}
	return v
}

// Verify reports why r is not a valid signed call, or nil. It reads only the
// query string, so the body stays unread for the handler.
func (v *Verifier) Verify(r *http.Request) error {
	raw := r.URL.RawQuery
	cut := strings.Index(raw, "&signature=")
	if cut < 0 {
		return ErrUnsigned
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return fmt.Errorf("%w: %v", errMalformedSigned, err)
	}
	one := func(name string) (string, bool) {
		vs := q[name]
		return strings.Join(vs, ""), len(vs) == 1 && vs[0] != ""
	}
	sig, ok := one("signature")
	if !ok {
		return fmt.Errorf("%w: missing or repeated signature", errMalformedSigned)
	}
	orig, ok := one("orig")
	if !ok {
		return ErrUnknownOrigin
	}
	key, ok := v.keys[orig]
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownOrigin, orig)
	}
	if algo, _ := one("algo"); algo != "sha256" {
		return fmt.Errorf("%w: algo %q (sha256 expected)", errMalformedSigned, algo)
	}
	if !hmac.Equal([]byte(sig), []byte(sign(raw[:cut], key))) {
		return ErrBadSignature
	}
	ts, ok := one("timestamp")
	if !ok {
		return fmt.Errorf("%w: missing timestamp", errMalformedSigned)
	}
	at, err := time.Parse(timestampLayout, ts)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q", errMalformedSigned, ts)
	}
	now := v.now()
	if d := now.Sub(at); d > window || d < -window {
		return fmt.Errorf("%w: %s", ErrStaleTimestamp, ts)
	}
	nonce, ok := one("nonce")
	if !ok || len(nonce) > 128 {
		return fmt.Errorf("%w: missing or overlong nonce", errMalformedSigned)
	}
	return v.remember(orig+"\x00"+nonce, at.Add(window+time.Second), now)
}

// remember records a nonce until a request bearing it would be refused for its
// timestamp anyway, and forgets those past that time.
func (v *Verifier) remember(nonce string, until, now time.Time) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if exp, seen := v.nonces[nonce]; seen && now.Before(exp) {
		return ErrReplayedNonce
	}
	for n, exp := range v.nonces {
		if !now.Before(exp) {
			delete(v.nonces, n)
		}
	}
	v.nonces[nonce] = until
	return nil
}

// Wrap lets through to next only the calls that [Verifier.Verify] accepts, and
// answers the others 403 with a JSON body as w.c.s. does ({"err": 1,
// "err_desc": ...}), so that the workflow's log says why.
func (v *Verifier) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := v.Verify(r); err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			json.NewEncoder(w).Encode(map[string]any{"err": 1, "err_desc": err.Error()})
			return
		}
		next.ServeHTTP(w, r)
	})
}
