package auth

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/parvis-civic/parvis/events"
)

// Errors of accounts and sessions.
var (
	ErrBadCredentials = errors.New("auth: wrong login or password")
	ErrAccount        = errors.New("auth: invalid account")
)

// Account is a local account of the dashboards.
type Account struct {
	ID, Login, Name, CreatedBy string
	Role                       Role
	Tenant                     string   // scope: see [Principal.Tenant]
	Services                   []string // see [Principal.Services]
	Created                    time.Time
	Disabled                   bool
	hash                       []byte
}

// Accounts holds the local accounts and the live sessions, both built from the
// audit topic that every api process follows. It is safe for concurrent use.
type Accounts struct {
	Log    Emitter
	Tenant string
	// SessionMaxAge ends a session this long after sign-in, however often it is
	// used; zero: [DefaultSessionMaxAge]. Set it before use.
	SessionMaxAge time.Duration

	mu        sync.Mutex
	byID      map[string]*Account
	byLogin   map[string]*Account
	sessions  map[[sha256.Size]byte]*live // by [sessionKey]
	notBefore map[string]time.Time        // an account of the provider → when its sessions were revoked
}

// NewAccounts returns an empty set; [Accounts.Apply] fills it from the audit topic.
func NewAccounts(log Emitter, tenant string) *Accounts {
	return &Accounts{Log: log, Tenant: tenant, byID: map[string]*Account{}, byLogin: map[string]*Account{},
		sessions: map[[sha256.Size]byte]*live{}, notBefore: map[string]time.Time{}}
}

// Apply applies one audit event.
func (a *Accounts) Apply(env events.Envelope, p events.Payload) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch p := p.(type) {
	case *events.AccountCreated:
		if _, ok := a.byID[p.AccountID]; ok {
			return
		}
		// An account created without a name goes by its login, those created
		// before that rule too (see CreateFor).
		acc := &Account{ID: p.AccountID, Login: p.Login, Name: cmp.Or(strings.TrimSpace(p.Name), p.Login), Role: Role(p.Role), Tenant: p.Scope, CreatedBy: p.By, Created: env.At, hash: []byte(p.PasswordHash), Services: p.Services}
		a.byID[acc.ID] = acc
		a.byLogin[strings.ToLower(acc.Login)] = acc
	case *events.AccountDisabled:
		if acc, ok := a.byID[p.AccountID]; ok {
			acc.Disabled = true
			a.endSessions(acc.ID)
		}
	case *events.AccountPasswordSet:
		// Whoever knew the old password is signed out.
		if acc, ok := a.byID[p.AccountID]; ok {
			acc.hash = []byte(p.PasswordHash)
			a.endSessions(acc.ID)
		}
	default:
		a.applySession(env, p)
	}
}

// MinPassword is the shortest password accepted.
const MinPassword = 12

// Create makes an account scoped to a tenant ("" for the whole platform); the
// password is kept as a bcrypt hash.
func (a *Accounts) Create(ctx context.Context, login, name string, role Role, scope, password, by string) (Account, error) {
	return a.CreateFor(ctx, login, name, role, scope, password, by, nil)
}

// CreateFor is [Accounts.Create] for someone limited to some services of the
// knowledge base (empty: all).
func (a *Accounts) CreateFor(ctx context.Context, login, name string, role Role, scope, password, by string, services []string) (Account, error) {
	login = strings.TrimSpace(login)
	if login == "" || len(login) > 100 || strings.ContainsAny(login, " \t\n") {
		return Account{}, fmt.Errorf("%w: identifiant de 1 à 100 caractères, sans espace", ErrAccount)
	}
	if err := checkPassword(password); err != nil {
		return Account{}, err
	}
	a.mu.Lock()
	_, taken := a.byLogin[strings.ToLower(login)]
	a.mu.Unlock()
	if taken {
		return Account{}, fmt.Errorf("%w: l'identifiant « %s » est déjà pris", ErrAccount, login)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), 12)
	if err != nil {
		return Account{}, err
	}
	// A name is who signs every change in the history, and what the « second
	// pair of eyes » compares: an account without one goes by its login.
	name = cmp.Or(strings.TrimSpace(name), login)
	p := events.AccountCreated{AccountID: events.NewID(time.Now()), Login: login, Name: name, Role: string(role), PasswordHash: string(hash), By: by, Scope: scope, Services: services}
	env, err := a.Log.Emit(ctx, a.envelopeTenant(scope), "", p)
	if err != nil {
		return Account{}, err
	}
	a.Apply(env, &p)
	a.mu.Lock()
	defer a.mu.Unlock()
	return *a.byID[p.AccountID], nil
}

// envelopeTenant is the tenant an audit event about a scope is filed under: the
// scope's, or the deployment's for the whole platform.
func (a *Accounts) envelopeTenant(scope string) string {
	if scope != "" {
		return scope
	}
	return a.Tenant
}

// checkPassword refuses a password too short to resist guessing, or too long
// for bcrypt, which reads 72 bytes.
func checkPassword(password string) error {
	switch {
	case len([]rune(password)) < MinPassword:
		return fmt.Errorf("%w: mot de passe de %d caractères au moins", ErrAccount, MinPassword)
	case len(password) > 72:
		return fmt.Errorf("%w: mot de passe de 72 octets au plus", ErrAccount)
	}
	return nil
}

// SetPassword gives an account a new password; its sessions end.
func (a *Accounts) SetPassword(ctx context.Context, id, password, by string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	a.mu.Lock()
	acc, ok := a.byID[id]
	tenant := a.Tenant
	if ok {
		tenant = a.envelopeTenant(acc.Tenant)
	}
	a.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: aucun compte %s", ErrAccount, id)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), 12)
	if err != nil {
		return err
	}
	p := events.AccountPasswordSet{AccountID: id, PasswordHash: string(hash), By: by}
	env, err := a.Log.Emit(ctx, tenant, "", p)
	if err != nil {
		return err
	}
	a.Apply(env, &p)
	return nil
}

// Get returns an account by id.
func (a *Accounts) Get(id string) (Account, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	acc, ok := a.byID[id]
	if !ok {
		return Account{}, false
	}
	return *acc, true
}

// Disable ends an account's access and its sessions.
func (a *Accounts) Disable(ctx context.Context, id, by string) error {
	a.mu.Lock()
	_, ok := a.byID[id]
	a.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: aucun compte %s", ErrAccount, id)
	}
	p := events.AccountDisabled{AccountID: id, By: by}
	env, err := a.Log.Emit(ctx, a.Tenant, "", p)
	if err != nil {
		return err
	}
	a.Apply(env, &p)
	return nil
}

// List returns every account, oldest first.
func (a *Accounts) List() []Account {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Account, 0, len(a.byID))
	for _, acc := range a.byID {
		out = append(out, *acc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// servicesOf returns the services an account is limited to (nil: all, or not a
// local account).
func (a *Accounts) servicesOf(accountID string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if acc, ok := a.byID[accountID]; ok {
		return acc.Services
	}
	return nil
}
