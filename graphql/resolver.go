package graphql

import (
	"context"
	"log/slog"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/campaigns"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/linkcheck"
	"github.com/parvis-civic/parvis/mining"
	"github.com/parvis-civic/parvis/opendata"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/tenant"
	"github.com/parvis-civic/parvis/web"
)

// Chat runs citizens' conversations; ingest.Service is the one in production.
type Chat interface {
	Start(ctx context.Context, st ingest.Start) (ingest.Conversation, error)
	SendOnce(ctx context.Context, conversationID, messageID, text string) (ingest.Reply, error)
	Feedback(ctx context.Context, conversationID string, helpful bool, comment string) error
	Choose(ctx context.Context, conversationID, entryID string) (ingest.Reply, error)
	File(ctx context.Context, f demandes.Form) (demandes.Demande, error)
	FinishScenario(ctx context.Context, conversationID string, scenario int, done bool) error
}

// Resolver holds what the resolvers need. It is written by hand; gqlgen
// generates the rest.
type Resolver struct {
	Chat Chat
	// Tenant is the deployment's default tenant: of the conversations whose
	// widget names none, declared or not.
	Tenant string
	Engine *bot.Engine // over every published entry
	// Engines answer each tenant's citizens from the entries that are theirs
	// (see [ingest.Engines]); what a caller of a territory tries is decided
	// there. nil: Engine for every caller.
	Engines *ingest.Engines
	Queries *projections.Queries
	KB      *kb.Writer
	// Suggestions are the phrasings drawn from the conversations for the
	// experts' verdict.
	Suggestions *mining.Reviewer
	Tokens      *auth.Tokens
	Users       *auth.Accounts // local accounts
	// Registry holds the declared tenants and turns a caller's scope into the
	// tenants it sees; nil: none declared.
	Registry *tenant.Registry
	// Replay rebuilds the projections in the background; nil when this process
	// does not run them.
	Replay *projections.ReplayJob
	// Audit appends an administrator's action to the audit log.
	Audit func(ctx context.Context, p events.Payload) error
	// Public bounds the public operations a minute of each client address
	// (conversations started, messages, feedback, searches; every alias counts);
	// nil: no limit.
	Public *web.Limiter
	// Erasures is the set of erased conversations (nil: none known).
	Erasures *projections.Erasures
	// RetentionDays is how long conversations are kept (0: for ever), told in
	// exports.
	RetentionDays int
	// Desk holds the demandes (the agents' service desk); nil: demandes are
	// not filed here.
	Desk   *demandes.Desk
	Logger *slog.Logger
	// OpenDataExtra gives the open data file more figures (the demandes'),
	// under the same small-count rule; nil: the conversations' figures only.
	OpenDataExtra []opendata.Source

	// Citizen test campaigns: the campaigns known, how they are created, an
	// expert's assignments of testers' phrasings, and the page invite URLs
	// open (the town's site with the widget).
	CampaignState *campaigns.State
	Creator       *campaigns.Creator
	Assigner      *campaigns.Assigner
	InviteBase    string

	// Links checks the links of the published answers in the background; nil
	// when serve --check-links is off.
	Links *linkcheck.Checker
	// HelpfulFloor is the helpful rate under which the studio flags an entry
	// (with enough feedback).
	HelpfulFloor float64

	trials trialCache // engines of the drafts tried in the studio (trial.go)
}
