package ingest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// The chat files demandes and says where they stand. A message with a tracking
// code (however typed) is answered from the desk before the engine runs; one
// that asks after the citizen's demande without its code is asked for it when
// the knowledge base has no answer; a reply proposes to file a demande when the chosen
// entry names a kind, when the message asks the town to act on a problem, or
// when the bot cannot answer (the closest kind, or the generic one).

// track answers a message that gives a tracking code, logging it like any
// other exchange; ok is false when the message gives none. The code is read in
// text; redacted and counts are the text as the log keeps it.
func (s *Service) track(ctx context.Context, c *conversation, text, redacted string, counts map[string]int) (Reply, bool, error) {
	answer, logged, ok := s.cfg.Desk.Answer(ctx, c.tenant, text)
	if !ok {
		return Reply{}, false, nil
	}
	return s.tracked(ctx, c, redacted, counts, answer, logged)
}

// askCode asks for the tracking code of a message that asks where the
// citizen's demande stands without giving it, when the bot has no answer of
// its own (d): ok is false otherwise.
func (s *Service) askCode(ctx context.Context, c *conversation, text, redacted string, counts map[string]int, d bot.Decision) (Reply, bool, error) {
	if d.Outcome == bot.Answered || d.Outcome == bot.Smalltalk || d.Outcome == bot.Handoff {
		return Reply{}, false, nil
	}
	answer, ok := s.cfg.Desk.AskCode(c.tenant, text)
	if !ok {
		return Reply{}, false, nil
	}
	return s.tracked(ctx, c, redacted, counts, answer, answer)
}

// trackingVersion stands for the knowledge base's version on the decision of
// a tracking reply: the desk answered, not the knowledge base.
const trackingVersion = "demandes"

// tracked logs and returns the desk's answer about a demande; logged is what
// the conversation's log keeps of it.
func (s *Service) tracked(ctx context.Context, c *conversation, redacted string, counts map[string]int, answer, logged string) (Reply, bool, error) {
	now := s.cfg.Now()
	utt, err := events.New(c.tenant, c.id, now, events.UtteranceReceived{Text: redacted, Redactions: counts, Campaign: c.campaign, MessageID: c.turn})
	if err != nil {
		return Reply{}, true, err
	}
	dec, err := events.New(c.tenant, c.id, now, events.BotDecision{UtteranceID: utt.ID, Outcome: string(bot.Answered),
		Confidence: 1, KBVersion: trackingVersion, Reply: logged, Candidates: []events.Candidate{}})
	if err != nil {
		return Reply{}, true, err
	}
	if err := s.pub.Publish(ctx, utt, dec); err != nil {
		return Reply{}, true, err
	}
	c.last, c.offered, c.answered, c.answeredEntry = now, "", utt.ID, ""
	c.unrated = append(c.unrated, utt.ID)
	// An answered message like any other (the projections count it so), and
	// one of those that told where a demande stands.
	messages.WithLabelValues(string(bot.Answered)).Inc()
	tracked.Inc()
	return Reply{Text: answer, Decision: bot.Decision{Outcome: bot.Answered, Confidence: 1}, Tracking: true}, true, nil
}

// propose returns the kind of demande a reply offers to file, if any.
func (s *Service) propose(text string, d bot.Decision, audience kb.Audience) (kb.DemandeKind, bool) {
	kinds := s.cfg.Desk.Kinds()
	if d.Entry != nil && d.Entry.Demande != "" {
		if k, ok := kinds.Get(d.Entry.Demande); ok && k.AllowedFor(audience) {
			return k, true
		}
	}
	switch {
	case d.Outcome == bot.Smalltalk || d.Outcome == bot.Handoff || d.Unread:
		return kb.DemandeKind{}, false
	case french.RequestToAct(text) && d.Outcome != bot.Answered:
		return kinds.Closest(text, audience, true)
	case d.Outcome == bot.Unanswered && understood(text):
		return kinds.Closest(text, audience, true)
	}
	return kb.DemandeKind{}, false
}

// understood reports whether a message nothing answers says something the town
// could be asked to look into: words of its own (not « 👍 » or « ??? »), about
// something a town deals with (not the weather or a joke, see
// [french.OffTopic]). Only then is a demande offered.
func understood(text string) bool {
	stems := french.Stems(text)
	return len(stems) > 0 && !french.OffTopic(text, stems)
}

// filedSinceOffer tells whether a demande of the kind the conversation was
// offered has been filed from it since, by whichever process: filing is on
// parvis.demandes, not on the conversation's topic that [Peers] follow. The
// desk keeps filing times to the second.
func (s *Service) filedSinceOffer(c *conversation) bool {
	filed, err := s.cfg.Desk.List(tenant.Everything(), demandes.Filter{Conversation: c.id, Kind: c.offered})
	if err != nil {
		return false
	}
	since := c.offeredAt.Truncate(time.Second)
	return slices.ContainsFunc(filed, func(dm demandes.Demande) bool { return !dm.FiledAt.Before(since) })
}

// proposal is the sentence that offers a demande, for clients that show text only.
func proposal(k kb.DemandeKind) string {
	return fmt.Sprintf("\n\nJe peux enregistrer ici même votre demande « %s » et vous donner son code de suivi (délai de traitement annoncé : %s).", k.Label, k.Delay)
}

// File files a demande from a conversation: the citizen's audience is the
// conversation's.
func (s *Service) File(ctx context.Context, f demandes.Form) (demandes.Demande, error) {
	if s.cfg.Desk == nil {
		return demandes.Demande{}, ErrNoDemandes
	}
	c, err := s.conversation(ctx, f.ConversationID)
	if err != nil {
		return demandes.Demande{}, err
	}
	if c.campaign != "" {
		return demandes.Demande{}, ErrCampaignDemande
	}
	if !s.convLimiter.Allow(c.id) {
		rateLimited.Inc()
		return demandes.Demande{}, ErrRateLimited
	}
	f.ConversationID, f.Audience, f.Tenant = c.id, c.audience, c.tenant
	d, err := s.cfg.Desk.File(ctx, f)
	if err == nil {
		c.mu.Lock()
		c.offered = "" // filed: a « oui » next is no longer an answer to the offer
		c.mu.Unlock()
	}
	return d, err
}
