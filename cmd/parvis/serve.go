package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/dashboards"
	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/graphql"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/mining"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/web"
)

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

	// The event log: a real cluster, or the embedded broker.
	brokers := strings.Split(cfg.Kafka, ",")
	if cfg.Kafka == "" {
		b, err := eventlog.StartEmbedded(filepath.Join(cfg.Data, "kafka"), cfg.BrokerListen)
		if err != nil {
			return err
		}
		defer b.Close()
		brokers = []string{b.Addr()}
		log.Info("embedded Kafka broker", slog.String("addr", b.Addr()))
	}
	pub, err := eventlog.NewPublisher(eventlog.PublisherConfig{Brokers: brokers, OutboxDir: filepath.Join(cfg.Data, "outbox"), Logger: log})
	if err != nil {
		return err
	}
	defer pub.Close()

	// ClickHouse: a server, or the embedded one.
	var store projections.Store
	if cfg.ClickHouse != "" {
		store, err = projections.OpenServer(ctx, cfg.ClickHouse)
	} else {
		store, err = projections.OpenChDB(filepath.Join(cfg.Data, "clickhouse"))
	}
	if err != nil {
		return err
	}
	defer store.Close()
	if err := projections.Migrate(ctx, store); err != nil {
		return err
	}

	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var projector *projections.Projector
	if cfg.has("projector") {
		projector = projections.NewProjector(projections.ProjectorConfig{Brokers: brokers, Logger: log}, store, pub)
		wg.Go(func() {
			if err := projector.Run(ctx); err != nil {
				log.Error("projector stopped", slog.Any("error", err))
			}
		})
	}

	// The knowledge base, followed on the log; the engine swaps its index on change.
	engine, err := bot.New(bot.DefaultConfig(), nil, "", bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions()))
	if err != nil {
		return err
	}
	state := kb.NewState()
	kbReady := make(chan struct{})
	var readyOnce sync.Once
	wg.Go(func() {
		err := eventlog.Follow(ctx, brokers, events.TopicKB, state.Apply, func() {
			entries, version := state.Published()
			engine.Swap(entries, version)
			log.Info("knowledge base loaded", slog.Int("entries", len(entries)), slog.String("version", version))
			readyOnce.Do(func() { close(kbReady) })
		}, log)
		if err != nil {
			log.Error("knowledge base follower stopped", slog.Any("error", err))
		}
	})
	select {
	case <-kbReady:
	case <-ctx.Done():
		return nil
	}
	if cfg.Demo && state.Len() == 0 {
		demo := append(kb.Demo(), kb.ServicePublic()...)
		if err := kb.PublishEntries(ctx, pub, cfg.Tenant, demo, "demo"); err != nil {
			return fmt.Errorf("load the demo knowledge base: %w", err)
		}
		log.Info("demo knowledge base published", slog.Int("entries", len(demo)))
	}

	// API tokens and accounts, followed on the audit topic.
	tokens := auth.NewTokens(pub, cfg.Tenant)
	accounts := auth.NewAccounts(pub, cfg.Tenant)
	audit := func(env events.Envelope, p events.Payload) { tokens.Apply(env, p); accounts.Apply(env, p) }
	wg.Go(func() {
		if err := eventlog.Follow(ctx, brokers, events.TopicAudit, audit, func() {}, log); err != nil {
			log.Error("audit follower stopped", slog.Any("error", err))
		}
	})

	queries := projections.NewQueries(store)
	var miner *mining.Miner
	if cfg.has("miner") {
		miner = mining.NewMiner(mining.Config{RegroupEvery: cfg.RegroupEvery, Logger: log}, queries)
		wg.Go(func() {
			if err := miner.Run(ctx); err != nil {
				log.Error("miner stopped", slog.Any("error", err))
			}
		})
	}
	chat := ingest.NewService(ingest.Config{Tenant: cfg.Tenant, MaxRunes: cfg.MaxMessage, RatePerMinute: cfg.ChatRate, Logger: log}, engine, pub, queries)
	wg.Go(func() { chat.RunJanitor(ctx) })

	mux := http.NewServeMux()
	if cfg.has("api") {
		res := &graphql.Resolver{Chat: chat, Engine: engine, Queries: queries, Logger: log,
			KB: &kb.Writer{Log: pub, State: state, Tenant: cfg.Tenant}, Tokens: tokens, Users: accounts,
			Audit: func(ctx context.Context, p events.Payload) error {
				_, err := pub.Emit(ctx, cfg.Tenant, "", p)
				return err
			}}
		if projector != nil {
			res.Replay = func(ctx context.Context) (projections.ReplayReport, error) {
				rep, err := projections.Replay(ctx, store, brokers, projector, log)
				if err == nil && miner != nil {
					err = miner.Rebuild(ctx) // the mining tables derive from the replayed ones
				}
				return rep, err
			}
		}
		authn := auth.Authenticator{AdminToken: cfg.AdminToken, Tokens: tokens, Accounts: accounts,
			Limit: web.NewLimiter(cfg.TokenRate), OIDC: cfg.OIDC.Issuer != ""}
		if cfg.OIDC.Issuer != "" {
			sso, err := auth.NewOIDC(ctx, cfg.OIDC, accounts, log)
			if err != nil {
				return err
			}
			mux.Handle("/auth/oidc/", sso.Handler())
		}
		api := web.CORS(cfg.AllowedOrigins(), web.WithClientAddr(graphql.NewHandler(res, authn, cfg.Introspection)))
		mux.Handle("/auth/", authn.SessionHandler())
		mux.Handle("POST /graphql", api)
		mux.Handle("GET /graphql", api)
		mux.Handle("OPTIONS /graphql", api)
		mux.Handle("GET /widget.js", ingest.WidgetHandler())
		mux.Handle("GET /dashboards/", dashboards.Handler())
		if cfg.Demo {
			site := ingest.DemoSite()
			mux.Handle("GET /{$}", site)
			mux.Handle("GET /confidentialite", site)
			mux.Handle("GET /site.css", site)
		}
	}
	mux.Handle("GET /metrics", promhttp.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		rctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		var problems []string
		if err := store.Ping(rctx); err != nil {
			problems = append(problems, "ClickHouse injoignable")
		}
		if err := eventlog.Ping(rctx, brokers); err != nil {
			problems = append(problems, "broker Kafka injoignable")
		}
		if engine.Index().Len() == 0 {
			problems = append(problems, "base de connaissances vide")
		}
		if len(problems) > 0 {
			http.Error(w, "pas prêt : "+strings.Join(problems, ", "), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "prêt")
	})

	srv := &http.Server{
		Addr: cfg.Addr, Handler: mux,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 20 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	if cfg.Demo {
		log.Info("demo town site", slog.String("url", "http://"+cfg.Addr+"/"))
	}
	log.Info("workbench", slog.String("url", "http://"+cfg.Addr+"/dashboards/"))
	log.Info("parvis is serving", slog.String("graphql", "http://"+cfg.Addr+"/graphql"),
		slog.String("metrics", "http://"+cfg.Addr+"/metrics"), slog.String("roles", strings.Join(cfg.Roles, ",")))
	select {
	case err := <-errc:
		cancel()
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http: %w", err)
		}
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), cfg.ShutdownWait)
	defer scancel()
	err = srv.Shutdown(sctx)
	cancel()
	return err
}
