package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/parvis-civic/parvis/web"
)

// serve runs `parvis serve`: each start function builds one part on the ones
// before it, in this order, and registers how to stop it; on return the parts
// stop in the reverse order (background work first, then the store, the
// publisher and the broker).
func serve(ctx context.Context, args []string) error {
	cfg, err := parseServe(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(log)
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &server{cfg: cfg, log: log, mux: http.NewServeMux()}
	defer s.stop(cancel)

	steps := []struct {
		name  string
		start func(context.Context) error
	}{
		{"event log", s.startLog},
		{"store", s.startStore},
		{"accounts, tokens and erasures", s.startAudit},
		{"demo accounts", s.startDemoAccounts},
		{"projector", s.startProjector},
		{"knowledge base", s.startKB},
		{"miner", s.startMiner},
		{"demandes", s.startDemandes},
		{"chat", s.startChat},
		{"demo history", s.startHistory},
		{"API", s.startAPI},
		{"probes", s.startProbes},
	}
	for _, step := range steps {
		if err := step.start(ctx); err != nil {
			if errors.Is(err, context.Canceled) && ctx.Err() != nil {
				return nil // stopped while starting
			}
			return fmt.Errorf("%s: %w", step.name, err)
		}
	}
	return s.listen(ctx, cancel)
}

// listen serves HTTP until ctx ends or the listener fails, then shuts the
// server down, letting requests in flight finish within the configured time.
func (s *server) listen(ctx context.Context, cancel context.CancelFunc) error {
	// Every handler sees the client's address (rate limits, sign-in attempts).
	srv := web.NewServer(s.cfg.Addr, web.WithClientAddr(s.cfg.TrustedProxies(), s.mux))
	if s.cfg.Demo {
		// Before the first request: whoever sees the server ready can sign in.
		printDemoAccounts(os.Stdout, "http://"+s.cfg.Addr, s.demoAccounts, s.demoSkipped)
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	if s.internal != nil {
		metrics := web.NewServer(s.cfg.MetricsAddr, s.internal)
		go func() { errc <- metrics.ListenAndServe() }()
		defer metrics.Close()
		s.log.Info("metrics", slog.String("url", "http://"+s.cfg.MetricsAddr+"/metrics"))
	}
	if s.cfg.Demo {
		s.log.Info("demo town site", slog.String("url", "http://"+s.cfg.Addr+"/"))
	}
	s.log.Info("workbench", slog.String("url", "http://"+s.cfg.Addr+"/dashboards/"))
	s.log.Info("parvis is serving", slog.String("graphql", "http://"+s.cfg.Addr+"/graphql"),
		slog.String("roles", strings.Join(s.cfg.Roles, ",")))
	select {
	case err := <-errc:
		cancel()
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http: %w", err)
		}
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), s.cfg.ShutdownWait)
	defer scancel()
	err := srv.Shutdown(sctx)
	cancel()
	return err
}
