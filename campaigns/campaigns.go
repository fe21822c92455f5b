// Package campaigns holds citizen test campaigns: before launch and after each
// change, a town invites people outside the project team to try the bot from an
// invite URL. A campaign is an event on the audit log (campaign.created) that
// every process follows into a [State]; the widget opened from the invite URL
// starts conversations tagged with the campaign's id, which every production
// figure and the mining leave out. Testers rate each reply (understood or not)
// and say whether each scenario's task was done; [Build] turns a campaign's
// conversations into its report, the misunderstood phrasings an expert assigns
// to entries ([Assigner]), and comprehension cases for `parvis eval` that
// measure a knowledge base version before it is published.
package campaigns

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/parvis-civic/parvis/events"
)

// Errors for callers to explain.
var (
	ErrUnknown    = errors.New("campaigns: no campaign has this invite token")
	ErrNotStarted = errors.New("campaigns: the campaign has not started yet")
	ErrEnded      = errors.New("campaigns: the campaign has ended")
	ErrNoCampaign = errors.New("campaigns: no such campaign")

	// ErrInvalid is what every refused campaign matches; the errors below say
	// which part was refused.
	ErrInvalid   = errors.New("campaigns: invalid campaign")
	ErrName      = fmt.Errorf("%w: name of 1 to %d characters wanted", ErrInvalid, MaxName)
	ErrScenarios = fmt.Errorf("%w: %d scenarios at most", ErrInvalid, MaxScenarios)
	ErrScenario  = fmt.Errorf("%w: scenario of 1 to %d characters wanted", ErrInvalid, MaxScenario)
	ErrDates     = fmt.Errorf("%w: ends before it starts", ErrInvalid)
)

// Limits of what a campaign holds.
const (
	MaxName      = 100
	MaxScenarios = 20
	MaxScenario  = 300 // characters of one scenario
)

// Campaign is a citizen test campaign.
type Campaign struct {
	ID        string
	Name      string
	Token     string   // the invite token: 256 random bits, base64url
	Scenarios []string // tasks, in order
	StartsAt  time.Time
	EndsAt    time.Time // zero: never
	Created   time.Time
	By        string
	// Tenant is the territory whose campaign it is: its analysts and
	// experts see it, and those of the territories above it.
	Tenant string
}

// OpenAt reports whether testers may use the campaign at t: nil, or
// [ErrNotStarted] or [ErrEnded].
func (c Campaign) OpenAt(t time.Time) error {
	switch {
	case !c.StartsAt.IsZero() && t.Before(c.StartsAt):
		return ErrNotStarted
	case !c.EndsAt.IsZero() && !t.Before(c.EndsAt):
		return ErrEnded
	}
	return nil
}

// State is every campaign of the log. It is safe for concurrent use.
type State struct {
	mu      sync.RWMutex
	byID    map[string]Campaign
	byToken map[string]string
	order   []string
}

// NewState returns an empty state; [State.Apply] fills it from the log.
func NewState() *State {
	return &State{byID: map[string]Campaign{}, byToken: map[string]string{}}
}

// Apply takes one event of the audit log; other types are ignored.
func (s *State) Apply(env events.Envelope, p events.Payload) {
	cc, ok := p.(*events.CampaignCreated)
	if !ok {
		return
	}
	c := Campaign{ID: cc.CampaignID, Name: cc.Name, Token: cc.Token, Scenarios: cc.Scenarios, Created: env.At, By: cc.By,
		Tenant: env.Tenant}
	c.StartsAt, _ = time.Parse(time.RFC3339, cc.StartsAt)
	c.EndsAt, _ = time.Parse(time.RFC3339, cc.EndsAt)
	s.add(c)
}

func (s *State) add(c Campaign) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[c.ID]; !ok {
		s.order = append(s.order, c.ID)
	}
	s.byID[c.ID] = c
	s.byToken[c.Token] = c.ID
}

// Get returns a campaign by id.
func (s *State) Get(id string) (Campaign, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.byID[id]
	return c, ok
}

// List returns every campaign, newest first.
func (s *State) List() []Campaign {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Campaign, 0, len(s.order))
	for i := len(s.order) - 1; i >= 0; i-- {
		out = append(out, s.byID[s.order[i]])
	}
	return out
}

// Open returns the campaign an invite token opens at t: [ErrUnknown],
// [ErrNotStarted] or [ErrEnded] otherwise.
func (s *State) Open(token string, t time.Time) (Campaign, error) {
	s.mu.RLock()
	id, ok := s.byToken[token]
	c := s.byID[id]
	s.mu.RUnlock()
	if !ok || token == "" {
		return Campaign{}, ErrUnknown
	}
	return c, c.OpenAt(t)
}

// Emitter appends one event to the log and returns it once the log holds it;
// eventlog.Publisher satisfies it.
type Emitter interface {
	Emit(ctx context.Context, tenant, conversationID string, p events.Payload) (events.Envelope, error)
}

// Creator creates campaigns as events.
type Creator struct {
	Log    Emitter
	State  *State
	Tenant string
}

// Create checks a campaign, gives it an id and an invite token, and records it.
// The state holds it on return.
func (w *Creator) Create(ctx context.Context, c Campaign, by string) (Campaign, error) {
	c.Name = strings.TrimSpace(c.Name)
	if n := utf8.RuneCountInString(c.Name); n == 0 || n > MaxName {
		return c, fmt.Errorf("%w, got %d", ErrName, n)
	}
	if len(c.Scenarios) > MaxScenarios {
		return c, fmt.Errorf("%w, got %d", ErrScenarios, len(c.Scenarios))
	}
	var scenarios []string
	for i, sc := range c.Scenarios {
		sc = strings.TrimSpace(sc)
		if n := utf8.RuneCountInString(sc); n == 0 || n > MaxScenario {
			return c, fmt.Errorf("%w, got %d for scenario %d", ErrScenario, n, i+1)
		}
		scenarios = append(scenarios, sc)
	}
	c.Scenarios = scenarios
	if !c.EndsAt.IsZero() && !c.EndsAt.After(c.StartsAt) {
		return c, ErrDates
	}
	now := time.Now()
	c.ID, c.By, c.Created = events.NewID(now), by, now.UTC()
	c.Token = newToken()
	p := events.CampaignCreated{CampaignID: c.ID, Name: c.Name, Token: c.Token, Scenarios: c.Scenarios, By: by}
	if !c.StartsAt.IsZero() {
		p.StartsAt = c.StartsAt.UTC().Format(time.RFC3339)
	}
	if !c.EndsAt.IsZero() {
		p.EndsAt = c.EndsAt.UTC().Format(time.RFC3339)
	}
	if c.Tenant == "" {
		c.Tenant = w.Tenant // a platform's campaign is the deployment's
	}
	env, err := w.Log.Emit(ctx, c.Tenant, "", p)
	if err != nil {
		return c, err
	}
	w.State.Apply(env, &p) // at once: the invite URL works before the follower reads it back
	c, _ = w.State.Get(c.ID)
	return c, nil
}

// newToken returns 256 random bits, URL-safe: an invite nobody can guess.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// InviteURL is the page testers open: base (the town's site with the widget)
// with the token as its campaign query parameter.
func InviteURL(base, token string) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "campaign=" + token
}
