package ingest

import (
	"context"
	"fmt"
	"slices"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// Citizens often answer the bot by typing rather than clicking. A plain yes or
// no (see [bot.Consent]) right after a reply answers what that reply asked:
// whether to file the demande it offered, else whether its answer helped (the
// widget's « Cette réponse vous a-t-elle aidé ? » under every answer).

// consentReply is what a typed yes or no does.
type consentReply struct {
	text   string
	kind   *kb.DemandeKind // the demande offered again, if any
	rating *events.FeedbackGiven
	d      bot.Decision // the decision to log
}

// consent returns what a plain yes or no answers; ok is false for any other
// message, for one the engine took for more than conversation, and when the
// last reply asked nothing. With several API processes the last reply may have
// been another's: the log says.
func (s *Service) consent(ctx context.Context, c *conversation, text string, d bot.Decision) (_ consentReply, ok bool, err error) {
	yes, no := bot.Consent(text)
	if !yes && !no || d.Outcome != bot.Smalltalk && d.Outcome != bot.Unanswered {
		return consentReply{}, false, nil
	}
	if err := s.resync(ctx, c); err != nil {
		return consentReply{}, false, err
	}
	unmatched := d.Outcome == bot.Unanswered
	if unmatched {
		// « oui d'accord », « non non »: no unmet need, whatever it answers.
		d = consentDecision(d, yes)
	}
	if r, ok := s.offerAnswered(c, yes, d); ok {
		return r, true, nil
	}
	if c.answered == "" || c.campaign != "" || !slices.Contains(c.unrated, c.answered) {
		if unmatched { // nothing asked: the built-in entry's own reply
			return consentReply{d: d, text: d.Entry.Answer}, true, nil
		}
		return consentReply{}, false, nil
	}
	r := consentReply{d: d, rating: &events.FeedbackGiven{Helpful: yes, UtteranceID: c.answered}}
	if yes {
		r.text = "Merci pour votre retour ! Avez-vous une autre question ?"
	} else {
		r.text = notHelped(s.engineFor(c.tenant))
	}
	return r, true, nil
}

// offerAnswered answers a yes or no to the demande the last reply offered: a
// yes offers it again, saying how it is filed; a no says that nothing is.
func (s *Service) offerAnswered(c *conversation, yes bool, d bot.Decision) (consentReply, bool) {
	if s.cfg.Desk == nil {
		return consentReply{}, false
	}
	kind, found := s.cfg.Desk.Kinds().Get(c.offered)
	switch {
	case c.offered == "" || !found: // nothing offered, or a kind retired since
		return consentReply{}, false
	case s.filedSinceOffer(c): // the log still holds the offer, the desk its demande
		return consentReply{}, false
	case yes:
		return consentReply{d: d, kind: &kind, text: fmt.Sprintf("Très bien. Pour enregistrer votre demande « %s », je vous pose quelques "+
			"questions, une à la fois : commencez par « Déposer la demande ». Délai de traitement annoncé : %s.", kind.Label, kind.Delay)}, true
	}
	return consentReply{d: d, text: "Entendu : je n'enregistre aucune demande. Avez-vous une autre question ?"}, true
}

// notHelped is the reply to a « non » about an answer: another wording, or a
// person.
func notHelped(engine *bot.Engine) string {
	return "Désolé que cette réponse ne vous ait pas aidé. Vous pouvez reformuler votre question avec d'autres mots" + orAPerson(engine)
}

// consentDecision is d taken as the built-in yes or no entry.
func consentDecision(d bot.Decision, yes bool) bot.Decision {
	id := kb.ConversationNo
	if yes {
		id = kb.ConversationYes
	}
	for _, e := range kb.Conversation() {
		if e.ID == id {
			d.Outcome, d.Entry, d.Confidence, d.Choices = bot.Smalltalk, &e, 1, nil
			d.Candidates = []bot.Candidate{{Entry: &e, Score: 1}}
		}
	}
	return d
}
