package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"

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
	// The HTTP address is tried first: a serve still running on it is told in
	// a second, not after the whole start-up. It is let go until listen: held
	// meanwhile, it would queue the connections of a proxy that should turn to
	// another api process, or of a browser, until the start-up is over.
	ln, err := listenOn("--addr", cfg.Addr)
	if err != nil {
		return err
	}
	ln.Close()
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

// listenOn listens on addr, the value of flag; an address taken is said in
// French with the flag that sets it.
func listenOn(flag, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, addrInUse(flag, addr)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s : écoute impossible : %w", flag, addr, err)
	}
	return ln, nil
}

// listen serves HTTP until ctx ends or the listener fails, then shuts the
// server down, letting requests in flight finish within the configured time.
func (s *server) listen(ctx context.Context, cancel context.CancelFunc) error {
	// Bound before anything says the server is up.
	ln, err := listenOn("--addr", s.cfg.Addr)
	if err != nil {
		return err
	}
	// Every handler sees the client's address (rate limits, sign-in attempts).
	srv := web.NewServer(s.cfg.Addr, web.WithClientAddr(s.cfg.TrustedProxies(), s.mux))
	if s.cfg.Demo {
		// Before the first request: whoever sees the server ready can sign in.
		printDemoAccounts(os.Stdout, "http://"+s.cfg.Addr, s.demoAccounts, s.demoSkipped)
	}
	printFirstAccount(os.Stdout, s.cfg, "http://"+s.cfg.Addr, s.brokers, s.accounts.List())
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
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
	err = srv.Shutdown(sctx)
	cancel()
	return err
}

// addrInUse tells an operator that the address of flag is taken.
func addrInUse(flag, addr string) error {
	return fmt.Errorf("%s %s : adresse déjà utilisée (un autre « parvis serve » tourne-t-il ? arrêtez-le ou choisissez une autre adresse avec %[1]s)", flag, addr)
}
