// Package auth says who calls Parvis and what they may do: the roles, the
// principal of a request, API tokens, local accounts (bcrypt) with their browser
// sessions and CSRF tokens, sign-in with the authority's OpenID Connect provider,
// and the HTTP middleware that puts the caller in the request's context.
//
// Tokens and accounts are built from the audit topic of the log: an
// administrator's action is an event ([Emitter]), applied at once by the process
// that made it and by every other process that follows the topic ([Tokens.Apply],
// [Accounts.Apply]). Only hashes are kept: SHA-256 of a token or of a session's
// secret, bcrypt of a password. Sessions live in memory (a restart signs
// everyone out) for 8 hours without use and 12 hours at most after sign-in;
// administrators list them and revoke one, or all of an account's.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/parvis-civic/parvis/events"
)

// Role is what a caller may do.
type Role string

// The roles of the contract.
const (
	Admin   Role = "ADMIN"
	Analyst Role = "ANALYST" // communications team
	Expert  Role = "EXPERT"  // business expert who validates KB entries
	Elected Role = "ELECTED" // read-only dashboards
	Agent   Role = "AGENT"   // processes demandes
)

// Roles lists every role.
var Roles = []Role{Admin, Analyst, Expert, Elected, Agent}

// ParseRole accepts a role name in any case.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.ToUpper(strings.TrimSpace(s)))
	for _, known := range Roles {
		if r == known {
			return r, true
		}
	}
	return "", false
}

// Principal is who calls: a token's name or a person's, their role, and the
// tenant whose territory they see.
type Principal struct {
	Name string
	Role Role
	// Tenant is the scope: a commune, an intercommunalité (itself and its
	// communes), or "" for the whole platform. What it sees is
	// tenant.Registry.Scope(Tenant), the one place that says so.
	Tenant string
	// Services are the knowledge base services the caller may see and change
	// (an expert in charge of some); empty: all.
	Services []string
}

type principalKey struct{}

// WithPrincipal returns a context carrying the caller.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller of a request, if authenticated.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// ServicesFrom returns the services the caller of a request is limited to;
// nil: all (or no caller).
func ServicesFrom(ctx context.Context) []string {
	p, _ := PrincipalFrom(ctx)
	return p.Services
}

// Emitter appends one event made of a payload to the audit log and returns its
// envelope once the log holds it; eventlog.Publisher satisfies it.
type Emitter interface {
	Emit(ctx context.Context, tenant, conversationID string, p events.Payload) (events.Envelope, error)
}

// NewSecret returns 32 random bytes, URL-safe base64: API tokens, session ids,
// CSRF tokens, OpenID Connect state and nonce.
func NewSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("auth: no randomness: " + err.Error()) // the system is unusable
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
