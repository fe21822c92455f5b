// Package ingest is the citizen's way in: it validates what a citizen sends,
// redacts personal data before anything becomes an event (with [redact.Redact],
// in the leaf package ingest/redact, which also defines the placeholders that the
// French text analysis recognises), asks the bot for a decision and appends the
// conversation's events to the log before answering. The citizen waits for the
// decision and the log's acknowledgement, never for ClickHouse.
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
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/ingest/redact"
	"github.com/parvis-civic/parvis/kb"
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
)

// Publisher appends events to the log; it returns once they are durable.
type Publisher interface {
	Publish(ctx context.Context, evs ...events.Envelope) error
}

// ConversationLookup finds a conversation that this process does not hold in
// memory (started before a restart, or on another instance).
type ConversationLookup interface {
	ConversationAudience(ctx context.Context, id string) (audience string, ok bool, err error)
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
	Tenant    string
	MaxRunes  int           // longest message accepted; default 2000
	IdleAfter time.Duration // a conversation idle this long is ended; default 30 min
	// ConversationRate bounds the messages a minute of one conversation, a third
	// of them at once: what a person can type (0: no limit, for load tests). The
	// client address's budget of every public operation is the API's (graphql).
	ConversationRate int
	Logger           *slog.Logger
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
	audience kb.Audience
	last     time.Time
	unrated  int // answers not yet rated: one feedback per answer
	clarify  *clarification
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
	return &Service{cfg: cfg, engine: engine, pub: pub, lookup: lookup, convs: map[string]*conversation{},
		convLimiter: web.NewBurstLimiter(cfg.ConversationRate, cfg.ConversationRate/3)}
}

// Conversation is a started conversation.
type Conversation struct {
	ID       string
	Audience kb.Audience
}

// Start opens a conversation.
func (s *Service) Start(ctx context.Context, audience kb.Audience, channel, campaign string) (Conversation, error) {
	now := time.Now()
	id := events.NewID(now)
	ev, err := events.New(s.cfg.Tenant, id, now, events.ConversationStarted{
		Audience: string(audience), Channel: channel, Campaign: campaign,
	})
	if err != nil {
		return Conversation{}, err
	}
	if err := s.pub.Publish(ctx, ev); err != nil {
		return Conversation{}, err
	}
	s.mu.Lock()
	s.convs[id] = &conversation{id: id, audience: audience, last: now}
	s.mu.Unlock()
	conversationsStarted.Inc()
	return Conversation{ID: id, Audience: audience}, nil
}

func (s *Service) conversation(ctx context.Context, id string) (*conversation, error) {
	s.mu.Lock()
	c, ok := s.convs[id]
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	if s.lookup == nil || !events.ValidID(id) {
		return nil, ErrUnknownConversation
	}
	aud, found, err := s.lookup.ConversationAudience(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("ingest: look up conversation: %w", err)
	}
	if !found {
		return nil, ErrUnknownConversation
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.convs[id]; ok {
		return c, nil
	}
	// Its answers before are unknown here: one of them may be rated.
	c = &conversation{id: id, audience: kb.Audience(aud), last: time.Now(), unrated: 1}
	s.convs[id] = c
	return c, nil
}

// Reply is what the citizen gets back.
type Reply struct {
	Text     string
	Decision bot.Decision
}

// Clean checks and normalises a citizen's text: valid UTF-8, control characters
// removed, not empty, not longer than the limit.
func (s *Service) Clean(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", ErrInvalidText
	}
	text = norm.NFC.String(text)
	text = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
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

// MaxRunes is the longest message accepted.
func (s *Service) MaxRunes() int { return s.cfg.MaxRunes }

// Send decides on a citizen's message, logs the utterance (redacted) and the
// decision, and returns the reply.
func (s *Service) Send(ctx context.Context, conversationID, text string) (Reply, error) {
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
	for kind, n := range counts {
		redactions.WithLabelValues(kind).Add(float64(n))
	}
	// The bot reads the redacted text too: what it decides on is what analysts see.
	d := s.engine.Decide(redacted, c.audience)
	decisionLatency.Observe(d.Latency.Seconds())
	replyText := s.compose(d, c.audience)

	utt, err := s.log(ctx, c, redacted, counts, d, replyText)
	if err != nil {
		return Reply{}, err
	}
	// The choices stay clickable until another CLARIFY replaces them or one is
	// taken: a citizen may say something else before clicking.
	if d.Outcome == bot.Clarify {
		c.clarify = &clarification{utteranceID: utt.ID, text: redacted}
		for _, ch := range d.Choices {
			c.clarify.choices = append(c.clarify.choices, ch.ID)
		}
	}
	return Reply{Text: replyText, Decision: d}, nil
}

// log appends a citizen's utterance and the bot's decision on it, and any
// further events of the same turn, in one publish; it returns the utterance.
func (s *Service) log(ctx context.Context, c *conversation, text string, counts map[string]int, d bot.Decision,
	replyText string, more ...func(utt events.Envelope) (events.Payload, error)) (events.Envelope, error) {
	now := time.Now()
	utt, err := events.New(s.cfg.Tenant, c.id, now, events.UtteranceReceived{Text: text, Redactions: counts})
	if err != nil {
		return utt, err
	}
	dec := events.BotDecision{
		UtteranceID: utt.ID, Outcome: string(d.Outcome), Confidence: round(d.Confidence),
		KBVersion: d.KBVersion, LatencyMs: float64(d.Latency.Microseconds()) / 1000, Reply: replyText,
		Candidates: make([]events.Candidate, 0, len(d.Candidates)),
	}
	if d.Entry != nil {
		dec.EntryID = d.Entry.ID
	}
	for _, ch := range d.Choices {
		dec.Choices = append(dec.Choices, ch.ID)
	}
	for _, cand := range d.Candidates {
		dec.Candidates = append(dec.Candidates, events.Candidate{EntryID: cand.Entry.ID, Score: round(cand.Score)})
	}
	decEv, err := events.New(s.cfg.Tenant, c.id, now, dec)
	if err != nil {
		return utt, err
	}
	evs := []events.Envelope{utt, decEv}
	for _, m := range more {
		p, err := m(utt)
		if err != nil {
			return utt, err
		}
		ev, err := events.New(s.cfg.Tenant, c.id, now, p)
		if err != nil {
			return utt, err
		}
		evs = append(evs, ev)
	}
	if err := s.pub.Publish(ctx, evs...); err != nil {
		return utt, err
	}
	c.last = now
	if d.Outcome == bot.Answered {
		c.unrated++
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
	cl := c.clarify
	if cl == nil || !slices.Contains(cl.choices, entryID) {
		return Reply{}, ErrNotAChoice
	}
	e, ok := s.engine.Index().Entry(entryID)
	if !ok {
		return Reply{}, ErrNotAChoice // retired since it was offered
	}
	d := bot.Decision{Outcome: bot.Answered, Confidence: 1, Entry: e, KBVersion: s.engine.Version(),
		Candidates: []bot.Candidate{{Entry: e, Score: 1}}}
	replyText := s.compose(d, c.audience)
	_, err = s.log(ctx, c, e.Question, nil, d, replyText, func(utt events.Envelope) (events.Payload, error) {
		return events.SuggestionChosen{UtteranceID: cl.utteranceID, Text: cl.text, EntryID: entryID,
			Choices: cl.choices, ChoiceID: utt.ID}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	c.clarify = nil
	return Reply{Text: replyText, Decision: d}, nil
}

func round(x float64) float64 { return float64(int(x*10000+0.5)) / 10000 }

// compose writes the reply the citizen reads.
func (s *Service) compose(d bot.Decision, audience kb.Audience) string {
	return Compose(s.engine, d, audience)
}

// Compose writes the reply to a decision as the citizen reads it; engine gives
// the hand-off entry offered when nothing answers.
func Compose(engine *bot.Engine, d bot.Decision, audience kb.Audience) string {
	switch d.Outcome {
	case bot.Answered, bot.Smalltalk, bot.Handoff:
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
	var b strings.Builder
	b.WriteString("Je n'ai pas trouvé de réponse sûre à votre question. ")
	b.WriteString("Je peux vous renseigner sur les papiers d'identité, l'état civil, les élections, les déchets, ")
	b.WriteString("la voirie, l'urbanisme, les écoles et la petite enfance, les associations et les services de la ville. ")
	b.WriteString("Vous pouvez reformuler votre question")
	if h, ok := engine.Handoff(); ok {
		b.WriteString(", ou joindre un agent : ")
		b.WriteString(h.Answer)
	} else {
		b.WriteString(", ou contacter directement la mairie.")
	}
	return b.String()
}

// Feedback records whether an answer helped: once per answer given.
func (s *Service) Feedback(ctx context.Context, conversationID string, helpful bool, comment string) error {
	c, err := s.conversation(ctx, conversationID)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.unrated == 0 {
		return ErrNothingToRate
	}
	if comment != "" {
		if comment, err = s.Clean(comment); err != nil && !errors.Is(err, ErrEmpty) {
			return err
		}
		comment, _ = redact.Redact(comment)
	}
	ev, err := events.New(s.cfg.Tenant, c.id, time.Now(), events.FeedbackGiven{Helpful: helpful, Comment: comment})
	if err != nil {
		return err
	}
	if err := s.pub.Publish(ctx, ev); err != nil {
		return err
	}
	c.unrated--
	return nil
}

// EndIdle ends the conversations idle for longer than the configured time, with a
// conversation.ended event, and forgets them.
func (s *Service) EndIdle(ctx context.Context, now time.Time) error {
	s.mu.Lock()
	var idle []*conversation
	for id, c := range s.convs {
		if now.Sub(c.last) > s.cfg.IdleAfter {
			idle = append(idle, c)
			delete(s.convs, id)
		}
	}
	s.mu.Unlock()
	for _, c := range idle {
		ev, err := events.New(s.cfg.Tenant, c.id, now, events.ConversationEnded{Reason: "inactivity"})
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
