// Package ingest is the citizen's way in: it validates what a citizen sends,
// redacts personal data before anything becomes an event (with [redact.Redact],
// in the leaf package ingest/redact, which also defines the placeholders that the
// French text analysis recognises), asks the bot for a decision and appends the
// conversation's events to the log before answering. The citizen waits for the
// decision and the log's acknowledgement, never for ClickHouse. With a
// demandes desk, it also files demandes, answers where one stands from its
// tracking code before the engine runs, and proposes the kind a reply calls for.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/ingest/redact"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
	"github.com/parvis-civic/parvis/web"
)

// Errors that callers turn into messages for the citizen.
var (
	ErrEmpty               = errors.New("ingest: empty message")
	ErrTooLong             = errors.New("ingest: message too long")
	ErrInvalidText         = errors.New("ingest: message is not valid text")
	ErrUnknownConversation = errors.New("ingest: unknown conversation")
	ErrRateLimited         = errors.New("ingest: rate limited") // a client sends faster than allowed
	ErrNothingToRate       = errors.New("ingest: every answer of the conversation is rated already")
	ErrNotAChoice          = errors.New("ingest: not one of the choices the conversation's last clarification offered")
	ErrNotInCampaign       = errors.New("ingest: not a conversation of a test campaign")
	ErrUnknownTenant       = errors.New("ingest: no such tenant")
	ErrOriginNotAllowed    = errors.New("ingest: the calling site may not embed this tenant's widget")
	ErrCampaignElsewhere   = errors.New("ingest: the test campaign is another territory's")
	ErrNoDemandes          = errors.New("ingest: demandes are not filed here")
	// ErrCampaignDemande refuses a demande from a test campaign's conversation:
	// it would reach the agents, the town's platform and the figures, whereas
	// a campaign's traffic never counts in production.
	ErrCampaignDemande = errors.New("ingest: no demande is filed from a test campaign's conversation")
)

// Publisher appends events to the log; it returns once they are durable.
type Publisher interface {
	Publish(ctx context.Context, evs ...events.Envelope) error
}

// ConversationLookup finds a conversation that this process does not hold in
// memory (started before a restart, or on another instance).
type ConversationLookup interface {
	ConversationStart(ctx context.Context, id string) (audience, tenant, campaign string, ok bool, err error)
	// UnratedAnswers counts the answers of a conversation that no rating
	// counts yet: one feedback per answer, whichever process takes it.
	UnratedAnswers(ctx context.Context, id string) (int, error)
}

// TooLongError says how long a refused message was; it matches [ErrTooLong].
type TooLongError struct{ Runes, Max int }

func (e *TooLongError) Error() string {
	return fmt.Sprintf("ingest: message too long: %d characters, %d at most", e.Runes, e.Max)
}

// Is makes errors.Is(err, ErrTooLong) true.
func (e *TooLongError) Is(target error) bool { return target == ErrTooLong }

// Config configures the chat [Service].
type Config struct {
	// Tenant is the deployment's default tenant: conversations started
	// without naming one are held with it.
	Tenant string
	// Tenants are the declared tenants, a conversation's tenant is checked
	// against; nil: the default tenant only.
	Tenants *tenant.Registry
	// Peers are the conversations other API processes started, from the log:
	// nil, the process looks only in ClickHouse for a conversation it does not
	// hold (see [Peers]).
	Peers *Peers
	// Engines decide for each tenant's citizens with that tenant's knowledge;
	// nil: the service's one engine decides for every tenant.
	Engines   *Engines
	MaxRunes  int           // longest message accepted; default 2000
	IdleAfter time.Duration // a conversation idle this long is ended; default 30 min
	// ConversationRate bounds the messages a minute of one conversation, a third
	// of them at once: what a person can type (0: no limit, for load tests). The
	// client address's budget of every public operation is the API's (graphql).
	ConversationRate int
	// Desk files and follows demandes; nil: the chat neither proposes nor
	// tracks them.
	Desk *demandes.Desk
	// Erased tells the conversations an administrator erased: a message, a
	// choice or a rating to one is refused as to an unknown conversation, and
	// what this process held of it goes. nil: none.
	Erased interface{ Has(id string) bool }
	Logger *slog.Logger
	// Now is the clock the events are dated by; time.Now when nil. The demo
	// town's history sets it to write its past through this very path.
	Now func() time.Time
}

// Service runs conversations. It is safe for concurrent use; the messages of one
// conversation are decided and logged one at a time, in order.
type Service struct {
	cfg    Config
	engine *bot.Engine
	pub    Publisher
	lookup ConversationLookup

	convLimiter *web.Limiter // per conversation, whatever the address

	mu    sync.Mutex
	convs map[string]*conversation
}

type conversation struct {
	mu       sync.Mutex
	id       string
	tenant   string
	audience kb.Audience
	campaign string // the test campaign's id, if any
	last     time.Time
	// unrated holds the utterances whose answer is not rated yet, oldest first:
	// one feedback per answer, the latest first ("" when unknown: answers given
	// before this process held the conversation).
	unrated   []string
	clarify   *clarification
	offered   string    // the kind of demande the last reply offered to file, if any
	offeredAt time.Time // and when: a demande of that kind filed since takes the offer
	answered  string    // the utterance the last reply answered, if it did (ANSWERED)
	// answeredEntry is the entry of the last reply, if it answered: what a
	// follow-up (« et le samedi ? ») asks on about.
	answeredEntry string
	// sent are the last messages answered that their client named (see
	// sent.go), and turn the name of the message being answered.
	sent []sent
	turn string
}

// clarification is the last CLARIFY of a conversation, until a choice is taken:
// what a click on one of its choices links to.
type clarification struct {
	utteranceID string
	text        string // redacted
	choices     []string
}

// NewService returns a chat service. lookup may be nil.
func NewService(cfg Config, engine *bot.Engine, pub Publisher, lookup ConversationLookup) *Service {
	if cfg.MaxRunes <= 0 {
		cfg.MaxRunes = 2000
	}
	if cfg.IdleAfter <= 0 {
		cfg.IdleAfter = 30 * time.Minute
	}
	if cfg.Tenant == "" {
		cfg.Tenant = "montclar"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, engine: engine, pub: pub, lookup: lookup, convs: map[string]*conversation{},
		convLimiter: web.NewBurstLimiter(cfg.ConversationRate, cfg.ConversationRate/3)}
}

// Conversation is a started conversation.
type Conversation struct {
	ID       string
	Tenant   string
	Audience kb.Audience
}

// Start is what a conversation is started with.
type Start struct {
	// Tenant is the commune or intercommunalité whose assistant the citizen
	// talks to (the widget's data-tenant); "": the deployment's default.
	Tenant   string
	Page     web.PageOrigin // the page that calls, checked against the tenant's sites
	Audience kb.Audience
	Channel  string
	Campaign string
	// CampaignTenant is the tenant of the test campaign: its testers talk to
	// its assistant or to its members' ("": the platform's campaign, any).
	CampaignTenant string
}

// Start opens a conversation with a tenant. A tenant named must be declared,
// and a browser page calling must be one of its sites or this deployment's
// own; otherwise nothing is logged.
func (s *Service) Start(ctx context.Context, st Start) (Conversation, error) {
	tenantID, err := s.tenantOf(st)
	if err != nil {
		return Conversation{}, err
	}
	if err := s.checkCampaign(st, tenantID); err != nil {
		if !st.Page.Own {
			return Conversation{}, err
		}
		// The invite opens this deployment's own page, whatever the
		// campaign's commune: its testers talk to that commune's assistant.
		tenantID = st.CampaignTenant
	}
	now := s.cfg.Now()
	id := events.NewID(now)
	ev, err := events.New(tenantID, id, now, events.ConversationStarted{
		Audience: string(st.Audience), Channel: st.Channel, Campaign: st.Campaign,
	})
	if err != nil {
		return Conversation{}, err
	}
	if err := s.pub.Publish(ctx, ev); err != nil {
		return Conversation{}, err
	}
	s.mu.Lock()
	s.convs[id] = &conversation{id: id, tenant: tenantID, audience: st.Audience, campaign: st.Campaign, last: now}
	s.mu.Unlock()
	conversationsStarted.Inc()
	return Conversation{ID: id, Tenant: tenantID, Audience: st.Audience}, nil
}

// tenantOf returns the tenant a conversation is started with, once checked.
// Without a tenant named, the default one is taken as before tenants were
// declared, so that a site embedding the widget without data-tenant keeps
// working: the deployment's --allowed-origins guard it, as they did.
func (s *Service) tenantOf(st Start) (string, error) {
	if st.Tenant == "" {
		return s.cfg.Tenant, nil
	}
	var t tenant.Tenant
	declared := false
	if s.cfg.Tenants != nil {
		t, declared = s.cfg.Tenants.Get(st.Tenant)
	}
	switch {
	case !declared:
		return "", fmt.Errorf("%w: %q", ErrUnknownTenant, st.Tenant)
	case st.Page.Origin != "" && !st.Page.Own && !t.AllowsOrigin(st.Page.Origin):
		return "", fmt.Errorf("%w: %s for %s", ErrOriginNotAllowed, st.Page.Origin, st.Tenant)
	}
	return st.Tenant, nil
}

// checkCampaign refuses a test campaign's conversation with a tenant outside
// the campaign's territory: its report would open the entries of a territory
// not its own.
func (s *Service) checkCampaign(st Start, tenantID string) error {
	if st.CampaignTenant == "" || st.CampaignTenant == tenantID {
		return nil
	}
	if s.cfg.Tenants != nil && s.cfg.Tenants.Scope(st.CampaignTenant).Has(tenantID) {
		return nil
	}
	return fmt.Errorf("%w: campaign of %s, conversation with %s", ErrCampaignElsewhere, st.CampaignTenant, tenantID)
}

func (s *Service) conversation(ctx context.Context, id string) (*conversation, error) {
	if s.cfg.Erased != nil && s.cfg.Erased.Has(id) {
		s.mu.Lock()
		delete(s.convs, id)
		s.mu.Unlock()
		return nil, ErrUnknownConversation
	}
	s.mu.Lock()
	c, ok := s.convs[id]
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	if !events.ValidID(id) {
		return nil, ErrUnknownConversation
	}
	if s.cfg.Peers != nil {
		pc, found, err := s.cfg.Peers.find(ctx, id)
		if err != nil {
			return nil, err
		}
		if found {
			return s.adopt(pc), nil
		}
	}
	if s.lookup == nil {
		return nil, ErrUnknownConversation
	}
	aud, tenantID, campaign, found, err := s.lookup.ConversationStart(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("ingest: look up conversation: %w", err)
	}
	if !found {
		return nil, ErrUnknownConversation
	}
	// Its answers before are unknown here: the last may be rated, unless
	// every answer has its rating already.
	conv := &conversation{id: id, tenant: tenantID, audience: kb.Audience(aud), campaign: campaign, last: s.cfg.Now()}
	if campaign != "" {
		conv.unrated = []string{""} // a tester rates every reply, answered or not
	} else if n, err := s.lookup.UnratedAnswers(ctx, id); err != nil {
		return nil, fmt.Errorf("ingest: look up conversation: %w", err)
	} else if n > 0 {
		conv.unrated = []string{""}
	}
	return s.adopt(conv), nil
}

// resync brings what a conversation's answers allow (the answers still to
// rate, the choices of its last CLARIFY, the demande it offered, the answer it
// gave) up to the log, with several API processes: the previous turn may have
// been another's. c.mu is held.
func (s *Service) resync(ctx context.Context, c *conversation) error {
	if s.cfg.Peers == nil {
		return nil
	}
	pc, found, err := s.cfg.Peers.fresh(ctx, c.id)
	if err != nil || !found {
		return err
	}
	c.unrated, c.clarify, c.offered, c.offeredAt, c.answered, c.answeredEntry = pc.unrated, pc.clarify, pc.offered, pc.offeredAt, pc.answered, pc.answeredEntry
	return nil
}

// adopt holds a conversation started elsewhere, unless another call did first.
func (s *Service) adopt(c *conversation) *conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	if held, ok := s.convs[c.id]; ok {
		return held
	}
	s.convs[c.id] = c
	return c
}

// Reply is what the citizen gets back.
type Reply struct {
	Text     string
	Decision bot.Decision
	// Demande is the kind of demande the reply proposes to file, if any.
	Demande *kb.DemandeKind
	// Tracking is true when the reply tells where a filed demande stands.
	Tracking bool
	// Rated is the rating the message gave the answer before it (a typed
	// « oui » or « non »; see consent.go), if it was one.
	Rated *bool
}

// Clean checks and normalises a citizen's text: valid UTF-8, control and
// format characters removed, dashes made hyphens, not empty, not longer than
// the limit. Format characters are invisible (a zero-width space or a word
// joiner copied from a web page, a soft hyphen, a direction mark): one inside
// « 06 12 34 56 78 » or an e-mail address hid it from redaction, and put it on
// the log in clear. A joiner between two emoji is kept: it makes one of them.
func (s *Service) Clean(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", ErrInvalidText
	}
	text = norm.NFC.String(text)
	var prev rune
	text = strings.Map(func(r rune) rune {
		last := prev
		prev = r
		switch {
		case r == '\n' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		case r == zeroWidthJoiner && unicode.Is(unicode.So, last):
			return r
		case unicode.Is(unicode.Cf, r):
			return -1
		case r >= '\u2010' && r <= '\u2015' || r == '\u2212':
			return '-' // hyphens and dashes of word processors, minus sign
		}
		return r
	}, text)
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return "", ErrEmpty
	case n > s.cfg.MaxRunes:
		return "", &TooLongError{Runes: n, Max: s.cfg.MaxRunes}
	}
	return text, nil
}

// zeroWidthJoiner joins emoji into one (a family, a profession).
const zeroWidthJoiner = '\u200d'

// MaxRunes is the longest message accepted.
func (s *Service) MaxRunes() int { return s.cfg.MaxRunes }

// Send decides on a citizen's message, logs the utterance (redacted) and the
// decision, and returns the reply.
func (s *Service) Send(ctx context.Context, conversationID, text string) (Reply, error) {
	return s.SendOnce(ctx, conversationID, "", text)
}

// SendOnce is [Service.Send] of a message its client names messageID (see
// [ValidMessageID]; "" for none): a message with the id of one the
// conversation answered lately gets that reply again, and nothing is logged;
// with another text, it is [ErrMessageReused].
func (s *Service) SendOnce(ctx context.Context, conversationID, messageID, text string) (Reply, error) {
	// The conversation is found before it is limited: an id is never kept
	// unless it names a conversation.
	c, err := s.conversation(ctx, conversationID)
	if err != nil {
		return Reply{}, err
	}
	if !s.convLimiter.Allow(c.id) {
		rateLimited.Inc()
		return Reply{}, ErrRateLimited
	}
	text, err = s.Clean(text)
	if err != nil {
		return Reply{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	redacted, counts := redact.Redact(text)
	if messageID != "" {
		if m, ok := s.sentBefore(c, messageID); ok {
			return s.again(c, m, redacted)
		}
	}
	c.turn = messageID
	defer func() { c.turn = "" }()
	r, err := s.send(ctx, c, text, redacted, counts)
	if err == nil {
		c.remember(sent{messageID: messageID, text: redacted, reply: r})
	}
	return r, err
}

// send decides on a message and logs it. c.mu is held.
func (s *Service) send(ctx context.Context, c *conversation, text, redacted string, counts map[string]int) (Reply, error) {
	if s.cfg.Desk != nil {
		if r, ok, err := s.track(ctx, c, text, redacted, counts); ok {
			return r, err
		}
	}
	for kind, n := range counts {
		redactions.WithLabelValues(kind).Add(float64(n))
	}
	// The bot reads the redacted text too: what it decides on is what analysts see.
	engine := s.engineFor(c.tenant)
	d, err := s.followUp(ctx, engine, c, redacted, engine.Decide(redacted, c.audience))
	if err != nil {
		return Reply{}, err
	}
	if s.cfg.Desk != nil {
		if r, ok, err := s.askCode(ctx, c, text, redacted, counts, d); ok {
			return r, err
		}
	}
	decisionLatency.Observe(d.Latency.Seconds())
	var replyText string
	var kind *kb.DemandeKind
	var more []func(events.Envelope) (events.Payload, error)
	cr, typed, err := s.consent(ctx, c, redacted, d)
	switch {
	case err != nil:
		return Reply{}, err
	case typed:
		replyText, kind, d = cr.text, cr.kind, cr.d
		if cr.rating != nil {
			more = append(more, func(events.Envelope) (events.Payload, error) { return *cr.rating, nil })
		}
	default:
		replyText = Compose(engine, d, c.audience)
		if s.cfg.Desk == nil || c.campaign != "" {
			// A tester is not offered what would file a real demande.
			break
		}
		if k, ok := s.propose(redacted, d, c.audience); ok {
			kind = &k
			replyText += proposal(k)
		}
	}
	offer := ""
	if kind != nil {
		offer = kind.ID
	}

	utt, err := s.log(ctx, c, redacted, counts, d, replyText, offer, more...)
	if err != nil {
		return Reply{}, err
	}
	if cr.rating != nil {
		c.unrated = slices.DeleteFunc(c.unrated, func(u string) bool { return u == cr.rating.UtteranceID })
	}
	// The choices stay clickable until another CLARIFY replaces them or one is
	// taken: a citizen may say something else before clicking.
	if d.Outcome == bot.Clarify {
		c.clarify = &clarification{utteranceID: utt.ID, text: redacted}
		for _, ch := range d.Choices {
			c.clarify.choices = append(c.clarify.choices, ch.ID)
		}
	}
	var rated *bool
	if cr.rating != nil {
		rated = &cr.rating.Helpful
	}
	return Reply{Text: replyText, Decision: d, Demande: kind, Rated: rated}, nil
}

// log appends a citizen's utterance and the bot's decision on it (with the kind
// of demande its reply offers, if any), and any further events of the same
// turn, in one publish; it returns the utterance.
func (s *Service) log(ctx context.Context, c *conversation, text string, counts map[string]int, d bot.Decision,
	replyText, offer string, more ...func(utt events.Envelope) (events.Payload, error)) (events.Envelope, error) {
	now := s.cfg.Now()
	utt, err := events.New(c.tenant, c.id, now, events.UtteranceReceived{Text: text, Redactions: counts, Campaign: c.campaign, MessageID: c.turn})
	if err != nil {
		return utt, err
	}
	dec := events.BotDecision{
		UtteranceID: utt.ID, Outcome: string(d.Outcome), Confidence: round(d.Confidence),
		KBVersion: d.KBVersion, LatencyMs: float64(d.Latency.Microseconds()) / 1000, Reply: replyText,
		Candidates: make([]events.Candidate, 0, len(d.Candidates)), Demande: offer,
	}
	if d.Entry != nil {
		dec.EntryID = d.Entry.ID
	}
	if d.Also != nil {
		dec.Also = d.Also.ID
	}
	for _, ch := range d.Choices {
		dec.Choices = append(dec.Choices, ch.ID)
	}
	for _, cand := range d.Candidates {
		dec.Candidates = append(dec.Candidates, events.Candidate{EntryID: cand.Entry.ID, Score: round(cand.Score)})
	}
	decEv, err := events.New(c.tenant, c.id, now, dec)
	if err != nil {
		return utt, err
	}
	evs := []events.Envelope{utt, decEv}
	for _, m := range more {
		p, err := m(utt)
		if err != nil {
			return utt, err
		}
		ev, err := events.New(c.tenant, c.id, now, p)
		if err != nil {
			return utt, err
		}
		evs = append(evs, ev)
	}
	if err := s.pub.Publish(ctx, evs...); err != nil {
		return utt, err
	}
	c.last, c.offered, c.offeredAt, c.answered, c.answeredEntry = now, offer, now, "", ""
	if d.Outcome == bot.Answered {
		c.answered, c.answeredEntry = utt.ID, d.Entry.ID
	}
	// A tester rates every reply (was the question understood?); a citizen,
	// the answers only.
	if d.Outcome == bot.Answered || c.campaign != "" {
		c.unrated = append(c.unrated, utt.ID)
	}
	messages.WithLabelValues(string(d.Outcome)).Inc()
	return utt, nil
}

// Choose answers a click on one of the choices of the conversation's last
// CLARIFY with the chosen entry, as if the citizen had asked its question, and
// logs which entry the ambiguous question meant (suggestion.chosen): the
// material of suggested alternatives. A choice that the last CLARIFY did not
// offer, or that was taken already, is [ErrNotAChoice]; so is any choice in a
// conversation this process did not hold when it clarified.
func (s *Service) Choose(ctx context.Context, conversationID, entryID string) (Reply, error) {
	c, err := s.conversation(ctx, conversationID)
	if err != nil {
		return Reply{}, err
	}
	if !s.convLimiter.Allow(c.id) {
		rateLimited.Inc()
		return Reply{}, ErrRateLimited
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := s.resync(ctx, c); err != nil {
		return Reply{}, err
	}
	cl := c.clarify
	if cl == nil || !slices.Contains(cl.choices, entryID) {
		return Reply{}, ErrNotAChoice
	}
	engine := s.engineFor(c.tenant)
	e, ok := engine.Index().Entry(entryID)
	if !ok {
		return Reply{}, ErrNotAChoice // retired since it was offered
	}
	d := bot.Decision{Outcome: bot.Answered, Confidence: 1, Entry: e, KBVersion: engine.Version(),
		Candidates: []bot.Candidate{{Entry: e, Score: 1}}}
	replyText := Compose(engine, d, c.audience)
	// The entry chosen offers its demande as it does to a question typed
	// (« Signaler un éclairage public en panne » clicked under « rue »).
	var kind *kb.DemandeKind
	offer := ""
	if s.cfg.Desk != nil {
		if k, ok := s.propose(e.Question, d, c.audience); ok {
			kind, offer = &k, k.ID
			replyText += proposal(k)
		}
	}
	_, err = s.log(ctx, c, e.Question, nil, d, replyText, offer, func(utt events.Envelope) (events.Payload, error) {
		return events.SuggestionChosen{UtteranceID: cl.utteranceID, Text: cl.text, EntryID: entryID,
			Choices: cl.choices, ChoiceID: utt.ID}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	c.clarify = nil
	return Reply{Text: replyText, Decision: d, Demande: kind}, nil
}

func round(x float64) float64 { return float64(int(x*10000+0.5)) / 10000 }

// engineFor returns the engine that decides for a tenant's citizens.
func (s *Service) engineFor(tenantID string) *bot.Engine {
	if s.cfg.Engines != nil {
		return s.cfg.Engines.For(tenantID)
	}
	return s.engine
}

// Compose writes the reply to a decision as the citizen reads it; engine gives
// the hand-off entry offered when nothing answers.
func Compose(engine *bot.Engine, d bot.Decision, audience kb.Audience) string {
	switch d.Outcome {
	case bot.Answered, bot.Smalltalk, bot.Handoff:
		if d.Also != nil { // only ever beside an answer
			return d.Entry.AnswerFor(audience) + "\n\nVotre message pose aussi une autre question : choisissez-la ci-dessous pour avoir sa réponse."
		}
		return d.Entry.AnswerFor(audience)
	case bot.Clarify:
		var b strings.Builder
		b.WriteString("Je veux être sûr de bien vous répondre. Votre question porte-t-elle sur :")
		for _, e := range d.Choices {
			b.WriteString("\n• ")
			b.WriteString(e.Question)
		}
		return b.String()
	}
	var parts []string
	if d.Unread {
		parts = append(parts, "Je n'ai pas compris votre message : pouvez-vous l'écrire autrement, en quelques mots ?")
	} else {
		parts = append(parts, "Je n'ai pas trouvé de réponse sûre à votre question.")
	}
	// The themes this base's own entries cover, not a list written for one
	// town: an intercommunalité that answers for waste, or a FAQ imported as
	// it is, says what it knows.
	if themes := engine.Index().Themes(6); len(themes) > 0 {
		parts = append(parts, "Je peux vous renseigner notamment sur ces sujets : "+strings.Join(themes, ", ")+".")
	}
	if !d.Unread {
		parts = append(parts, "Vous pouvez reformuler votre question"+orAPerson(engine))
	}
	return strings.Join(parts, " ")
}

// orAPerson ends a reply that did not help with the way to a person: the
// hand-off entry engine offers, or the town hall.
func orAPerson(engine *bot.Engine) string {
	if h, ok := engine.Handoff(); ok {
		return ", ou parler à une personne. " + h.Answer
	}
	return ", ou contacter directement la mairie."
}

// Feedback records whether an answer helped: once per answer given.
func (s *Service) Feedback(ctx context.Context, conversationID string, helpful bool, comment string) error {
	c, err := s.conversation(ctx, conversationID)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := s.resync(ctx, c); err != nil {
		return err
	}
	if len(c.unrated) == 0 {
		return ErrNothingToRate
	}
	if comment != "" {
		if comment, err = s.Clean(comment); err != nil && !errors.Is(err, ErrEmpty) {
			return err
		}
		comment, _ = redact.Redact(comment)
	}
	last := len(c.unrated) - 1
	ev, err := events.New(c.tenant, c.id, s.cfg.Now(), events.FeedbackGiven{Helpful: helpful, Comment: comment,
		UtteranceID: c.unrated[last], Campaign: c.campaign})
	if err != nil {
		return err
	}
	if err := s.pub.Publish(ctx, ev); err != nil {
		return err
	}
	c.unrated = c.unrated[:last]
	return nil
}

// FinishScenario records a tester's word on a scenario of the campaign: the
// task done or not. A conversation outside a campaign is [ErrNotInCampaign].
func (s *Service) FinishScenario(ctx context.Context, conversationID string, scenario int, done bool) error {
	c, err := s.conversation(ctx, conversationID)
	if err != nil {
		return err
	}
	if !s.convLimiter.Allow(c.id) {
		rateLimited.Inc()
		return ErrRateLimited
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.campaign == "" {
		return ErrNotInCampaign
	}
	ev, err := events.New(c.tenant, c.id, s.cfg.Now(), events.ScenarioFinished{Campaign: c.campaign, Scenario: scenario, Done: done})
	if err != nil {
		return err
	}
	if err := s.pub.Publish(ctx, ev); err != nil {
		return err
	}
	c.last = s.cfg.Now()
	return nil
}

// EndIdle ends the conversations idle for longer than the configured time, with a
// conversation.ended event, and forgets them.
func (s *Service) EndIdle(ctx context.Context, now time.Time) error {
	s.mu.Lock()
	var idle []*conversation
	for id, c := range s.convs {
		// A conversation whose message is being decided is not idle; and its
		// last moment is read under its own lock, which the message holds
		// (TryLock: never wait for a message under s.mu).
		if !c.mu.TryLock() {
			continue
		}
		if now.Sub(c.last) > s.cfg.IdleAfter {
			idle = append(idle, c)
			delete(s.convs, id)
		}
		c.mu.Unlock()
	}
	s.mu.Unlock()
	// In the order they started (ids sort by time), whatever the map's order.
	slices.SortFunc(idle, func(a, b *conversation) int { return strings.Compare(a.id, b.id) })
	for _, c := range idle {
		ev, err := events.New(c.tenant, c.id, now, events.ConversationEnded{Reason: "inactivity"})
		if err != nil {
			return err
		}
		if err := s.pub.Publish(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}

// RunJanitor ends idle conversations every minute until ctx is done.
func (s *Service) RunJanitor(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if err := s.EndIdle(ctx, now); err != nil {
				s.cfg.Logger.Warn("ingest: end idle conversations", slog.Any("error", err))
			}
		}
	}
}
