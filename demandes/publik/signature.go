package publik

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"time"
)

// The signature scheme of Publik's web services, as w.c.s. checks it
// (wcs/api_utils.py, is_url_signed): the query string as sent, up to
// "&signature=", is signed with HMAC and the key both sides share; the body is
// not signed. A signed query ends with
//
//	algo=sha256&timestamp=2026-11-29T05%3A02%3A01Z&nonce=<hex>&signature=<base64, quoted>
//
// and the timestamp (UTC, to the second) must be within 30 seconds of the
// receiver's clock, the nonce never seen in that window.

// timestampLayout is w.c.s.'s '%Y-%m-%dT%H:%M:%SZ'.
const timestampLayout = "2006-01-02T15:04:05Z"

// window is how far a signed request's timestamp may be from the clock
// (w.c.s.'s DEFAULT_DURATION).
const window = 30 * time.Second

// signQuery appends orig, algo, timestamp, nonce and the signature to query, in
// the order and with the escaping that w.c.s. produces: parameters as Python's
// urlencode writes them (url.QueryEscape does the same), the signature as
// Python's quote writes it (see quoteSignature).
func signQuery(query, orig string, key []byte, now time.Time, nonce string) string {
	var b strings.Builder
	b.WriteString(query)
	if query != "" {
		b.WriteByte('&')
	}
	b.WriteString("orig=" + url.QueryEscape(orig))
	b.WriteString("&algo=sha256")
	b.WriteString("&timestamp=" + url.QueryEscape(now.UTC().Format(timestampLayout)))
	b.WriteString("&nonce=" + url.QueryEscape(nonce))
	signed := b.String()
	return signed + "&signature=" + quoteSignature(sign(signed, key))
}

// sign is the base64 of the HMAC-SHA256 of s.
func sign(s string, key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// quoteSignature escapes a base64 signature as Python's urllib.parse.quote
// does, '/' left as it is: only '+' and '=' of base64's alphabet change.
func quoteSignature(sig string) string {
	return strings.NewReplacer("+", "%2B", "=", "%3D").Replace(sig)
}

// newNonce is 128 random bits in hex, as w.c.s. makes its own.
func newNonce() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}
