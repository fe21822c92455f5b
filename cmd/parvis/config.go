package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/auth"
)

// config is the configuration of `parvis serve`, from flags and PARVIS_*
// variables (a flag wins over its variable).
type config struct {
	Data          string
	Addr          string
	Demo          bool
	Kafka         string
	ClickHouse    string
	BrokerListen  string
	Roles         []string
	AdminToken    string
	Tenant        string
	MaxMessage    int
	ChatRate      int
	Origins       string
	ShutdownWait  time.Duration
	RegroupEvery  time.Duration
	Introspection bool
	TokenRate     int
	OIDC          auth.OIDCConfig
	// RetentionDays is how long conversations are kept, in ClickHouse and on
	// the embedded broker's log; 0 keeps them for ever.
	RetentionDays int
}

var knownRoles = []string{"api", "projector", "miner"}

func parseServe(args []string) (config, error) {
	c := config{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.Data, "data", env("PARVIS_DATA", "./data"), "data directory (embedded broker, embedded ClickHouse, outbox)")
	fs.StringVar(&c.Addr, "addr", env("PARVIS_ADDR", "127.0.0.1:8080"), "HTTP address")
	fs.BoolVar(&c.Demo, "demo", false, "load the demo town's knowledge base if none is loaded")
	fs.StringVar(&c.Kafka, "kafka", env("PARVIS_KAFKA", ""), "Kafka brokers (host:port,...); empty: embedded broker")
	fs.StringVar(&c.ClickHouse, "clickhouse", env("PARVIS_CLICKHOUSE", ""), "ClickHouse DSN clickhouse://user:pass@host:9000/db; empty: embedded")
	fs.StringVar(&c.BrokerListen, "broker-listen", env("PARVIS_BROKER_LISTEN", "127.0.0.1:9092"), "address of the embedded broker")
	roles := fs.String("role", env("PARVIS_ROLE", "api,projector,miner"), "roles to run: api, projector, miner")
	fs.DurationVar(&c.RegroupEvery, "regroup-every", 10*time.Minute, "how often the miner regroups every unanswered question")
	fs.StringVar(&c.Tenant, "tenant", env("PARVIS_TENANT", "montclar"), "tenant id written on every event")
	fs.IntVar(&c.MaxMessage, "max-message", 2000, "longest citizen message, in characters")
	fs.IntVar(&c.ChatRate, "chat-rate-limit", 120, "messages a minute allowed per client address (0: no limit)")
	fs.StringVar(&c.Origins, "allowed-origins", env("PARVIS_ALLOWED_ORIGINS", "*"), "sites allowed to embed the widget (comma-separated origins, * for any)")
	fs.BoolVar(&c.Introspection, "graphql-introspection", false, "let clients read the GraphQL schema (introspection)")
	fs.IntVar(&c.TokenRate, "token-rate-limit", 600, "API requests a minute allowed per token or account (0: no limit)")
	fs.StringVar(&c.OIDC.Issuer, "oidc-issuer", env("PARVIS_OIDC_ISSUER", ""), "OpenID Connect provider of the authority (empty: local accounts only)")
	fs.StringVar(&c.OIDC.ClientID, "oidc-client-id", env("PARVIS_OIDC_CLIENT_ID", ""), "client id registered at the provider")
	fs.StringVar(&c.OIDC.RedirectURL, "oidc-redirect-url", env("PARVIS_OIDC_REDIRECT_URL", ""), "callback URL registered at the provider (empty: from the request's host)")
	fs.StringVar(&c.OIDC.RoleClaim, "oidc-role-claim", "parvis_role", "ID token claim holding the Parvis role")
	fs.StringVar(&c.OIDC.DefaultRole, "oidc-default-role", "", "role when the claim is missing (empty: refuse)")
	fs.DurationVar(&c.ShutdownWait, "shutdown-timeout", 10*time.Second, "how long to wait for requests to finish on shutdown")
	retention := fs.String("retention-days", env("PARVIS_RETENTION_DAYS", "365"), "days conversations are kept in ClickHouse and on the embedded broker's log (0: for ever)")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	for _, r := range strings.Split(*roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			c.Roles = append(c.Roles, r)
		}
	}
	days, err := strconv.Atoi(*retention)
	if err != nil {
		return c, fmt.Errorf("%w: --retention-days %q: want a number of days (0: for ever)", errUsage, *retention)
	}
	c.RetentionDays = days
	c.AdminToken = os.Getenv("PARVIS_ADMIN_TOKEN")
	c.OIDC.ClientSecret = os.Getenv("PARVIS_OIDC_CLIENT_SECRET")
	return c, c.Validate()
}

// Validate reports a configuration that cannot run, saying which setting is wrong.
func (c config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: want HOST:PORT", c.Addr))
	}
	if c.Kafka == "" {
		if _, _, err := net.SplitHostPort(c.BrokerListen); err != nil {
			errs = append(errs, fmt.Errorf("--broker-listen %q: want HOST:PORT", c.BrokerListen))
		}
	}
	if c.ClickHouse != "" && !strings.HasPrefix(c.ClickHouse, "clickhouse://") && !strings.HasPrefix(c.ClickHouse, "tcp://") {
		errs = append(errs, fmt.Errorf("--clickhouse %q: want clickhouse://user:pass@host:9000/db", c.ClickHouse))
	}
	if len(c.Roles) == 0 {
		errs = append(errs, errors.New("--role: name at least one role (api, projector, miner)"))
	}
	for _, r := range c.Roles {
		if !slices.Contains(knownRoles, r) {
			errs = append(errs, fmt.Errorf("--role: unknown role %q (want %s)", r, strings.Join(knownRoles, ", ")))
		}
	}
	if c.ClickHouse == "" && len(c.Roles) < len(knownRoles) {
		errs = append(errs, errors.New("--role: the embedded ClickHouse cannot be shared, run every role in one process or give --clickhouse"))
	}
	if c.MaxMessage < 1 || c.MaxMessage > 100000 {
		errs = append(errs, fmt.Errorf("--max-message %d: want 1 to 100000", c.MaxMessage))
	}
	for _, o := range c.AllowedOrigins() {
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "") {
			errs = append(errs, fmt.Errorf("--allowed-origins: %q is not an origin like https://www.ville.fr (or *)", o))
		}
	}
	if c.OIDC.Issuer != "" && c.OIDC.ClientID == "" {
		errs = append(errs, errors.New("--oidc-client-id: needed with --oidc-issuer"))
	}
	if _, ok := auth.ParseRole(c.OIDC.DefaultRole); c.OIDC.DefaultRole != "" && !ok {
		errs = append(errs, fmt.Errorf("--oidc-default-role %q: want ADMIN, ANALYST, EXPERT, ELECTED or AGENT", c.OIDC.DefaultRole))
	}
	if c.RegroupEvery < time.Minute {
		errs = append(errs, fmt.Errorf("--regroup-every %s: at least 1m", c.RegroupEvery))
	}
	if c.RetentionDays < 0 {
		errs = append(errs, fmt.Errorf("--retention-days %d: want 0 (keep for ever) or more", c.RetentionDays))
	}
	if c.ChatRate < 0 {
		errs = append(errs, fmt.Errorf("--chat-rate-limit %d: want 0 or more", c.ChatRate))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

func (c config) has(role string) bool { return slices.Contains(c.Roles, role) }

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
