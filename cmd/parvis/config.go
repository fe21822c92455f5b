package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/semantic"
	"github.com/parvis-civic/parvis/tenant"
	"github.com/parvis-civic/parvis/web"
)

// config is the configuration of `parvis serve`, from flags and PARVIS_*
// variables (a flag wins over its variable).
type config struct {
	Data string
	Addr string
	Demo bool
	// DemoHistory is the days of the demo territory's past that --demo writes
	// on a log without conversations; 0: none.
	DemoHistory   int
	Kafka         string
	ClickHouse    string
	BrokerListen  string
	Roles         []string
	AdminToken    string
	Tenant        string
	TenantsFile   string // --tenants: tenants declared at start
	MaxMessage    int
	ChatRate      int
	Origins       string
	ShutdownWait  time.Duration
	RegroupEvery  time.Duration
	Introspection bool
	TokenRate     int
	Proxies       string // --trusted-proxies
	MetricsAddr   string
	OIDC          auth.OIDCConfig
	SessionMaxAge time.Duration
	// RetentionDays is how long conversations are kept, in ClickHouse and on
	// the embedded broker's log; 0 keeps them for ever.
	RetentionDays int
	// SemanticModel is the directory of a sentence-embedding model; empty: off.
	SemanticModel string
	Demandes      demandesConfig
	// CampaignURL is the page invite URLs of test campaigns open (the town's
	// site with the widget); empty: the demo site of --addr.
	CampaignURL string
	// KBFourEyes: the author of a draft cannot validate it.
	KBFourEyes bool
	// CheckLinks checks the links of the published answers in the background,
	// at most CheckLinksRate requests a minute.
	CheckLinks     bool
	CheckLinksRate int
	// HelpfulFloor is the helpful rate under which the studio flags an entry.
	HelpfulFloor float64
}

var knownRoles = []string{"api", "projector", "miner"}

func parseServe(args []string) (config, error) {
	c := config{}
	fs := newFlags("serve", "parvis serve [--data DIR] [--addr HOST:PORT] [--demo] [--kafka BROKERS --clickhouse DSN] [--role api,projector,miner]\n\n"+
		"Everything in one process by default (embedded broker and ClickHouse under --data).\n"+
		"Secrets come from the environment only: PARVIS_ADMIN_TOKEN (32 characters at least), PARVIS_OIDC_CLIENT_SECRET,\n"+
		"PARVIS_DEMANDE_SECRET (32 characters at least, the same for every api process).")
	fs.StringVar(&c.Data, "data", env("PARVIS_DATA", "./data"), "data directory (embedded broker, embedded ClickHouse, outbox) [PARVIS_DATA]")
	fs.StringVar(&c.Addr, "addr", env("PARVIS_ADDR", "127.0.0.1:8080"), "HTTP address [PARVIS_ADDR]")
	fs.BoolVar(&c.Demo, "demo", false, "the demo: its towns, their knowledge base if none is loaded, one dashboards account per role with passwords printed at start [PARVIS_DEMO]")
	history := fs.String("demo-history", env("PARVIS_DEMO_HISTORY", "90"), "with --demo, days of the demo territory's past written when the log holds no conversation yet (0: none) [PARVIS_DEMO_HISTORY]")
	fs.StringVar(&c.Kafka, "kafka", env("PARVIS_KAFKA", ""), "Kafka brokers (host:port,...); empty: embedded broker [PARVIS_KAFKA]")
	fs.StringVar(&c.ClickHouse, "clickhouse", env("PARVIS_CLICKHOUSE", ""), "ClickHouse DSN clickhouse://user:pass@host:9000/db; empty: embedded [PARVIS_CLICKHOUSE]")
	fs.StringVar(&c.BrokerListen, "broker-listen", env("PARVIS_BROKER_LISTEN", "127.0.0.1:9092"), "address of the embedded broker [PARVIS_BROKER_LISTEN]")
	roles := fs.String("role", env("PARVIS_ROLE", "api,projector,miner"), "roles to run: api, projector, miner [PARVIS_ROLE]")
	fs.DurationVar(&c.RegroupEvery, "regroup-every", 10*time.Minute, "how often the miner regroups every unanswered question [PARVIS_REGROUP_EVERY]")
	fs.StringVar(&c.Tenant, "tenant", env("PARVIS_TENANT", kb.DemoTown), "default tenant: of the conversations whose widget names none, and of the platform's audit events [PARVIS_TENANT]")
	fs.StringVar(&c.TenantsFile, "tenants", env("PARVIS_TENANTS", ""), "YAML file of the communes and intercommunalités served, declared on the log at start when they differ [PARVIS_TENANTS]")
	fs.IntVar(&c.MaxMessage, "max-message", 2000, "longest citizen message, in characters [PARVIS_MAX_MESSAGE]")
	fs.IntVar(&c.ChatRate, "chat-rate-limit", 120, "public operations a minute allowed per client address: conversations, messages, feedback, searches (0: no limit) [PARVIS_CHAT_RATE_LIMIT]")
	fs.StringVar(&c.Origins, "allowed-origins", env("PARVIS_ALLOWED_ORIGINS", "*"), "sites allowed to embed the widget (comma-separated origins, * for any) [PARVIS_ALLOWED_ORIGINS]")
	fs.StringVar(&c.CampaignURL, "campaign-url", env("PARVIS_CAMPAIGN_URL", ""), "page with the widget that test campaigns' invite URLs open; empty: the demo site at --addr, or its /essai page without --demo [PARVIS_CAMPAIGN_URL]")
	fs.BoolVar(&c.Introspection, "graphql-introspection", false, "let clients read the GraphQL schema (introspection) [PARVIS_GRAPHQL_INTROSPECTION]")
	fs.IntVar(&c.TokenRate, "token-rate-limit", 600, "API requests a minute allowed per token or account (0: no limit) [PARVIS_TOKEN_RATE_LIMIT]")
	fs.StringVar(&c.Proxies, "trusted-proxies", env("PARVIS_TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For and X-Forwarded-Proto tell the client's address and scheme (addresses or CIDR prefixes, comma-separated) [PARVIS_TRUSTED_PROXIES]")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("PARVIS_METRICS_ADDR", ""), "serve /metrics on this internal HOST:PORT only (empty: on --addr) [PARVIS_METRICS_ADDR]")
	fs.StringVar(&c.OIDC.Issuer, "oidc-issuer", env("PARVIS_OIDC_ISSUER", ""), "OpenID Connect provider of the authority (empty: local accounts only) [PARVIS_OIDC_ISSUER]")
	fs.StringVar(&c.OIDC.ClientID, "oidc-client-id", env("PARVIS_OIDC_CLIENT_ID", ""), "client id registered at the provider [PARVIS_OIDC_CLIENT_ID]")
	fs.StringVar(&c.OIDC.RedirectURL, "oidc-redirect-url", env("PARVIS_OIDC_REDIRECT_URL", ""), "callback URL registered at the provider, https://HOST/auth/oidc/callback (needed with --oidc-issuer) [PARVIS_OIDC_REDIRECT_URL]")
	fs.StringVar(&c.OIDC.RoleClaim, "oidc-role-claim", "parvis_role", "ID token claim holding the Parvis role [PARVIS_OIDC_ROLE_CLAIM]")
	fs.StringVar(&c.OIDC.DefaultRole, "oidc-default-role", "", "role when the claim is missing (empty: refuse) [PARVIS_OIDC_DEFAULT_ROLE]")
	fs.StringVar(&c.OIDC.TenantClaim, "oidc-tenant-claim", "parvis_tenant", "ID token claim holding the tenant a person sees (a commune or an intercommunalité); without it, the whole platform [PARVIS_OIDC_TENANT_CLAIM]")
	fs.DurationVar(&c.SessionMaxAge, "session-max-age", auth.DefaultSessionMaxAge, "a dashboard session ends this long after sign-in, however often it is used (1m to 168h) [PARVIS_SESSION_MAX_AGE]")
	fs.DurationVar(&c.ShutdownWait, "shutdown-timeout", 10*time.Second, "how long to wait for requests to finish on shutdown [PARVIS_SHUTDOWN_TIMEOUT]")
	c.Demandes.flags(fs)
	retention := fs.String("retention-days", env("PARVIS_RETENTION_DAYS", "365"), "days conversations are kept in ClickHouse and on the embedded broker's log (0: for ever) [PARVIS_RETENTION_DAYS]")
	fs.StringVar(&c.SemanticModel, "semantic-model", env("PARVIS_SEMANTIC_MODEL", ""), semanticUsage)
	fs.BoolVar(&c.KBFourEyes, "kb-four-eyes", false, "« second pair of eyes »: the author of a knowledge base draft cannot validate it [PARVIS_KB_FOUR_EYES]")
	fs.BoolVar(&c.CheckLinks, "check-links", false, "check the links of the published answers in the background (requests to the sites linked) [PARVIS_CHECK_LINKS]")
	fs.IntVar(&c.CheckLinksRate, "check-links-per-minute", 30, "most link checks a minute (1 to 600) [PARVIS_CHECK_LINKS_PER_MINUTE]")
	fs.Float64Var(&c.HelpfulFloor, "kb-helpful-threshold", 0.5, "the studio flags an entry whose helpful rate falls below this share (with 5 feedbacks at least) [PARVIS_KB_HELPFUL_THRESHOLD]")
	if err := parseFlags(fs, args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: argument inattendu %q (les options commencent par --)", errUsage, fs.Arg(0))
	}
	for _, r := range strings.Split(*roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			c.Roles = append(c.Roles, r)
		}
	}
	days, err := strconv.Atoi(*retention)
	if err != nil {
		return c, fmt.Errorf("%w: --retention-days : valeur invalide %q ; attendu : un nombre de jours (0 : sans limite)", errUsage, *retention)
	}
	c.RetentionDays = days
	if c.DemoHistory, err = strconv.Atoi(*history); err != nil {
		return c, fmt.Errorf("%w: --demo-history : valeur invalide %q ; attendu : un nombre de jours (0 : aucune histoire)", errUsage, *history)
	}
	c.AdminToken = os.Getenv("PARVIS_ADMIN_TOKEN")
	c.OIDC.ClientSecret = os.Getenv("PARVIS_OIDC_CLIENT_SECRET")
	c.Demandes.Secret = os.Getenv("PARVIS_DEMANDE_SECRET")
	return c, namingVariables(fs, c.Validate())
}

// brokerList reads --kafka: brokers separated by commas, spaces around them
// allowed (« k1:9092, k2:9092 »).
func brokerList(kafka string) []string {
	bs := strings.Split(kafka, ",")
	for i, b := range bs {
		bs[i] = strings.TrimSpace(b)
	}
	return bs
}

// hostPort reports whether s is HOST:PORT with a port from 1 to 65535; a
// listening address may leave its host empty (« :8080 », every interface).
func hostPort(s string, listen bool) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" && !listen {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// checkBrokers refuses a broker of --kafka that is not HOST:PORT.
func checkBrokers(list string) []error {
	var errs []error
	for _, b := range brokerList(list) {
		if !hostPort(b, false) {
			errs = append(errs, fmt.Errorf("--kafka : %q n'est pas une adresse HÔTE:PORT (brokers séparés par des virgules, comme kafka1:9092,kafka2:9092)", b))
		}
	}
	return errs
}

// checkDSN refuses a --clickhouse that names no ClickHouse server; several
// servers are separated by commas (clickhouse://ch1:9000,ch2:9000/db).
func checkDSN(dsn string) error {
	bad := fmt.Errorf("--clickhouse : %q n'est pas un DSN comme clickhouse://user:pass@host:9000/db", dsn)
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme != "clickhouse" && u.Scheme != "tcp" || u.Host == "" {
		return bad
	}
	for _, h := range strings.Split(u.Host, ",") {
		if h == "" || strings.Contains(h, ":") && !hostPort(h, false) {
			return bad
		}
	}
	return nil
}

// Validate reports a configuration that cannot run, saying which setting is wrong.
func (c config) Validate() error {
	var errs []error
	if !hostPort(c.Addr, true) {
		errs = append(errs, fmt.Errorf("--addr : %q n'est pas une adresse HÔTE:PORT", c.Addr))
	}
	if c.Kafka == "" {
		if !hostPort(c.BrokerListen, true) {
			errs = append(errs, fmt.Errorf("--broker-listen : %q n'est pas une adresse HÔTE:PORT", c.BrokerListen))
		}
	} else {
		// A broker without its port is never dialled: the process would wait
		// for it in silence (measured: `--kafka nowhere` said nothing for 30 s).
		errs = append(errs, checkBrokers(c.Kafka)...)
	}
	if c.ClickHouse != "" {
		if err := checkDSN(c.ClickHouse); err != nil {
			errs = append(errs, err)
		}
	}
	if len(c.Roles) == 0 {
		errs = append(errs, fmt.Errorf("--role : aucun rôle ; valeurs acceptées : %s", strings.Join(knownRoles, ", ")))
	}
	unknown := false
	for _, r := range c.Roles {
		if !slices.Contains(knownRoles, r) {
			errs = append(errs, fmt.Errorf("--role : valeur inconnue %q ; valeurs acceptées : %s", r, strings.Join(knownRoles, ", ")))
			unknown = true
		}
	}
	if c.ClickHouse == "" && len(c.Roles) < len(knownRoles) && !unknown {
		errs = append(errs, errors.New("--role : le ClickHouse embarqué ne se partage pas ; lancez tous les rôles dans un processus ou donnez --clickhouse"))
	}
	if c.MaxMessage < 1 || c.MaxMessage > 100000 {
		errs = append(errs, fmt.Errorf("--max-message : %d ; attendu : de 1 à 100000", c.MaxMessage))
	}
	for _, o := range c.AllowedOrigins() {
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "") {
			errs = append(errs, fmt.Errorf("--allowed-origins : %q n'est pas une origine comme https://www.ville.fr (ou *)", o))
		}
	}
	if u, err := url.Parse(c.CampaignURL); c.CampaignURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("--campaign-url : %q n'est pas l'adresse d'une page comme https://www.ville.fr/", c.CampaignURL))
	}
	if c.OIDC.Issuer != "" && c.OIDC.ClientID == "" {
		errs = append(errs, errors.New("--oidc-client-id : obligatoire avec --oidc-issuer"))
	}
	if c.OIDC.Issuer != "" && c.OIDC.RedirectURL == "" {
		errs = append(errs, errors.New("--oidc-redirect-url : obligatoire avec --oidc-issuer (l'adresse de retour déclarée chez le fournisseur, comme https://parvis.ville.fr/auth/oidc/callback)"))
	} else if u, err := url.Parse(c.OIDC.RedirectURL); c.OIDC.RedirectURL != "" &&
		(err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.HasSuffix(u.Path, "/auth/oidc/callback")) {
		errs = append(errs, fmt.Errorf("--oidc-redirect-url : %q ; attendu : une adresse comme https://parvis.ville.fr/auth/oidc/callback", c.OIDC.RedirectURL))
	}
	if c.SessionMaxAge < time.Minute || c.SessionMaxAge > 7*24*time.Hour {
		errs = append(errs, fmt.Errorf("--session-max-age : %s ; attendu : de 1m à 168h", c.SessionMaxAge))
	}
	if _, ok := auth.ParseRole(c.OIDC.DefaultRole); c.OIDC.DefaultRole != "" && !ok {
		errs = append(errs, fmt.Errorf("--oidc-default-role : valeur inconnue %q ; valeurs acceptées : ADMIN, ANALYST, EXPERT, ELECTED, AGENT", c.OIDC.DefaultRole))
	}
	if c.RegroupEvery < time.Minute {
		errs = append(errs, fmt.Errorf("--regroup-every : %s ; attendu : 1m au moins", c.RegroupEvery))
	}
	if n := len(c.AdminToken); n > 0 && n < minAdminToken {
		errs = append(errs, fmt.Errorf("PARVIS_ADMIN_TOKEN : %d caractères ; attendu : %d au moins (par exemple openssl rand -base64 32)", n, minAdminToken))
	}
	if _, err := web.ParseProxies(c.Proxies); err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies : %v", err))
	}
	if c.MetricsAddr != "" {
		if !hostPort(c.MetricsAddr, true) || c.MetricsAddr == c.Addr {
			errs = append(errs, fmt.Errorf("--metrics-addr : %q ; attendu : une adresse HÔTE:PORT autre que --addr", c.MetricsAddr))
		}
	}
	if c.RetentionDays < 0 {
		errs = append(errs, fmt.Errorf("--retention-days : %d ; attendu : 0 (sans limite) ou plus", c.RetentionDays))
	}
	if c.DemoHistory < 0 || c.DemoHistory > 366 {
		errs = append(errs, fmt.Errorf("--demo-history : %d ; attendu : de 0 (aucune histoire) à 366 jours", c.DemoHistory))
	} else if c.RetentionDays > 0 && c.DemoHistory > c.RetentionDays {
		errs = append(errs, fmt.Errorf("--demo-history : %d jours, plus que les %d que garde --retention-days", c.DemoHistory, c.RetentionDays))
	}
	if c.TenantsFile != "" {
		if _, err := tenant.Load(c.TenantsFile); err != nil {
			errs = append(errs, fmt.Errorf("--tenants : %v", err))
		}
	}
	if c.ChatRate < 0 {
		errs = append(errs, fmt.Errorf("--chat-rate-limit : %d ; attendu : 0 (sans limite) ou plus", c.ChatRate))
	}
	// A negative limit would be read as none: a sign typed by mistake must not
	// lift the limit on every token.
	if c.TokenRate < 0 {
		errs = append(errs, fmt.Errorf("--token-rate-limit : %d ; attendu : 0 (sans limite) ou plus", c.TokenRate))
	}
	if c.ShutdownWait < 0 {
		errs = append(errs, fmt.Errorf("--shutdown-timeout : %s ; attendu : 0s ou plus", c.ShutdownWait))
	}
	if c.CheckLinksRate < 1 || c.CheckLinksRate > 600 {
		errs = append(errs, fmt.Errorf("--check-links-per-minute : %d ; attendu : de 1 à 600", c.CheckLinksRate))
	}
	if !(c.HelpfulFloor >= 0 && c.HelpfulFloor <= 1) { // NaN too
		errs = append(errs, fmt.Errorf("--kb-helpful-threshold : %v ; attendu : une part entre 0 et 1, comme 0.5", c.HelpfulFloor))
	}
	if c.SemanticModel != "" {
		if err := semantic.Check(c.SemanticModel); err != nil {
			errs = append(errs, fmt.Errorf("--semantic-model : %v", err))
		}
	}
	errs = append(errs, c.Demandes.validate()...)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// minAdminToken is the shortest PARVIS_ADMIN_TOKEN accepted: the bootstrap admin
// token is a password with every right, it must not be guessable.
const minAdminToken = 32

// TrustedProxies returns the parsed --trusted-proxies (checked by Validate).
func (c config) TrustedProxies() []netip.Prefix {
	p, _ := web.ParseProxies(c.Proxies)
	return p
}

func (c config) has(role string) bool { return slices.Contains(c.Roles, role) }

// InviteBase returns the page test campaigns' invite URLs open: the town's
// page given, else the demo site or, without it, the deployment's own page
// with the widget (/essai).
func (c config) InviteBase() string {
	switch {
	case c.CampaignURL != "":
		return c.CampaignURL
	case c.Demo:
		return "http://" + c.Addr + "/"
	}
	return "http://" + c.Addr + "/essai"
}

// AllowedOrigins returns the origins allowed to embed the widget.
func (c config) AllowedOrigins() []string {
	var out []string
	for _, o := range strings.Split(c.Origins, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			out = append(out, o)
		}
	}
	return out
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
