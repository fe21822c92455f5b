package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/parvis-civic/parvis/demotown"
	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// historySeed fixes the demo history: every fresh demo shows the same past.
const historySeed = 1

// startHistory starts writing the demo territory's past (--demo,
// --demo-history days) when the log holds no conversation yet, so that a
// restart never writes it twice, and no service platform is connected.
func (s *server) startHistory(ctx context.Context) error {
	if !s.cfg.Demo || s.cfg.DemoHistory == 0 {
		return nil
	}
	if s.desk == nil {
		s.log.Info("demo history skipped: it needs the api role")
		return nil
	}
	if s.cfg.Demandes.Platform != "" {
		// Its demandes are made up, and so are the people who file them: the
		// deliverer would send them to the town's platform like any other.
		s.log.Warn("demo history skipped: its demandes would be delivered to the platform of --demande-platform")
		return nil
	}
	n, err := eventlog.Appended(ctx, s.brokers, events.TopicConversations)
	if err != nil {
		return err
	}
	if n > 0 || s.pub.Pending() > 0 {
		s.log.Info("demo history already written, or conversations held: none written", slog.Int64("events", n))
		return nil
	}
	s.log.Info("demo history: writing", slog.Int("days", s.cfg.DemoHistory))
	// In the background: the pages fill as it is written, and the server does
	// not keep its first visitor waiting.
	s.goRun("demo history", func() error { return s.writeHistory(ctx) })
	return nil
}

// writeHistory writes the history, then, once the projector has it, has the
// miner group it again: its passes read only what is new by the clock, and
// the history is old.
func (s *server) writeHistory(ctx context.Context) error {
	entries, _ := s.kb.Published()
	end := time.Now()
	sum, err := demotown.Write(ctx, demotown.Config{Days: s.cfg.DemoHistory, End: end, Seed: historySeed, Log: s.pub,
		Tenants: s.tenants, Entries: entries, Engines: s.engines, Await: s.awaitEntries, Desk: s.deskConfig, Logger: s.log})
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped: a restart will not complete it
		}
		return fmt.Errorf("demo history: %w", err)
	}
	s.log.Info("demo history written", slog.Int("days", s.cfg.DemoHistory), slog.Int("conversations", sum.Conversations),
		slog.Int("messages", sum.Messages), slog.Int("feedback", sum.Feedback), slog.Int("demandes", sum.Demandes),
		slog.Int("entries_published", sum.Published), slog.Int("events", sum.Events), slog.Duration("took", sum.Took))
	if s.miner == nil || s.projector == nil {
		return nil
	}
	began := time.Now()
	from := end.Add(-time.Duration(s.cfg.DemoHistory) * 24 * time.Hour)
	// A query a second: each one reads ClickHouse.
	if err := waitFor(ctx, time.Second, func() bool {
		o, err := s.queries.Overview(ctx, tenant.Everything(), from, end.Add(time.Second))
		return err == nil && o.Conversations >= sum.Conversations
	}); err != nil {
		return nil // stopped
	}
	if err := s.miner.Rebuild(ctx); err != nil {
		return fmt.Errorf("demo history: mine: %w", err)
	}
	s.log.Info("demo history projected and mined", slog.Duration("took", time.Since(began)))
	return nil
}

// awaitEntries returns once the serving engines of the tenants answer with the
// entries the history published: the knowledge base follower reads the
// history's kb events back and swaps them, as for any change. The tenants'
// engines are swapped first: the history does not wait for the search engine.
func (s *server) awaitEntries(ctx context.Context, published []kb.Entry) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return waitFor(ctx, 20*time.Millisecond, func() bool {
		for _, e := range published {
			owner := e.Tenant
			if owner == "" {
				owner = s.cfg.Tenant
			}
			if _, ok := s.engines.For(owner).Index().Entry(e.ID); !ok {
				return false
			}
		}
		return true
	})
}
