package events

import "time"

// Payload is the body of an event of one type.
type Payload interface {
	EventType() string
}

// Event types.
const (
	TypeConversationStarted = "conversation.started"
	TypeUtteranceReceived   = "utterance.received"
	TypeBotDecision         = "bot.decision"
	TypeFeedbackGiven       = "feedback.given"
	TypeConversationEnded   = "conversation.ended"
	TypeKBEntryDrafted      = "kb.entry.drafted"
	TypeKBEntryValidated    = "kb.entry.validated"
	TypeKBEntryPublished    = "kb.entry.published"
	TypeKBEntryRetired      = "kb.entry.retired"
	TypeTokenCreated        = "auth.token.created"
	TypeTokenRevoked        = "auth.token.revoked"
	TypeAccountCreated      = "auth.account.created"
	TypeAccountDisabled     = "auth.account.disabled"
	TypeAccountPasswordSet  = "auth.account.password_set"
	TypeSessionOpened       = "auth.session.opened"
	TypeSessionSeen         = "auth.session.seen"
	TypeSessionEnded        = "auth.session.ended"
	TypeReplayRequested     = "admin.replay.requested"
	TypeConversationErased  = "conversation.erased"
	TypeSuggestionChosen    = "suggestion.chosen"
	TypeSuggestionReviewed  = "suggestion.reviewed"
	TypeTenantDeclared      = "tenant.declared"
)

// ConversationStarted opens a conversation.
type ConversationStarted struct {
	Audience string `json:"audience,omitempty"` // particulier, entreprise, association or ""
	Channel  string `json:"channel,omitempty"`  // widget, app, test...
	Campaign string `json:"campaign,omitempty"` // the test campaign's id, if any
}

// UtteranceReceived is a citizen message, already redacted.
type UtteranceReceived struct {
	Text       string         `json:"text"`
	Redactions map[string]int `json:"redactions,omitempty"` // kind → count
	Campaign   string         `json:"campaign,omitempty"`   // the test campaign's id, if any
	// MessageID is the id the citizen's client gave the message, if any: a
	// retry of it (its answer lost on the way) is recognised by any API
	// process and answered again without a second utterance.
	MessageID string `json:"message_id,omitempty"`
}

// Candidate is an entry the bot considered, with its score.
type Candidate struct {
	EntryID string  `json:"entry_id"`
	Score   float64 `json:"score"`
}

// BotDecision is what the bot decided on an utterance.
type BotDecision struct {
	UtteranceID string      `json:"utterance_id"`
	Outcome     string      `json:"outcome"`
	Confidence  float64     `json:"confidence"`
	EntryID     string      `json:"entry_id,omitempty"`
	Choices     []string    `json:"choices,omitempty"`
	Candidates  []Candidate `json:"candidates"`
	KBVersion   string      `json:"kb_version"`
	LatencyMs   float64     `json:"latency_ms"`
	Reply       string      `json:"reply"`
	// Demande is the kind of demande the reply offers to file, if any: a plain
	// « oui » next is taken as accepting it, by whichever process receives it.
	Demande string `json:"demande,omitempty"`
	// Also is the entry offered after the answer for a second question the
	// message asks (« … Et où jeter mes déchets verts ? »), if any.
	Also string `json:"also,omitempty"`
}

// FeedbackGiven is the citizen's answer to "Cette réponse vous a-t-elle aidé ?".
// In a test campaign it is the tester's « Compris / Pas compris ».
type FeedbackGiven struct {
	Helpful bool   `json:"helpful"`
	Comment string `json:"comment,omitempty"`
	// UtteranceID is the citizen message whose answer is rated (empty when
	// unknown: a conversation continued after a restart).
	UtteranceID string `json:"utterance_id,omitempty"`
	Campaign    string `json:"campaign,omitempty"` // the test campaign's id, if any
}

// ConversationEnded closes a conversation after inactivity.
type ConversationEnded struct {
	Reason string `json:"reason"`
}

// SuggestionChosen records that a citizen clicked one of the choices a CLARIFY
// offered: the ambiguous question (redacted, as every citizen text on the log)
// turns out to mean the chosen entry, which makes it a suggested alternative of
// that entry. The click's own utterance and decision are logged beside it, as
// for a typed message.
type SuggestionChosen struct {
	UtteranceID string   `json:"utterance_id"` // the ambiguous question's utterance
	Text        string   `json:"text"`         // its redacted text
	EntryID     string   `json:"entry_id"`     // the entry chosen
	Choices     []string `json:"choices"`      // the entries offered
	ChoiceID    string   `json:"choice_id"`    // the utterance the click became
}

// SuggestionReviewed records an expert's verdict on a suggestion drawn from the
// conversations (a phrasing as alternative or negative of an entry): accepted or
// rejected, so that it leaves the queue for good, replays included. It travels
// on the knowledge base topic, kept for ever like the entries it is about, with
// no conversation id.
type SuggestionReviewed struct {
	SuggestionID string `json:"suggestion_id"`
	Kind         string `json:"kind"` // alternative or negative
	EntryID      string `json:"entry_id"`
	// Text was the phrasing reviewed; no longer written: a citizen's words on
	// the knowledge base's topic, kept for ever, that no erasure reaches (the
	// suggestion's id says which). Kept to read the events that have it.
	Text    string `json:"text,omitempty"`
	Verdict string `json:"verdict"` // accepted or rejected
	By      string `json:"by"`
}

// KBEntryChanged carries one knowledge base entry at a step of its lifecycle;
// the step is the event's type.
type KBEntryChanged struct {
	Type  string  `json:"-"`
	Entry KBEntry `json:"entry"`
	By    string  `json:"by,omitempty"` // who made the change
	// Pending marks a new version (drafted or validated) of an entry whose
	// published version answers meanwhile: what is published does not change.
	Pending bool `json:"pending,omitempty"`
}

// TokenCreated records an API token: its hash only, never the token.
type TokenCreated struct {
	TokenID string `json:"token_id"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Hash    string `json:"hash,omitempty"` // hex SHA-256 of the token; see [Secretive]
	By      string `json:"by"`
	// Scope is the tenant whose territory the token sees (a commune, or an
	// intercommunalité with its communes); empty: the whole platform, as every
	// token made before tenants were declared.
	Scope string `json:"scope,omitempty"`
	// Services limits an expert to the knowledge base entries of these
	// services; empty: all.
	Services []string `json:"services,omitempty"`
}

// TokenRevoked ends an API token.
type TokenRevoked struct {
	TokenID string `json:"token_id"`
	By      string `json:"by"`
}

// AccountCreated records a local account for the dashboards: its password's
// bcrypt hash only.
type AccountCreated struct {
	AccountID    string `json:"account_id"`
	Login        string `json:"login"`
	Name         string `json:"name"`
	Role         string `json:"role"`
	PasswordHash string `json:"password_hash,omitempty"` // see [Secretive]
	By           string `json:"by"`
	Scope        string `json:"scope,omitempty"` // as [TokenCreated.Scope]
	// Services limits an expert to the knowledge base entries of these
	// services; empty: all.
	Services []string `json:"services,omitempty"`
}

// AccountPasswordSet gives a local account a new password (its bcrypt hash
// only); the account's sessions end.
type AccountPasswordSet struct {
	AccountID    string `json:"account_id"`
	PasswordHash string `json:"password_hash,omitempty"` // see [Secretive]
	By           string `json:"by"`
}

// AccountDisabled ends an account's access.
type AccountDisabled struct {
	AccountID string `json:"account_id"`
	By        string `json:"by"`
}

// SessionOpened records a sign-in to the dashboards. Sessions travel on the
// audit topic so that every api process knows every session: behind a load
// balancer any of them serves the next request, survives a restart of the
// others, and an administrator's revocation reaches them all.
type SessionOpened struct {
	SessionID string `json:"session_id"`
	// Key is the hex SHA-256 of the cookie's secret, which only the browser
	// holds; see [Secretive].
	Key       string    `json:"key,omitempty"`
	AccountID string    `json:"account_id"` // a local account's id, or "oidc:" and the provider's subject
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Scope     string    `json:"scope,omitempty"` // as [TokenCreated.Scope]
	Address   string    `json:"address,omitempty"`
	UserAgent string    `json:"user_agent,omitempty"`
	Ends      time.Time `json:"ends"` // the end whatever the use
}

// Reasons of [SessionEnded].
const (
	SessionSignedOut   = "signed_out"
	SessionRevoked     = "revoked"
	SessionsEverywhere = "everywhere"
)

// SessionSeen records that a session was used (at most every 5 minutes), so
// that its idle timeout counts from its last use on any api process.
type SessionSeen struct {
	SessionID string `json:"session_id"`
}

// SessionEnded ends a session, or every session of an account when SessionID
// is empty.
type SessionEnded struct {
	SessionID string `json:"session_id,omitempty"`
	AccountID string `json:"account_id"`
	// Reason is [SessionSignedOut] (by its holder), [SessionRevoked] (by an
	// administrator) or [SessionsEverywhere] (every session of the account).
	Reason string `json:"reason"`
	By     string `json:"by,omitempty"`
}

// ReplayRequested records that an administrator rebuilt the projections.
type ReplayRequested struct {
	By string `json:"by"`
}

// ConversationErased records that an administrator erased a conversation at the
// citizen's request: from then on it is in no projection, and every projector and
// replay skips its events. It travels on the audit topic, which every process
// follows, and names the conversation in its payload (the envelope's
// conversation_id stays empty, like every audit event's).
type ConversationErased struct {
	ConversationID string `json:"conversation_id"`
	By             string `json:"by"`
}

// TenantDeclared declares a tenant (a commune or an intercommunalité) or
// changes it: the payload holds the whole tenant as it is from then on. It
// travels on the audit topic, which every process follows.
type TenantDeclared struct {
	Tenant Tenant `json:"tenant"`
	By     string `json:"by"`
}

// Tenant is a tenant as it travels on the log; package tenant converts it to
// its own type.
type Tenant struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	INSEE      string   `json:"insee,omitempty"`
	Parent     string   `json:"parent,omitempty"` // the intercommunalité's id, for a member commune
	Population int      `json:"population,omitempty"`
	Colour     string   `json:"colour,omitempty"`
	Origins    []string `json:"origins,omitempty"` // sites allowed to embed its widget
	Prefix     string   `json:"prefix"`            // of its tracking codes, e.g. MTC
	Contact    *Contact `json:"contact,omitempty"` // how its citizens reach a person
}

// Contact is a tenant's front desk: phone (and its hours), e-mail, contact form.
type Contact struct {
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
	Hours string `json:"hours,omitempty"`
}

// Secretive is a payload that carries a secret (the hash of a token or of a
// password, a sealed part) or words about a citizen that analytics must not
// keep: the followers need it (to check who signs in, to show a demande),
// nothing else may keep it. Public returns the payload without them, the form
// in which analytics store it.
type Secretive interface {
	Payload
	Public() Payload
}

// Public implements [Secretive].
func (t TokenCreated) Public() Payload { t.Hash = ""; return t }

// Public implements [Secretive]: a citizen's phrasing, which events written
// before it was dropped still carry, is kept out of analytics.
func (s SuggestionReviewed) Public() Payload { s.Text = ""; return s }

// Public implements [Secretive].
func (a AccountCreated) Public() Payload { a.PasswordHash = ""; return a }

// Public implements [Secretive].
func (a AccountPasswordSet) Public() Payload { a.PasswordHash = ""; return a }

// Public implements [Secretive].
func (s SessionOpened) Public() Payload { s.Key = ""; return s }

func (ConversationErased) EventType() string  { return TypeConversationErased }
func (SuggestionChosen) EventType() string    { return TypeSuggestionChosen }
func (SuggestionReviewed) EventType() string  { return TypeSuggestionReviewed }
func (TenantDeclared) EventType() string      { return TypeTenantDeclared }
func (ReplayRequested) EventType() string     { return TypeReplayRequested }
func (AccountCreated) EventType() string      { return TypeAccountCreated }
func (AccountDisabled) EventType() string     { return TypeAccountDisabled }
func (AccountPasswordSet) EventType() string  { return TypeAccountPasswordSet }
func (SessionOpened) EventType() string       { return TypeSessionOpened }
func (SessionSeen) EventType() string         { return TypeSessionSeen }
func (SessionEnded) EventType() string        { return TypeSessionEnded }
func (TokenCreated) EventType() string        { return TypeTokenCreated }
func (TokenRevoked) EventType() string        { return TypeTokenRevoked }
func (ConversationStarted) EventType() string { return TypeConversationStarted }
func (UtteranceReceived) EventType() string   { return TypeUtteranceReceived }
func (BotDecision) EventType() string         { return TypeBotDecision }
func (FeedbackGiven) EventType() string       { return TypeFeedbackGiven }
func (ConversationEnded) EventType() string   { return TypeConversationEnded }
func (k KBEntryChanged) EventType() string    { return k.Type }
