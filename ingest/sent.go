package ingest

import (
	"errors"
	"slices"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
)

// A message sent again. On a phone the answer to a message can be lost on its
// way back (the network drops, the page sleeps) after the message was logged:
// the widget then offers « Réessayer », and sends the same message again. When
// the client gives each message an id (sendMessage's messageId), the retry is
// recognised: it gets the reply the message had, and nothing is logged or
// counted twice. The process that answered remembers the reply itself; the
// others learn it from the log (see [Peers]), as they learn everything else
// of a conversation.

// ErrMessageReused is the error of a message whose id the conversation already
// answered with another text: a client that reuses its ids.
var ErrMessageReused = errors.New("ingest: message id already used for another message of the conversation")

// maxMessageID bounds a message id's length.
const maxMessageID = 64

// ValidMessageID reports whether id can name a citizen's message: 1 to 64
// letters, digits, « - » or « _ ».
func ValidMessageID(id string) bool {
	if id == "" || len(id) > maxMessageID {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// keepSent is how many of its last messages a conversation remembers by id: a
// retry follows its message at once, before the citizen writes anything else.
const keepSent = 8

// sent is a message that a conversation answered, by its client's id.
type sent struct {
	messageID string
	text      string // redacted
	reply     Reply
	// The ids of the reply's entries when it was read from the log (reply
	// holds none then): resolved on the engine as the retry comes.
	entry, also string
	choices     []string
}

// remember keeps a message's reply for a retry of it. c.mu is held.
func (c *conversation) remember(s sent) {
	if s.messageID != "" {
		c.sent = keepLast(c.sent, s)
	}
}

// keepLast appends m to the messages of a conversation, keeping the last
// keepSent.
func keepLast(list []sent, m sent) []sent {
	list = append(list, m)
	return slices.Delete(list, 0, max(0, len(list)-keepSent))
}

// findSent returns the message of list named messageID.
func findSent(list []sent, messageID string) (sent, bool) {
	if i := slices.IndexFunc(list, func(m sent) bool { return m.messageID == messageID }); i >= 0 {
		return list[i], true
	}
	return sent{}, false
}

// sentBefore returns the message of the conversation with id messageID, from
// what this process answered or, when another process did, from the log as
// far as it was read (a retry comes seconds after its message: the tail has it
// by then). c.mu is held.
func (s *Service) sentBefore(c *conversation, messageID string) (sent, bool) {
	if m, ok := findSent(c.sent, messageID); ok {
		return m, true
	}
	if s.cfg.Peers != nil {
		return s.cfg.Peers.sent(c.id, messageID)
	}
	return sent{}, false
}

// again answers a retry of a message with the reply it had. A reply read from
// the log has its entries resolved on the engine of today (an entry retired
// since is left out) and offers no demande: the first reply did, and the
// citizen's « oui » still takes it.
func (s *Service) again(c *conversation, m sent, text string) (Reply, error) {
	if m.text != text {
		return Reply{}, ErrMessageReused
	}
	retried.Inc()
	if m.entry == "" && m.also == "" && len(m.choices) == 0 {
		return m.reply, nil
	}
	ix := s.engineFor(c.tenant).Index()
	r := m.reply
	if e, ok := ix.Entry(m.entry); ok && m.entry != "" {
		r.Decision.Entry = e
	}
	if e, ok := ix.Entry(m.also); ok && m.also != "" {
		r.Decision.Also = e
	}
	for _, id := range m.choices {
		if e, ok := ix.Entry(id); ok {
			r.Decision.Choices = append(r.Decision.Choices, e)
		}
	}
	return r, nil
}

// fromLog is what the log tells of a message's reply: the decision logged on
// its utterance.
func fromLog(messageID, text string, d *events.BotDecision) sent {
	return sent{messageID: messageID, text: text, entry: d.EntryID, also: d.Also, choices: d.Choices,
		reply: Reply{Text: d.Reply, Decision: bot.Decision{Outcome: bot.Outcome(d.Outcome), Confidence: d.Confidence}}}
}
