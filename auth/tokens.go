package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/parvis-civic/parvis/events"
)

// ErrNoToken is returned when revoking a token that does not exist.
var ErrNoToken = errors.New("auth: no such token")

// Token is an API token as the audit log knows it: never the token itself, only
// its hash.
type Token struct {
	ID, Name, CreatedBy string
	Role                Role
	Tenant              string   // scope: see [Principal.Tenant]
	Services            []string // see [Principal.Services]
	Created, LastUsed   time.Time
	Revoked             bool
	hash                string
}

// Tokens holds the API tokens, built from the audit topic, and creates and
// revokes them through it. It is safe for concurrent use.
type Tokens struct {
	Log    Emitter
	Tenant string

	mu     sync.Mutex
	byHash map[string]*Token
	byID   map[string]*Token
}

// NewTokens returns an empty set; [Tokens.Apply] fills it from the audit topic.
func NewTokens(log Emitter, tenant string) *Tokens {
	return &Tokens{Log: log, Tenant: tenant, byHash: map[string]*Token{}, byID: map[string]*Token{}}
}

// TokenPrefix starts every token, so that one found in a file or a log is
// recognisable.
const TokenPrefix = "pvs_"

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Apply applies one audit event.
func (t *Tokens) Apply(env events.Envelope, p events.Payload) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch p := p.(type) {
	case *events.TokenCreated:
		if _, ok := t.byID[p.TokenID]; ok {
			return
		}
		tok := &Token{ID: p.TokenID, Name: p.Name, Role: Role(p.Role), Tenant: p.Scope, CreatedBy: p.By, Created: env.At, hash: p.Hash, Services: p.Services}
		t.byID[p.TokenID], t.byHash[p.Hash] = tok, tok
	case *events.TokenRevoked:
		if tok, ok := t.byID[p.TokenID]; ok {
			tok.Revoked = true
		}
	}
}

// Lookup returns the live token matching a presented token, and records its use.
func (t *Tokens) Lookup(token string) (Token, bool) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return Token{}, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	tok, ok := t.byHash[hashToken(token)]
	if !ok || tok.Revoked {
		return Token{}, false
	}
	tok.LastUsed = time.Now()
	return *tok, true
}

// Create makes a token for a role, scoped to a tenant ("" for the whole
// platform); the token is returned once and only its hash is kept.
func (t *Tokens) Create(ctx context.Context, role Role, scope, name, by string) (string, Token, error) {
	return t.CreateFor(ctx, role, scope, name, by, nil)
}

// CreateFor is [Tokens.Create] for someone limited to some services of the
// knowledge base (empty: all).
func (t *Tokens) CreateFor(ctx context.Context, role Role, scope, name, by string, services []string) (string, Token, error) {
	token := TokenPrefix + NewSecret()
	p := events.TokenCreated{TokenID: events.NewID(time.Now()), Name: name, Role: string(role), Hash: hashToken(token), By: by,
		Scope: scope, Services: services}
	env, err := t.Log.Emit(ctx, t.envelopeTenant(scope), "", p)
	if err != nil {
		return "", Token{}, err
	}
	t.Apply(env, &p)
	tok, _ := t.Lookup(token)
	return token, tok, nil
}

// envelopeTenant is the tenant an audit event about a principal of scope is
// written for: its own, or the deployment's for the platform.
func (t *Tokens) envelopeTenant(scope string) string {
	if scope != "" {
		return scope
	}
	return t.Tenant
}

// Get returns a token by id.
func (t *Tokens) Get(id string) (Token, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tok, ok := t.byID[id]
	if !ok {
		return Token{}, false
	}
	return *tok, true
}

// Revoke ends a token.
func (t *Tokens) Revoke(ctx context.Context, id, by string) error {
	t.mu.Lock()
	_, ok := t.byID[id]
	t.mu.Unlock()
	if !ok {
		return ErrNoToken
	}
	p := events.TokenRevoked{TokenID: id, By: by}
	env, err := t.Log.Emit(ctx, t.Tenant, "", p)
	if err != nil {
		return err
	}
	t.Apply(env, &p)
	return nil
}

// List returns every token, newest first.
func (t *Tokens) List() []Token {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Token, 0, len(t.byID))
	for _, tok := range t.byID {
		out = append(out, *tok)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
}
