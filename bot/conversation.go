package bot

import (
	"slices"
	"strings"
	"sync"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// conversationIndex holds the built-in conversation entries (see
// [kb.Conversation]) that a knowledge base lacking them gets. They are
// searched apart from the knowledge base: mixed into it, « bonjour » and
// « agent » would become its vocabulary and pull long questions that merely
// begin with a greeting, or speak of an « agent d'accueil », towards them.
type conversationIndex struct {
	ix *Index
	// exact holds every phrasing's words: « ok », « oui », made of words too
	// common to search, are conversation when they are the whole message.
	exact map[string]*kb.Entry
}

// conversationWords is the most words a message that is only conversation
// has: well over twice the longest built-in phrasing's (6). A longer one says
// something else too, and is not searched among them: that search is a third
// of a short decision's time.
const conversationWords = 16

// conversationFor returns the index of the built-in conversation entries (see
// [kb.Conversation]) that ix has no entry of its own for: an entry of the same
// kind close to the built-in's question (« Bonjour », « Merci », « Je veux parler
// à une personne »), or a town's own entry with a phrasing that close, whatever
// its kind: a sheet's rows cannot say theirs, and a town's « Je veux parler à une
// personne » that gives its phone number must not be hidden behind the built-in
// one. nil when it has them all. Indexes are kept by the entries they hold: a
// new version of the knowledge base reuses one.
func (e *Engine) conversationFor(ix *Index) *conversationIndex {
	var conv []kb.Entry
	var ids []string
	for _, c := range kb.Conversation() {
		a := ix.analyzeWords(french.Words(c.Question), false)
		if cs := ix.search(a, "", 1); len(a.terms) > 0 && len(cs) > 0 && (cs[0].Entry.Kind == c.Kind &&
			(cs[0].Phrasing >= coveredDice || cs[0].Coverage >= coveredCoverage) ||
			!cs[0].Entry.National && cs[0].Phrasing >= coveredDice) {
			if c.Kind == kb.KindHandoff {
				ix.handoff = cs[0].Entry // a sheet's row, which cannot say its kind
			}
			continue
		}
		if c.Kind == kb.KindHandoff && e.contact != "" {
			c.Answer = e.contact
		}
		conv = append(conv, c)
		ids = append(ids, c.ID)
	}
	if len(conv) == 0 {
		return nil
	}
	key := strings.Join(ids, ",")
	e.convMu.Lock()
	defer e.convMu.Unlock()
	if ci, ok := e.conv[key]; ok {
		return ci
	}
	if e.conv == nil {
		e.conv = map[string]*conversationIndex{}
	}
	ci := &conversationIndex{ix: NewIndex(conv, e.lang), exact: map[string]*kb.Entry{}}
	for _, en := range ci.ix.entries {
		for _, p := range en.Phrasings() {
			ci.exact[strings.Join(french.Words(p), " ")] = en
		}
	}
	e.conv[key] = ci
	return ci
}

// WithContact gives the built-in hand-off entry the answer of the tenant the
// engine answers for (« Contactez l'accueil (…) : par téléphone au 05 61 … »), instead of
// sending citizens to its site for its phone number. A knowledge base with a
// hand-off entry of its own keeps its own.
func WithContact(answer string) Option {
	return func(e *Engine) { e.contact = answer }
}

// conversational decides a message that is conversation and nothing else: a
// built-in entry close to it (as close as a background question must be to an
// entry to count as covered), or explaining most of it. « Bonjour », « merci
// bcp », « un humain svp » are; « bonjour, je postule à un poste d'agent
// d'accueil » is not, and goes to the knowledge base.
func conversational(ci *conversationIndex, text string, audience kb.Audience) (Decision, bool) {
	if ci == nil {
		return Decision{}, false
	}
	words := french.Words(text)
	if len(words) > conversationWords {
		return Decision{}, false
	}
	if en, ok := ci.exact[strings.Join(words, " ")]; ok {
		// The entry is the one candidate, as for any decision: evaluations rank
		// it first (top1), and the logged decision says what it chose from.
		return Decision{Outcome: outcomeOf(en), Entry: en, Confidence: 1,
			Candidates: []Candidate{{Entry: en, Score: 1, Phrasing: 1, Coverage: 1, Matched: 1}}}, true
	}
	a := ci.ix.analyze(text)
	if len(a.terms) == 0 {
		return Decision{}, false
	}
	cs := ci.ix.search(a, audience, 1)
	if len(cs) == 0 || (cs[0].Phrasing < coveredDice && cs[0].Coverage < coveredCoverage) || kb.ExactOnly(cs[0].Entry.ID) {
		return Decision{}, false
	}
	best := cs[0]
	return Decision{Outcome: outcomeOf(best.Entry), Entry: best.Entry, Confidence: max(best.Phrasing, best.Coverage),
		Candidates: cs, Terms: a.describe()}, true
}

// consent holds the built-in yes and no phrasings (see [kb.ConversationYes]),
// as [french.Words] reads them: true for a yes.
var consent = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, c := range kb.Conversation() {
		if c.ID == kb.ConversationYes || c.ID == kb.ConversationNo {
			for _, p := range c.Phrasings() {
				m[consentKey(p)] = c.ID == kb.ConversationYes
			}
		}
	}
	return m
})

// Consent tells whether a message is a plain yes or a plain no (« oui », « ok
// d'accord », « non merci »), as the built-in conversation entries phrase them,
// thanks and « please » aside: how a citizen answers an offer of the bot's by
// typing rather than clicking. A message made of several of them, all of one
// sense, is one too (« oui oui », « oui d'accord », « nan pas besoin »). (« merci »
// is no phrasing of theirs: searched, « non merci » would draw « merci » from a
// town's own thanks.)
func Consent(text string) (yes, no bool) {
	m := consent()
	all := french.Words(text)
	words := slices.DeleteFunc(slices.Clone(all), func(w string) bool { return politeWords[w] })
	if len(words) == 0 {
		return false, false
	}
	// The longest phrasing first at each point: « ok d'accord » is one.
	for i := 0; i < len(words); {
		j := len(words)
		for ; j > i; j-- {
			if _, ok := m[strings.Join(words[i:j], " ")]; ok {
				break
			}
		}
		if j == i {
			return false, false
		}
		if m[strings.Join(words[i:j], " ")] {
			yes = true
		} else {
			no = true
		}
		i = j
	}
	if yes && no {
		return false, false // « oui non »: neither
	}
	if yes && slices.Contains(all, "merci") && !slices.ContainsFunc(words, func(w string) bool { return w == "oui" || w == "ouais" }) {
		return false, false // « ok merci », « d'accord merci » close the exchange: thanks, not a yes
	}
	return yes, no
}

// consentKey is a message's words without the polite ones.
func consentKey(text string) string {
	return strings.Join(slices.DeleteFunc(french.Words(text), func(w string) bool { return politeWords[w] }), " ")
}

// politeWords are the words that leave a yes a yes: « oui merci », « non
// merci beaucoup », « ok svp ».
var politeWords = map[string]bool{"merci": true, "beaucoup": true, "s": true, "il": true, "vous": true, "te": true, "plait": true}
