package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter allows each client (an address, a conversation, a token) a number of
// requests a minute, with a burst. It is safe for concurrent use; idle clients
// are forgotten. A nil *Limiter allows everything.
type Limiter struct {
	perMinute int
	burst     int
	mu        sync.Mutex
	clients   map[string]*client
	lastSweep time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLimiter returns a limiter with a burst of a fifth of the rate a minute;
// perMinute 0 means no limit.
func NewLimiter(perMinute int) *Limiter {
	return NewBurstLimiter(perMinute, max(1, perMinute/5))
}

// NewBurstLimiter returns a limiter with its burst; perMinute 0 means no limit.
func NewBurstLimiter(perMinute, burst int) *Limiter {
	return &Limiter{perMinute: perMinute, burst: max(1, burst), clients: map[string]*client{}, lastSweep: time.Now()}
}

// Allow reports whether the client named key may make a request now.
func (l *Limiter) Allow(key string) bool {
	if l == nil || l.perMinute <= 0 {
		return true
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		for k, c := range l.clients {
			if now.Sub(c.seen) > 10*time.Minute {
				delete(l.clients, k)
			}
		}
		l.lastSweep = now
	}
	c, ok := l.clients[key]
	if !ok {
		c = &client{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.burst)}
		l.clients[key] = c
	}
	c.seen = now
	return c.lim.AllowN(now, 1)
}

// Exhausted reports whether the client named key has no request left now,
// taking none: a caller that counts only failures (wrong codes, wrong
// passwords) asks it before trying, and Allow after each failure.
func (l *Limiter) Exhausted(key string) bool {
	if l == nil || l.perMinute <= 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[key]
	return ok && c.lim.TokensAt(time.Now()) < 1
}
