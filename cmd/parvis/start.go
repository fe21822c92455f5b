package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/campaigns"
	"github.com/parvis-civic/parvis/dashboards"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/graphql"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/linkcheck"
	"github.com/parvis-civic/parvis/mining"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/tenant"
	"github.com/parvis-civic/parvis/web"
)

// server holds the parts of `parvis serve`, each set by its start function.
type server struct {
	cfg config
	log *slog.Logger

	brokers   []string
	pub       *eventlog.Publisher
	store     projections.Store
	queries   *projections.Queries
	projector *projections.Projector // nil without the projector role
	engine    *bot.Engine            // over every published entry: search, readiness
	engines   *ingest.Engines        // one per tenant, for its citizens
	kb        *kb.State
	tokens    *auth.Tokens
	tenants   *tenant.Registry
	accounts  *auth.Accounts
	// demoAccounts are the demo's accounts and their passwords of this start
	// (--demo); demoSkipped the demo logins taken by other accounts.
	demoAccounts []auth.DemoAccount
	demoSkipped  []string
	erasures     *projections.Erasures
	campaigns    *campaigns.State
	miner        *mining.Miner // nil without the miner role
	chat         *ingest.Service
	desk         *demandes.Desk // nil without the api role
	// deskConfig is the desk's configuration, that the demo history's desk shares.
	deskConfig demandes.Config
	mux        *http.ServeMux // every route, served by listen
	internal   *http.ServeMux // /metrics alone on --metrics-addr; nil without it

	wg      sync.WaitGroup // background loops
	closers []func()       // run in reverse order by stop
}

// goRun runs a background loop until ctx ends, logging why it stopped early.
func (s *server) goRun(what string, run func() error) {
	s.wg.Go(func() {
		// A loop ended by the stop it was asked for is no error: an operator
		// reads ERROR lines on a clean SIGTERM as a fault.
		if err := run(); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Error(what+" stopped", slog.Any("error", err))
		}
	})
}

// stop ends the background loops, then closes the parts, last started first.
func (s *server) stop(cancel context.CancelFunc) {
	cancel()
	s.wg.Wait()
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

// startLog starts the embedded broker unless --kafka names a cluster, and the
// publisher with its outbox in the data directory.
func (s *server) startLog(context.Context) error {
	s.brokers = brokerList(s.cfg.Kafka)
	if s.cfg.Kafka == "" {
		b, err := eventlog.StartEmbedded(filepath.Join(s.cfg.Data, "kafka"), s.cfg.BrokerListen,
			eventlog.Retention(time.Duration(s.cfg.RetentionDays)*24*time.Hour))
		if errors.Is(err, syscall.EADDRINUSE) {
			return addrInUse("--broker-listen", s.cfg.BrokerListen)
		}
		if err != nil {
			return err
		}
		s.closers = append(s.closers, b.Close)
		s.brokers = []string{b.Addr()}
		s.log.Info("embedded Kafka broker", slog.String("addr", b.Addr()))
	}
	pub, err := eventlog.NewPublisher(eventlog.PublisherConfig{Brokers: s.brokers, OutboxDir: filepath.Join(s.cfg.Data, "outbox"), Logger: s.log})
	if err != nil {
		return err
	}
	s.closers = append(s.closers, func() { pub.Close() })
	s.pub = pub
	return nil
}

// startStore opens ClickHouse (a server with --clickhouse, else the embedded one)
// and brings its schema up to date.
func (s *server) startStore(ctx context.Context) error {
	var err error
	if s.cfg.ClickHouse != "" {
		s.store, err = projections.OpenServer(ctx, s.cfg.ClickHouse)
	} else {
		s.store, err = projections.OpenChDB(filepath.Join(s.cfg.Data, "clickhouse"))
	}
	if err != nil {
		return err
	}
	s.closers = append(s.closers, func() { s.store.Close() })
	s.queries = projections.NewQueries(s.store)
	return projections.Migrate(ctx, s.store)
}

// startProjector projects the log into ClickHouse, erasing the erased
// conversations, and deletes what is older than the retention period (projector
// role).
func (s *server) startProjector(ctx context.Context) error {
	if !s.cfg.has("projector") {
		return nil
	}
	s.projector = projections.NewProjector(projections.ProjectorConfig{Brokers: s.brokers, Logger: s.log, Erased: s.erasures}, s.store, s.pub)
	s.goRun("projector", func() error { return s.projector.Run(ctx) })
	if s.cfg.RetentionDays > 0 {
		s.goRun("retention", func() error { return projections.RunRetention(ctx, s.store, s.cfg.RetentionDays, s.log) })
	}
	return nil
}

// startKB follows the knowledge base on the log, swapping the engines' indexes
// on every change, and waits until the log has been read once; with --demo, it
// publishes the demo territory's entries when the log holds none.
func (s *server) startKB(ctx context.Context) error {
	opts, closeModel, err := openSemantic(s.cfg.SemanticModel)
	if err != nil {
		return err
	}
	s.closers = append(s.closers, closeModel)
	if s.cfg.SemanticModel != "" {
		s.log.Info("semantic model loaded", slog.String("dir", s.cfg.SemanticModel))
	}
	lang := bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	engine, err := bot.New(bot.DefaultConfig(), nil, "", lang, opts...)
	if err != nil {
		return err
	}
	s.engine, s.kb = engine, kb.NewState()
	s.engines = ingest.NewEngines(bot.DefaultConfig(), lang, s.tenants, opts...)
	if err := s.follow(ctx, "knowledge base follower", events.TopicKB, s.kb.Apply, func() {
		entries, version := s.kb.Published()
		// The tenants' engines first: readiness looks at the other one.
		s.engines.Swap(entries, version)
		if err := engine.Swap(entries, version); err != nil {
			s.log.Warn("knowledge base embedding failed", slog.String("version", version), slog.Any("error", err))
		}
		s.log.Info("knowledge base loaded", slog.Int("entries", len(entries)), slog.String("version", version))
	}); err != nil {
		return err
	}
	if s.cfg.Demo && s.kb.Len() == 0 {
		demo := kb.DemoBase()
		if err := kb.PublishEntries(ctx, s.pub, s.cfg.Tenant, demo, "demo"); err != nil {
			return fmt.Errorf("load the demo knowledge base: %w", err)
		}
		// The follower applies the entries batch by batch: serve once every
		// engine answers from all of them, not from the first batch.
		if err := waitFor(ctx, 20*time.Millisecond, func() bool { return s.engine.Index().Len() >= len(demo) }); err != nil {
			return fmt.Errorf("load the demo knowledge base: %w", err)
		}
		s.log.Info("demo knowledge base published", slog.Int("entries", len(demo)))
	}
	return nil
}

// waitFor polls ready every interval until it holds or ctx ends.
func waitFor(ctx context.Context, every time.Duration, ready func() bool) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for !ready() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// startAudit follows the audit topic into the tenants, the API tokens, the
// local accounts, the erased conversations and the test campaigns, and waits
// until the log has been read once: the projector starts with every erasure
// known. Then it declares the demo's tenants (--demo) and those of --tenants
// that the log does not hold as they are.
func (s *server) startAudit(ctx context.Context) error {
	s.tenants = tenant.NewRegistry(s.pub)
	s.tokens = auth.NewTokens(s.pub, s.cfg.Tenant)
	s.accounts = auth.NewAccounts(s.pub, s.cfg.Tenant)
	s.accounts.SessionMaxAge = s.cfg.SessionMaxAge
	s.wg.Go(func() { s.accounts.RunJanitor(ctx) })
	s.erasures = projections.NewErasures()
	s.campaigns = campaigns.NewState()
	apply := func(env events.Envelope, p events.Payload) {
		s.tenants.Apply(env, p)
		s.tokens.Apply(env, p)
		s.accounts.Apply(env, p)
		s.erasures.Apply(env, p)
		s.campaigns.Apply(env, p)
	}
	if err := s.follow(ctx, "audit follower", events.TopicAudit, apply, func() {}); err != nil {
		return err
	}
	var declare []tenant.Tenant
	if s.cfg.Demo {
		declare = append(declare, tenant.Demo()...)
	}
	if s.cfg.TenantsFile != "" {
		ts, err := tenant.Load(s.cfg.TenantsFile)
		if err != nil {
			return err
		}
		declare = append(declare, ts...)
	}
	if n, err := s.tenants.Sync(ctx, declare, "parvis serve"); err != nil {
		return fmt.Errorf("declare tenants: %w", err)
	} else if n > 0 {
		s.log.Info("tenants declared", slog.Int("declared", n))
	}
	return nil
}

// follow follows a single-partition topic in the background, calling onChange
// after each batch of changes, and returns once the topic has been read to its
// end as it was at start.
func (s *server) follow(ctx context.Context, what, topic string, apply func(events.Envelope, events.Payload), onChange func()) error {
	return followToEnd(ctx, s.brokers, topic, apply, onChange, s.log, func(follow func() error) { s.goRun(what, follow) })
}

// startMiner groups unmet demand (miner role), in one process at a time: the
// miners elect their leader through a Kafka consumer group, the others stand by.
func (s *server) startMiner(ctx context.Context) error {
	if !s.cfg.has("miner") {
		return nil
	}
	s.miner = mining.NewMiner(mining.Config{RegroupEvery: s.cfg.RegroupEvery, Erased: s.erasures, Logger: s.log}, s.queries)
	s.goRun("miner", func() error {
		return eventlog.Lead(ctx, s.brokers, "parvis-miner", events.TopicAudit, s.miner.Run, s.log)
	})
	return nil
}

// startChat runs conversations, ending the idle ones.
func (s *server) startChat(ctx context.Context) error {
	perConversation := 0
	if s.cfg.ChatRate > 0 {
		perConversation = 30 // what a person can type, whatever the address's budget
	}
	// Any API process continues any conversation: each follows the
	// conversations the others start, from the log.
	peers := ingest.NewPeers(2 * time.Hour)
	tail, err := eventlog.StartTail(ctx, s.brokers, events.TopicConversations, peers.Apply, s.log)
	if err != nil {
		return fmt.Errorf("follow the conversations: %w", err)
	}
	peers.Follow(tail)
	s.chat = ingest.NewService(ingest.Config{Tenant: s.cfg.Tenant, Tenants: s.tenants, Engines: s.engines, MaxRunes: s.cfg.MaxMessage,
		ConversationRate: perConversation, Peers: peers, Desk: s.desk, Erased: s.erasures, Logger: s.log}, s.engine, s.pub, s.queries)
	s.wg.Go(func() { s.chat.RunJanitor(ctx) })
	return nil
}

// startAPI mounts GraphQL, sign-in, the widget, the dashboards and, with --demo,
// the demo town's site (api role).
func (s *server) startAPI(ctx context.Context) error {
	if !s.cfg.has("api") {
		return nil
	}
	writer := &kb.Writer{Log: s.pub, State: s.kb, Tenant: s.cfg.Tenant, FourEyes: s.cfg.KBFourEyes,
		Scope: auth.ServicesFrom}
	res := &graphql.Resolver{Chat: s.chat, Tenant: s.cfg.Tenant, Engine: s.engine, Engines: s.engines, Queries: s.queries, Logger: s.log,
		// A burst of two thirds of the minute's budget, so that a building behind
		// one address is not throttled.
		Public: web.NewBurstLimiter(s.cfg.ChatRate, s.cfg.ChatRate*2/3),
		KB:     writer, Suggestions: &mining.Reviewer{Queries: s.queries, KB: writer}, Tokens: s.tokens, Users: s.accounts,
		Registry: s.tenants,
		Erasures: s.erasures, RetentionDays: s.cfg.RetentionDays, Desk: s.desk, HelpfulFloor: s.cfg.HelpfulFloor,
		CampaignState: s.campaigns, Creator: &campaigns.Creator{Log: s.pub, State: s.campaigns, Tenant: s.cfg.Tenant},
		Assigner: &campaigns.Assigner{Queries: s.queries, KB: writer}, InviteBase: s.cfg.InviteBase(),
		Audit: func(ctx context.Context, p events.Payload) error {
			_, err := s.pub.Emit(ctx, s.cfg.Tenant, "", p)
			return err
		}}
	if s.cfg.CheckLinks {
		res.Links = &linkcheck.Checker{Entries: func() []kb.Entry { e, _ := s.kb.Published(); return e }, PerMinute: s.cfg.CheckLinksRate}
		s.wg.Go(func() { res.Links.Run(ctx) })
	}
	if s.projector != nil {
		res.Replay = projections.NewReplayJob(ctx, func(ctx context.Context, progress func(projections.ReplayReport)) (projections.ReplayReport, error) {
			rep, err := projections.Replay(ctx, s.store, s.brokers, s.projector, s.log, progress)
			if err == nil && s.miner != nil {
				err = s.miner.Rebuild(ctx) // the mining tables derive from the replayed ones
			}
			return rep, err
		})
	}
	authn := auth.Authenticator{AdminToken: s.cfg.AdminToken, Tokens: s.tokens, Accounts: s.accounts,
		Limit: web.NewLimiter(s.cfg.TokenRate), Failures: web.NewBurstLimiter(10, 10), OIDC: s.cfg.OIDC.Issuer != ""}
	if s.cfg.OIDC.Issuer != "" {
		sso, err := auth.NewOIDC(ctx, s.cfg.OIDC, s.accounts, s.log)
		if err != nil {
			return err
		}
		s.mux.Handle("/auth/oidc/", sso.Handler())
	}
	api := web.CORS(s.cfg.AllowedOrigins(), graphql.NewHandler(res, authn, s.cfg.Introspection))
	s.mux.Handle("/auth/", authn.SessionHandler())
	s.mux.Handle("POST /graphql", api)
	s.mux.Handle("GET /graphql", api)
	s.mux.Handle("OPTIONS /graphql", api)
	s.mux.Handle("GET /widget.js", ingest.WidgetHandler())
	s.mux.Handle("GET /dashboards/", dashboards.Handler())
	s.mux.Handle("GET /favicon.svg", dashboards.Favicon())
	s.mux.Handle("GET /opendata/{tenant}/{file}", graphql.NewOpenDataHandler(res, authn))
	s.mountSites()
	return nil
}

// mountSites mounts the page with the widget that test campaigns' invite URLs
// open on a deployment without a demo site and, with --demo, the demo towns'
// sites.
func (s *server) mountSites() {
	s.mux.Handle("GET /essai", ingest.InvitePage())
	if s.cfg.Demo {
		site := ingest.DemoSite()
		s.mux.Handle("GET /{$}", site)
		s.mux.Handle("GET /confidentialite", site)
		s.mux.Handle("GET /site.css", site)
		s.mux.Handle("GET /saint-aubin-sur-leze", site)
	}
}

// startProbes mounts /metrics (on --metrics-addr when given, so that it can stay
// internal, with the profiles under /debug/pprof/), /healthz and /readyz (every role).
func (s *server) startProbes(context.Context) error {
	if s.cfg.MetricsAddr != "" {
		s.internal = http.NewServeMux()
		s.internal.Handle("GET /metrics", promhttp.Handler())
		// Profiles of the running process (CPU, heap, goroutines), internal
		// only: they tell where a request's time goes under real traffic.
		s.internal.HandleFunc("GET /debug/pprof/", pprof.Index)
		s.internal.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		s.internal.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	} else {
		s.mux.Handle("GET /metrics", promhttp.Handler())
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		rctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		var problems []string
		if err := s.store.Ping(rctx); err != nil {
			problems = append(problems, "ClickHouse injoignable")
		}
		if err := eventlog.Ping(rctx, s.brokers); err != nil {
			problems = append(problems, "broker Kafka injoignable")
		}
		if len(problems) > 0 {
			http.Error(w, "pas prêt : "+strings.Join(problems, ", "), http.StatusServiceUnavailable)
			return
		}
		// The knowledge base was read to its end before serving began. An
		// empty one is a town's first hour, not a fault: its administrators
		// import it from the studio, which a proxy waiting for readiness
		// would otherwise never let them reach.
		if s.engine.Index().Len() == 0 {
			fmt.Fprintln(w, "prêt (base de connaissances vide : importez-la depuis l'atelier ou avec parvis kb import)")
			return
		}
		fmt.Fprintln(w, "prêt")
	})
	return nil
}
