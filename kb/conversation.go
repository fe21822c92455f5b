package kb

import (
	_ "embed"
	"slices"
	"sync"
)

//go:embed conversation.yaml
var conversationYAML []byte

var conversation = sync.OnceValue(func() []Entry {
	entries, err := Parse("conversation.yaml", conversationYAML)
	if err != nil {
		panic("kb: the embedded conversation entries are invalid: " + err.Error())
	}
	return entries
})

// The built-in entries a message that answers the bot's own offer with a plain
// yes or no is matched against.
const (
	ConversationYes = "conversation_accord"
	ConversationNo  = "conversation_refus"
)

// ConversationIdentity is the built-in entry that says what the bot is (« tu es
// un robot ? »). It answers a message that is one of its phrasings and nothing
// else: its one word (« robot », « bot ») is also a lawn mower's or a
// question's subject (« robot tondeuse bruit voisin »).
const ConversationIdentity = "conversation_identite"

// ConversationFrustration is the built-in entry that answers a citizen's
// annoyance (« t'es nul », « ça sert à rien », « pfff ») with an apology and the
// way to a person, rather than with « je n'ai pas compris » and a demande to
// file. Like [ConversationIdentity] it answers only a message that is one of its
// phrasings: « je comprends rien à la taxe foncière » is a question.
const ConversationFrustration = "conversation_agacement"

// ExactOnly reports whether the built-in entry id answers only a message that is
// one of its phrasings, never one that merely shares words with them.
func ExactOnly(id string) bool { return id == ConversationIdentity || id == ConversationFrustration }

// Conversation returns the built-in conversation entries: greetings and
// thanks (kind smalltalk) and asking for a person (kind handoff), which an
// engine offers where the knowledge base has no entry of its own for them. A
// knowledge base imported as a plain FAQ then greets, thanks and hands over,
// rather than answering « un humain svp » with whatever fiche shares a word
// with it.
func Conversation() []Entry { return slices.Clone(conversation()) }
