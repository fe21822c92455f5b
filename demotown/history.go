// Package demotown writes the past of the demo territory: 90 days (by default)
// of citizens chatting with Montclar, Saint-Aubin-sur-Lèze and their
// communauté de communes, so that every page of a fresh demo has something to
// show. Nothing here bypasses the product: a [visit] is played through the
// chat service of package ingest (redaction, the tenant's engine, demande
// proposals, feedback, choices), demandes are filed and moved on by a
// demandes desk, and the entries the town writes midway go through a kb
// writer, each with a clock that walks through the history. Their events are
// the very events those parts emit, dated in the past, and reach ClickHouse
// through the log and the projector like any others.
//
// Data flows: [plan] draws the visits from a seeded generator (what is asked:
// the demo knowledge base's phrasings typed with light noise, and the unmet
// needs of needs.yaml with their trends); [Write] plays them in order of time
// with the actions they lead to (a demande taken up days later, an entry
// published), and hands the events to the log in batches.
package demotown

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// Publisher appends events to the log; eventlog.Publisher satisfies it.
type Publisher interface {
	Publish(ctx context.Context, evs ...events.Envelope) error
}

// Config says what history to write and where.
type Config struct {
	Days int       // how far back the history starts
	End  time.Time // when it ends: now
	Seed uint64    // the same seed writes the same history
	Log  Publisher
	// Tenants are the declared tenants (those of tenant.Demo): the history
	// writes for each of them.
	Tenants *tenant.Registry
	// Entries are the published entries the history starts with (the demo
	// knowledge base); the history adds the entries the town writes midway.
	Entries []kb.Entry
	// Engines decide for the history's citizens; they hold Entries when Write
	// is called (serve's own engines, once the demo knowledge base is loaded).
	Engines *ingest.Engines
	// Await returns once Engines decide with the entries the history just
	// published, their kb events being on the log: serve waits for its
	// knowledge base follower to read them back, which swaps its engines as for
	// any change. Nil: Write swaps Engines itself to its knowledge base
	// (engines of its own, which nothing else swaps).
	Await func(ctx context.Context, published []kb.Entry) error
	// Desk configures the desk that files and moves the history's demandes:
	// the serving desk's codes, kinds and key store, so that its demandes can be
	// tracked and read like the others. Its clock and notifier are the history's.
	Desk   demandes.Config
	Logger *slog.Logger
}

// Summary is what a history holds.
type Summary struct {
	Conversations int // started
	Messages      int // citizens' messages
	Feedback      int
	Choices       int // choices taken after a clarification
	Demandes      int // filed
	Changes       int // changes of a demande's status
	Published     int // entries the town wrote during the history
	Events        int // everything appended to the log
	Took          time.Duration
}

// Write writes the history and returns what it holds. An error leaves the
// events written so far on the log.
func Write(ctx context.Context, cfg Config) (Summary, error) {
	began := time.Now()
	if cfg.Days < 1 {
		return Summary{}, errors.New("demotown: a history of one day at least")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	sc, err := loadScript()
	if err != nil {
		return Summary{}, err
	}
	start := cfg.End.Add(-time.Duration(cfg.Days) * 24 * time.Hour)
	p := &player{cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed)), start: start, now: start}
	p.log = &batch{next: cfg.Log, now: p.clock}
	p.state = kb.NewState()
	if err := p.seed(cfg.Entries, start.Add(-time.Hour)); err != nil {
		return Summary{}, err
	}
	if p.cfg.Await == nil {
		p.cfg.Await = func(context.Context, []kb.Entry) error {
			cfg.Engines.Swap(p.state.Published())
			return nil
		}
	}
	dc := cfg.Desk
	dc.Now, dc.Notify, dc.Tenants, dc.Logger = p.clock, nil, cfg.Tenants, cfg.Logger
	p.desk = demandes.NewDesk(dc, p.log)
	p.chat = ingest.NewService(ingest.Config{Tenant: firstTenant(cfg.Tenants), Tenants: cfg.Tenants, Engines: cfg.Engines,
		Desk: p.desk, Logger: cfg.Logger, Now: p.clock}, nil, p.log, nil)
	// The town's kb events wait for the publication that ends their draft, so
	// that a follower of the log re-indexes once per publication, not once per
	// step.
	p.kbLog = &batch{next: cfg.Log, now: p.clock}
	p.writer = &kb.Writer{Log: p.kbLog, State: p.state, Tenant: firstTenant(cfg.Tenants)}

	tenants := cfg.Tenants.List(tenant.Everything())
	if len(tenants) == 0 {
		return Summary{}, errors.New("demotown: no tenant declared")
	}
	members := map[string]bool{}
	for _, t := range tenants {
		members[t.ID] = len(cfg.Tenants.Members(t.ID)) > 0
	}
	for _, e := range cfg.Entries {
		if (e.Kind == "" || e.Kind == kb.KindAnswer) && e.Source != kb.SourceServicePublic {
			p.asked = append(p.asked, e)
		}
	}
	if len(p.asked) == 0 {
		return Summary{}, errors.New("demotown: no entry of the knowledge base to ask about")
	}
	for _, v := range plan(p.r, start, cfg.Days, cfg.End, tenants, members, p.asked, sc) {
		p.at(v.at, func(ctx context.Context) error { return p.open(ctx, v) })
	}
	span := cfg.End.Sub(start)
	for _, n := range sc.Needs {
		if n.Entry != nil {
			p.town(n, start.Add(time.Duration(n.DraftAt*float64(span))))
		}
	}
	if err := p.run(ctx); err != nil {
		return p.sum, err
	}
	if err := p.log.flush(ctx); err != nil {
		return p.sum, err
	}
	if err := p.kbLog.flush(ctx); err != nil {
		return p.sum, err
	}
	p.sum.Events = p.log.sent + p.kbLog.sent
	p.sum.Took = time.Since(began)
	return p.sum, nil
}

// firstTenant is the tenant of what is written with none: the first commune
// declared.
func firstTenant(r *tenant.Registry) string {
	for _, t := range r.List(tenant.Everything()) {
		if t.Parent != "" {
			return t.ID
		}
	}
	return "montclar"
}

// player plays the history in order of time. It is not safe for concurrent use.
type player struct {
	cfg    Config
	r      *rand.Rand
	start  time.Time
	now    time.Time // the clock of everything written
	log    *batch
	kbLog  *batch // the town's kb events, up to their publication
	state  *kb.State
	writer *kb.Writer
	desk   *demandes.Desk
	chat   *ingest.Service
	asked  []kb.Entry // the entries citizens ask about
	queue  agenda
	seq    int
	fresh  []kb.Entry // published by the town, not yet held by the engines
	sum    Summary
}

func (p *player) clock() time.Time { return p.now }

// at schedules a citizen's action.
func (p *player) at(t time.Time, do func(context.Context) error) { p.push(action{at: t, do: do}) }

// atTown schedules an action of the town's staff on the knowledge base.
func (p *player) atTown(t time.Time, do func(context.Context) error) {
	p.push(action{at: t, do: do, town: true})
}

// push schedules an action; actions after the end of the history never happen.
func (p *player) push(a action) {
	if !a.at.Before(p.cfg.End) {
		return
	}
	p.seq++
	a.seq = p.seq
	heap.Push(&p.queue, a)
}

// run plays the actions in order of time, ending idle conversations as the
// clock passes, and logs the progress every fortnight of history.
func (p *player) run(ctx context.Context) error {
	sweep := p.start.Add(10 * time.Minute)
	reported := 0
	for p.queue.Len() > 0 {
		a := heap.Pop(&p.queue).(action)
		for ; sweep.Before(a.at); sweep = sweep.Add(10 * time.Minute) {
			p.now = sweep
			if err := p.chat.EndIdle(ctx, sweep); err != nil {
				return err
			}
		}
		p.now = a.at
		if len(p.fresh) > 0 && !a.town {
			// Entries published: the next citizen gets answers from them.
			if err := p.log.flush(ctx); err != nil {
				return err
			}
			if err := p.kbLog.flush(ctx); err != nil {
				return err
			}
			if err := p.cfg.Await(ctx, p.fresh); err != nil {
				return fmt.Errorf("demotown: the engines did not take the entries published: %w", err)
			}
			p.fresh = nil
		}
		if err := a.do(ctx); err != nil {
			return fmt.Errorf("demotown: %s: %w", a.at.Format(time.DateTime), err)
		}
		if err := p.log.maybeFlush(ctx); err != nil {
			return err
		}
		if day := int(a.at.Sub(p.start) / (24 * time.Hour)); day >= reported+15 {
			reported = day - day%15
			p.cfg.Logger.Info("demo history", slog.Int("day", reported), slog.Int("of", p.cfg.Days),
				slog.Int("conversations", p.sum.Conversations), slog.Int("messages", p.sum.Messages))
		}
	}
	// The conversations of the last half hour stay open, as they would.
	for ; sweep.Before(p.cfg.End); sweep = sweep.Add(10 * time.Minute) {
		p.now = sweep
		if err := p.chat.EndIdle(ctx, sweep); err != nil {
			return err
		}
	}
	return nil
}

// seed puts the starting knowledge base into the history's own state, as
// published before the history begins; nothing of it is logged (the log holds
// it already).
func (p *player) seed(entries []kb.Entry, at time.Time) error {
	for _, e := range entries {
		pl := events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: e.Wire(), By: "demo"}
		ev, err := events.New(e.Tenant, "", at, pl)
		if err != nil {
			return err
		}
		p.state.Apply(ev, &pl)
	}
	return nil
}

// town schedules what the town does about a need: an analyst drafts the entry
// from what citizens asked, an expert validates it the next day and publishes
// it the day after; from then on the engines answer with it.
func (p *player) town(n *need, draft time.Time) {
	e := *n.Entry
	p.atTown(draft, func(ctx context.Context) error {
		_, err := p.writer.Draft(ctx, e, "analyste")
		return err
	})
	p.atTown(draft.Add(26*time.Hour), func(ctx context.Context) error {
		_, err := p.writer.Validate(ctx, e.ID, "expert")
		return err
	})
	p.atTown(draft.Add(50*time.Hour), func(ctx context.Context) error {
		published, err := p.writer.Publish(ctx, e.ID, "expert")
		if err != nil {
			return err
		}
		p.fresh = append(p.fresh, published)
		p.sum.Published++
		return nil
	})
}

// action is something that happens at a moment of the history.
type action struct {
	at   time.Time
	seq  int  // ties keep the order of scheduling
	town bool // the town's staff act on the knowledge base
	do   func(context.Context) error
}

// agenda is the actions to come, earliest first (container/heap).
type agenda []action

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(action)) }
func (a *agenda) Pop() any {
	old := *a
	x := old[len(old)-1]
	*a = old[:len(old)-1]
	return x
}
