package loadgen

import (
	"math/rand/v2"
	"strings"

	"github.com/parvis-civic/parvis/kb"
)

// script is what one simulated citizen says: the audience they speak for and
// their messages, in order.
type script struct {
	audience string // the GraphQL enum: PARTICULIER, ENTREPRISE, ASSOCIATION
	messages []string
}

// traffic draws conversations from the demo knowledge base's phrasings: the
// questions and alternatives its experts wrote from what citizens ask, with the
// audiences their entries answer.
type traffic struct {
	byAudience map[kb.Audience][][]string // the phrasings of each entry answering the audience
	minTurns   int
	maxTurns   int
}

// Off-topic and courtesy messages, as citizens mix them into real conversations.
var (
	courtesies = []string{"merci", "merci beaucoup !", "ok merci", "super, merci bcp", "d'accord"}
	offTopic   = []string{"bonjour", "qui a gagné le match hier", "tu es un robot ?", "bjr c koi les horaires d la mairie svp",
		"mon voisin fait trop de bruit le soir", "passeport perdu", "inscrire ma fille a la cantine"}
)

func newTraffic(minTurns, maxTurns int) *traffic {
	t := &traffic{byAudience: map[kb.Audience][][]string{}, minTurns: minTurns, maxTurns: maxTurns}
	for _, e := range append(kb.Demo(), kb.DemoTerritory()...) {
		audiences := e.Audiences
		if len(audiences) == 0 {
			audiences = kb.Audiences
		}
		for _, a := range audiences {
			t.byAudience[a] = append(t.byAudience[a], e.Phrasings())
		}
	}
	return t
}

// conversation draws one conversation: most citizens speak for themselves, a
// few for a business or an association; each asks a question, may rephrase it
// or ask another, and sometimes thanks the bot.
func (t *traffic) conversation(r *rand.Rand) script {
	audience := kb.Particulier
	switch n := r.IntN(10); {
	case n == 8:
		audience = kb.Entreprise
	case n == 9:
		audience = kb.Association
	}
	entries := t.byAudience[audience]
	if len(entries) == 0 {
		audience, entries = kb.Particulier, t.byAudience[kb.Particulier]
	}
	turns := t.minTurns + r.IntN(t.maxTurns-t.minTurns+1)
	s := script{audience: strings.ToUpper(string(audience))}
	entry := entries[r.IntN(len(entries))]
	for i := range turns {
		switch n := r.IntN(10); {
		case i > 0 && n < 2:
			s.messages = append(s.messages, courtesies[r.IntN(len(courtesies))])
		case n == 2:
			s.messages = append(s.messages, offTopic[r.IntN(len(offTopic))])
		case i > 0 && n < 6: // rephrases the same need
			s.messages = append(s.messages, entry[r.IntN(len(entry))])
		default: // a new need
			entry = entries[r.IntN(len(entries))]
			s.messages = append(s.messages, entry[r.IntN(len(entry))])
		}
	}
	return s
}
